#!/usr/bin/env bash
# `sgreach can` on the Batfish snapshots: the answers EXPECTED.md gives
# (tests/e2e/can_batfish.txt), its exit code, and the JSON's verdict field.
set -u
fail=0
n=0
while read -r estate from to proto port want; do
    case "$estate" in ''|'#'*) continue ;; esac
    n=$((n + 1))
    args=(can -q --from "$from" --to "$to" --proto "$proto")
    [ "$port" != "-" ] && args+=(--port "$port")
    "$SGREACH" "${args[@]}" --format json "$CORPUS/batfish-aws/$estate" >"$BUILD/can_bf.json" 2>"$BUILD/can_bf.err"
    rc=$?
    case "$want" in reachable) wrc=0 ;; unreachable) wrc=1 ;; unknown) wrc=3 ;; esac
    got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$BUILD/can_bf.json" 2>/dev/null)
    if [ "$rc" != "$wrc" ] || [ "$got" != "$want" ]; then
        echo "FAIL $estate: $from -> $to $proto/$port: want $want (exit $wrc), got $got (exit $rc)"
        cat "$BUILD/can_bf.err"
        fail=$((fail + 1))
    fi
done <"$SRC/tests/e2e/can_batfish.txt"
echo "$((n - fail)) of $n peer-tool verdicts right"
[ "$fail" = 0 ]
