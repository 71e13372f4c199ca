#!/usr/bin/env bash
# Lints every proto under protos/ with `buf lint` and, when main has an earlier state of protos/
# to compare with, refuses wire- or source-breaking changes with `buf breaking` (a breaking
# change belongs in a new v2 package, beside v1).
#
#   tools/check_protos.sh
#
# buf comes from the npm package @bufbuild/buf, installed once into ~/.cache/vigie/buf/<version>
# (outside the repository) and reused.
set -euo pipefail

BUF_VERSION="${VIGIE_BUF_VERSION:-1.75.0}"
CACHE_DIR="${VIGIE_BUF_CACHE:-$HOME/.cache/vigie/buf}/$BUF_VERSION"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

fail() { echo "check_protos: FAILED: $*" >&2; exit 1; }

install_buf() {
  local buf="$CACHE_DIR/node_modules/.bin/buf"
  if [[ -x "$buf" ]] && "$buf" --version >/dev/null 2>&1; then
    echo "$buf"
    return
  fi
  command -v npm >/dev/null || fail "npm is needed to install @bufbuild/buf"
  mkdir -p "$CACHE_DIR"
  npm install --silent --no-audit --no-fund --prefix "$CACHE_DIR" "@bufbuild/buf@$BUF_VERSION" \
    >&2 || fail "npm install @bufbuild/buf@$BUF_VERSION"
  "$buf" --version >/dev/null 2>&1 || fail "buf did not install into $CACHE_DIR"
  echo "$buf"
}

# Prints the buf input naming main's protos/ when main has a commit touching protos/ and there
# is history to compare with (HEAD~ or origin/main); prints nothing otherwise (fresh or shallow
# clone with a single commit).
breaking_base() {
  git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
  git -C "$ROOT" rev-parse -q --verify refs/heads/main >/dev/null || return 0
  [[ -n "$(git -C "$ROOT" log -1 --format=%H main -- protos 2>/dev/null)" ]] || return 0
  if git -C "$ROOT" rev-parse -q --verify 'HEAD~1^{commit}' >/dev/null \
    || git -C "$ROOT" rev-parse -q --verify 'refs/remotes/origin/main' >/dev/null; then
    echo "$ROOT/.git#branch=main,subdir=protos"
  fi
}

buf="$(install_buf)"
cd "$ROOT/protos"
echo "check_protos: buf $("$buf" --version) lint"
"$buf" lint || fail "buf lint"

base="$(breaking_base)"
if [[ -z "$base" ]]; then
  echo "check_protos: no earlier protos/ on main in this clone; skipping buf breaking"
else
  echo "check_protos: buf breaking --against '$base'"
  "$buf" breaking --against "$base" || fail "buf breaking against main"
fi
echo "check_protos: OK"
