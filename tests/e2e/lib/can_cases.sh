#!/usr/bin/env bash
# The one runner of `can` case files: each line `ESTATE FROM TO PROTO PORT VERDICT`
# (PORT `-` = no --port; `#` lines are notes) is asked of `sgreach can` on ROOT/ESTATE,
# and both its exit code and the JSON's top-level verdict must be VERDICT.
# Usage: can_cases.sh CASES ROOT LABEL   (env: SGREACH, BUILD)
set -u
cases=$1 root=$2 label=$3
fail=0
n=0
out="$BUILD/can_cases.$$"
while read -r estate from to proto port want; do
    case "$estate" in ''|'#'*) continue ;; esac
    n=$((n + 1))
    args=(can -q --from "$from" --to "$to" --proto "$proto")
    [ "$port" != "-" ] && args+=(--port "$port")
    "$SGREACH" "${args[@]}" --format json "$root/$estate" >"$out.json" 2>"$out.err"
    rc=$?
    case "$want" in reachable) wrc=0 ;; unreachable) wrc=1 ;; unknown) wrc=3 ;; *) wrc=x ;; esac
    got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$out.json" 2>/dev/null)
    if [ "$rc" != "$wrc" ] || [ "$got" != "$want" ]; then
        echo "FAIL $estate: $from -> $to $proto/$port: want $want (exit $wrc), got $got (exit $rc)"
        cat "$out.err"
        fail=$((fail + 1))
    fi
done <"$cases"
rm -f "$out.json" "$out.err"
echo "$((n - fail)) of $n $label verdicts right"
[ "$n" -gt 0 ] && [ "$fail" = 0 ]
