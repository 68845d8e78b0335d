#!/usr/bin/env bash
# Issue 15 §2 without a manifest: the ecommerce fixture with its listener dump removed. Its ALB
# is described but no describe-listeners output is in the snapshot, so the paths from the
# internet through the ALB to the tasks are unknown (exit 3, saying why), never unreachable; the
# exposure lists them as unknown; summary's coverage names the gap. With the dump: reachable.
set -uo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
FIX="$SRC/fixtures/ecommerce-awsvpc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() {
  local want=$1; shift
  "$@" >"$work/out.txt" 2>"$work/err.txt"
  local rc=$?
  [ "$rc" = "$want" ] || { cat "$work/out.txt" "$work/err.txt" >&2; fail "exit $rc, wanted $want: $*"; }
}
says() { grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$1 lacks: $2"; }; }

mkdir "$work/snap"
cp "$FIX"/*.json "$work/snap/"
rm "$work/snap/describe-listeners.json"

for svc in payment-service user-service; do
  expect 0 "$SGREACH" can -q --from internet --to "service:$svc" --port 3000 "$FIX"
  expect 3 "$SGREACH" can --from internet --to "service:$svc" --port 3000 "$work/snap"
  says "$work/out.txt" "lb ecom-public-alb (listener not in the snapshot)"
  says "$work/out.txt" "missing: the listeners of ecom-public-alb are not in the snapshot (no describe-listeners output)"
  says "$work/err.txt" "describe-load-balancers.json: \$.LoadBalancers[0] (line 3): warning: 1 load balancer is described but no describe-listeners output is in the snapshot: paths through it are unknown"
done
# Where the load balancer's group refuses the client on every port, the answer stays definite.
expect 1 "$SGREACH" can -q --from internet --to service:payment-service --port 3000 --proto udp "$work/snap"

# Whole-estate: the exposure lists the tasks behind the ALB, as unknown.
expect 0 "$SGREACH" exposure -q --format json "$work/snap"
python3 - "$work/out.txt" <<'EOF' || fail "exposure without listeners"
import json, sys
d = json.load(open(sys.argv[1]))
eps = [e for s in d['services'] for e in s['endpoints']]
behind = [e for e in eps if e['kind'] == 'task' and e['via'] == 'lb:ecom-public-alb']
assert len(behind) == 5, f'{len(behind)} tasks behind the ALB'
assert all(e['verdict'] == 'unknown' for e in behind), [e['verdict'] for e in behind]
EOF

# summary: the gap is a coverage entry of status absent.
expect 0 "$SGREACH" summary -q "$work/snap"
says "$work/out.txt" "    elbv2 describe-listeners: not in the snapshot"
expect 0 "$SGREACH" summary -q "$FIX"
says "$work/out.txt" "no collection manifest: what was not collected cannot be told"
echo "test_coverage: ok"
