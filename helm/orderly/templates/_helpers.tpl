{{/* Chart name, overridable. */}}
{{- define "orderly.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: the release name, suffixed with the chart name unless it already contains it. */}}
{{- define "orderly.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "orderly.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: stable across upgrades (a Deployment's selector is immutable). */}}
{{- define "orderly.selectorLabels" -}}
app.kubernetes.io/name: {{ include "orderly.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "orderly.labels" -}}
helm.sh/chart: {{ include "orderly.chart" . }}
{{ include "orderly.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: orderly
{{- end -}}

{{- define "orderly.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "orderly.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "orderly.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The Secret the pods read: the user's existingSecret or the chart's own. */}}
{{- define "orderly.secretName" -}}
{{- default (include "orderly.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{/* ConfigMap data: every non-empty `config` entry, as strings. Shared by the ConfigMap and the migration hook's copy. */}}
{{- define "orderly.configData" -}}
{{- range $key, $value := .Values.config }}
{{- if ne (toString $value) "" }}
{{ $key }}: {{ toString $value | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Secret data: every non-empty `secrets` entry, base64. Shared by the Secret and the migration hook's copy. */}}
{{- define "orderly.secretData" -}}
{{- range $key, $value := .Values.secrets }}
{{- if ne (toString $value) "" }}
{{ $key }}: {{ toString $value | b64enc | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* SHUTDOWN_GRACE_MS in whole seconds, rounded up. */}}
{{- define "orderly.shutdownGraceSeconds" -}}
{{- $ms := int (default "10000" .Values.config.SHUTDOWN_GRACE_MS) -}}
{{- div (add $ms 999) 1000 -}}
{{- end -}}

{{/*
terminationGracePeriodSeconds: must cover the preStop sleep plus the application's own drain (SHUTDOWN_GRACE_MS),
or the kubelet's SIGKILL cuts in-flight requests. Derived when 0, validated when set.
*/}}
{{- define "orderly.terminationGracePeriodSeconds" -}}
{{- $floor := add (int .Values.lifecycle.preStopSleepSeconds) (int (include "orderly.shutdownGraceSeconds" .)) -}}
{{- $set := int .Values.terminationGracePeriodSeconds -}}
{{- if eq $set 0 -}}
{{- add $floor 5 -}}
{{- else if le $set $floor -}}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds + SHUTDOWN_GRACE_MS in seconds (%d)" $set $floor) -}}
{{- else -}}
{{- $set -}}
{{- end -}}
{{- end -}}

{{/* Environment shared by the app and the migration Job (besides envFrom). */}}
{{- define "orderly.podEnv" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: OTEL_RESOURCE_ATTRIBUTES
  value: "k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE),service.version={{ default .Chart.AppVersion .Values.image.tag }}"
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}
