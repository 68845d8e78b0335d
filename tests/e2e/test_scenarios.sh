#!/usr/bin/env bash
# Independent scenario estates (tests/scenarios/*/), each written from AWS's
# documentation with its expected verdicts in EXPECTED.tsv:
#   FROM <TAB> TO <TAB> PROTO <TAB> PORT <TAB> VERDICT <TAB> WHY
# Every line runs through `sgreach can` twice: text (exit code 0 reachable,
# 1 unreachable, 3 unknown) and --format json (the top-level verdict).
# A PORT of "-" asks without --port. ONLY=NAME runs one estate.
set -u
fail=0
n=0
out=$(mktemp "$BUILD/scenario.XXXXXX")
trap 'rm -f "$out" "$out.json" "$out.err"' EXIT
for dir in "$SRC"/tests/scenarios/*/; do
    name=$(basename "$dir")
    [ -n "${ONLY:-}" ] && [ "$ONLY" != "$name" ] && continue
    [ -f "$dir/EXPECTED.tsv" ] || continue
    while IFS=$'\t' read -r from to proto port want why; do
        case "$from" in ''|'#'*) continue ;; esac
        n=$((n + 1))
        args=(can -q --from "$from" --to "$to" --proto "$proto")
        [ "$port" != "-" ] && args+=(--port "$port")
        case "$want" in
            reachable) wrc=0 ;; unreachable) wrc=1 ;; unknown) wrc=3 ;;
            *) echo "BAD LINE $name: $from $to: verdict '$want'"; fail=$((fail + 1)); continue ;;
        esac
        "$SGREACH" "${args[@]}" "$dir" >"$out" 2>&1
        rc=$?
        "$SGREACH" "${args[@]}" --format json "$dir" >"$out.json" 2>"$out.err"
        jrc=$?
        # the top-level verdict (its own line at two spaces' indent; no python
        # per line: interpreter start-up dominated the run time)
        got=$(sed -n 's/^  "verdict": "\([a-z]*\)",$/\1/p' "$out.json" | head -n 1)
        # a WHY that says the answer states its assumption: some pair must carry one
        # (jansson's indented output opens a non-empty array at the end of its line, an empty one is [])
        if [[ "$why" == *"states the assumption"* ]] && ! grep -q '"assumptions": \[$' "$out.json"; then
            got="$got (no assumption stated)"
        fi
        if [ "$rc" != "$wrc" ] || [ "$jrc" != "$wrc" ] || [ "$got" != "$want" ]; then
            echo "FAIL $name: $from -> $to $proto/$port: want $want (exit $wrc), got exit $rc, json $got (exit $jrc)"
            echo "     why: $why"
            sed 's/^/     | /' "$out" | head -40
            fail=$((fail + 1))
        fi
    done <"$dir/EXPECTED.tsv"
done
echo "$((n - fail)) of $n scenario verdicts right"
[ "$n" -gt 0 ] && [ "$fail" = 0 ]
