#!/usr/bin/env bash
# A sign of life on long runs: report, exposure and blast write a status line
# on stderr when it is a terminal, never when it is a file or a pipe, and
# --quiet silences it; stdout is the same either way.
set -euo pipefail
: "${SGREACH:?}" "${SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fx="$SRC/fixtures/ecommerce-awsvpc"
if ! command -v script > /dev/null; then
  echo "skip: no script(1) to give sgreach a terminal"; exit 0
fi
for cmd in "report --format json" "exposure --format json" "blast --from service:payment-service --format json"; do
  # a file: nothing but what the command says anyway
  $SGREACH $cmd "$fx" > "$tmp/out" 2> "$tmp/err"
  if grep -q "$(printf '\r')" "$tmp/err"; then
    echo "FAIL: $cmd: a status line on stderr when it is a file"; exit 1
  fi
  # a terminal: the status line, erased before the end
  script -qec "$SGREACH $cmd $fx -o $tmp/tty.out" /dev/null > "$tmp/tty" 2>&1
  if ! grep -q "sgreach: ${cmd%% *}: " "$tmp/tty"; then
    echo "FAIL: $cmd: no status line on a terminal"; cat -v "$tmp/tty" | head -5; exit 1
  fi
  cmp -s "$tmp/out" "$tmp/tty.out" || { echo "FAIL: $cmd: output differs on a terminal"; exit 1; }
  script -qec "$SGREACH $cmd $fx --quiet -o $tmp/q.out" /dev/null > "$tmp/q" 2>&1
  if grep -q "sgreach: ${cmd%% *}: " "$tmp/q"; then
    echo "FAIL: $cmd: --quiet still shows the status line"; exit 1
  fi
  echo "ok: $cmd: status line on a terminal only, silenced by --quiet"
done
