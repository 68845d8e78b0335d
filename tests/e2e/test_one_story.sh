#!/usr/bin/env bash
# One story across commands (issue 21), over every estate the suite has: every
# fixture, every scenario, a generated estate and the peer tools' data.
# `exposure` and `can --from internet` must agree on every endpoint and port
# (tests/e2e/lib/one_story.py says how), and every id either prints must be a
# selector naming exactly that endpoint.
set -u
fail=0
total=0
tmp=$(mktemp -d "$BUILD/onestory.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 "$SRC/scripts/gen-estate" -n 300 --seed 21 --out "$tmp/generated" -q || fail=$((fail + 1))
peer="$SRC/tests/corpus/peer-tools"
estates=("$SRC"/fixtures/*/ "$SRC"/tests/scenarios/*/ "$tmp/generated"
         "$peer/cloudmapper-demo/account-data" "$peer"/cartography/*/ "$peer"/cloud-custodian/*/cli)
for dir in "${estates[@]}"; do
    [ -d "$dir" ] || continue
    name=${dir#"$SRC"/}
    name=${name#"$tmp"/}
    res=$(python3 "$SRC/tests/e2e/lib/one_story.py" "$SGREACH" "$tmp" "$dir")
    echo "$res" | grep -v '^COUNT' | sed "s|^|$name: |"
    read -r _ asked bad <<<"$(echo "$res" | grep '^COUNT')"
    if [ "${asked:-0}" = 0 ] || [ "${bad:-1}" != 0 ]; then
        fail=$((fail + 1))
        echo "FAIL $name: ${bad:-?} contradictions in ${asked:-0} questions"
    fi
    total=$((total + ${asked:-0}))
done
echo "$total questions over ${#estates[@]} estates, $fail estates contradict themselves"
[ "$fail" = 0 ]
