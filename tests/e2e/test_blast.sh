#!/usr/bin/env bash
# `sgreach blast` on the fixture estates (answers from fixtures/README.md) and on a
# small generated estate (scripts/gen-estate, fixed seed): reached sets, ports,
# hops and paths, --to, lateral movement, determinism, usage errors.
set -u
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { # name, python assertion over d (the JSON), items (its list) and ids
    if ! python3 - "$tmp/out.json" "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
items = d.get("reachable", d.get("reached_by"))
ids = {i["id"]: i for i in items}
ok = eval(sys.argv[3])
if not ok:
    print("FAIL %s: %s" % (sys.argv[2], sys.argv[3]))
    sys.exit(1)
PY
    then fail=$((fail + 1)); fi
}
run() { "$SGREACH" blast -q --format json "$@" >"$tmp/out.json" 2>"$tmp/err"; echo $?; }
structure='all(i["hops"] == len(i["path"]) - 1 and i["path"][-1 if "from" in d else 0] == i["id"] and i["verdict"] in ("reachable", "unknown") and i["ports"] for i in items)'

# bridge-nlb: a bridge task reaches its co-located container over the docker bridge,
# the other host's tasks on their host ports (README 6), and the internet
[ "$(run --from service:reports-worker "$SRC/fixtures/bridge-nlb")" = 0 ] || { echo "FAIL bridge-nlb exit"; fail=$((fail + 1)); }
check bridge-structure "$structure"
check bridge-json 'd["from"] == "service:reports-worker" and d["max_hops"] == 1 and all(i["hops"] == 1 for i in items)'
check bridge-colocated 'any(i["kind"] == "task" and i.get("service") == "orders-api" and i["via"] == "docker-bridge" for i in items)'
# on the port the task serves, its host port beside (docs/selectors.md#ports)
check bridge-other-host 'any(i["kind"] == "task" and i.get("service") == "orders-api" and i["via"] == "direct" and i["ports"] == "tcp:8080" and i.get("host_ports") == "tcp:32769" for i in items)'
check bridge-served-only 'all(i["ports"] == "tcp:8080" and i["host_ports"] in ("tcp:32768", "tcp:32769") for i in items if i["kind"] == "task")'
check bridge-internet '"internet" in ids'

# ecommerce-awsvpc: user-service reaches the user RDS, not the payment RDS (README 7, 8, 10)
run --from service:user-service "$SRC/fixtures/ecommerce-awsvpc" >/dev/null
check ecom-structure "$structure"
users_rds=$("$SGREACH" blast -q --format json --to 10.0.21.45 "$SRC/fixtures/ecommerce-awsvpc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["reached_by"][0]["path"][-1])')
pay_rds=$("$SGREACH" blast -q --format json --to 10.0.22.61 "$SRC/fixtures/ecommerce-awsvpc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["reached_by"][0]["path"][-1])')
check ecom-user-rds "\"$users_rds\" in ids and ids[\"$users_rds\"][\"ports\"] == \"tcp:5432\""
check ecom-not-payment-rds "\"$pay_rds\" not in ids"
cp "$tmp/out.json" "$tmp/one.json"
run --from service:user-service --max-hops all "$SRC/fixtures/ecommerce-awsvpc" >/dev/null
check ecom-all-structure "$structure"
check ecom-all-superset "set(ids) >= set(i[\"id\"] for i in json.load(open(\"$tmp/one.json\"))[\"reachable\"]) and d[\"max_hops\"] == \"all\""
check ecom-all-sorted '[(i["hops"], i["id"]) for i in items] == sorted((i["hops"], i["id"]) for i in items)'
# --to: who reaches the payment RDS (README 9, 8)
run --to 10.0.22.61 "$SRC/fixtures/ecommerce-awsvpc" >/dev/null
check to-structure "$structure"
check to-payment 'd["to"] == "10.0.22.61" and any(i.get("service") == "payment-service" and "tcp:5432" in i["ports"] for i in items)'
check to-not-user 'not any(i.get("service") == "user-service" for i in items)'
# --to a bridge task: its clients on the port it serves, the host port beside
run --to task:99f558f695b52958b8c06bb2f24ef281 "$SRC/fixtures/bridge-nlb" >/dev/null
check to-bridge-served 'items and all(i["ports"] == "tcp:8080" and i.get("host_ports") == "tcp:32769" for i in items)'
check to-bridge-internet 'ids["internet"]["via"] == "lb:orders-nlb"'

# none-mode: the none task reaches nothing and nothing reaches it
run --from task:3f303e20ae71d1a63873f91d8e0e65aa "$SRC/fixtures/none-mode" >/dev/null
check none-from 'items == []'

# a generated estate: lateral movement is monotone in --max-hops, output deterministic
python3 "$SRC/scripts/gen-estate" -n 400 --seed 3 --out "$tmp/estate" -q || fail=$((fail + 1))
task=$(awk -F'\t' '$1 == "task" && $2 == "bridge" {print $3; exit}' "$tmp/estate/selectors.txt")
run --from "$task" "$tmp/estate" >/dev/null
check gen-structure "$structure"
check gen-colocated 'any(i["via"] == "docker-bridge" for i in items)'
cp "$tmp/out.json" "$tmp/h1.json"
run --from "$task" --max-hops 2 "$tmp/estate" >/dev/null
check gen-structure2 "$structure"
check gen-monotone "set(ids) >= set(i[\"id\"] for i in json.load(open(\"$tmp/h1.json\"))[\"reachable\"]) and max(i[\"hops\"] for i in items) <= 2"
cp "$tmp/out.json" "$tmp/h2.json"
run --from "$task" --max-hops 2 "$tmp/estate" >/dev/null
cmp -s "$tmp/h2.json" "$tmp/out.json" || { echo "FAIL gen: output differs between runs"; fail=$((fail + 1)); }
"$SGREACH" blast -q --from "$task" "$tmp/estate" | head -1 | grep -q "^reached from $task (one hop): " || { echo "FAIL gen: text"; fail=$((fail + 1)); }

# usage errors: exit 2
for args in "--from internet --to internet" "--max-hops 0 --from internet" "--max-hops x --from internet" \
            "" "--from lb:no-such-lb" "--format sarif --from internet"; do
    # shellcheck disable=SC2086
    "$SGREACH" blast -q $args "$SRC/fixtures/bridge-nlb" >/dev/null 2>&1
    rc=$?
    [ "$rc" = 2 ] || { echo "FAIL usage '$args': exit $rc"; fail=$((fail + 1)); }
done
[ "$fail" = 0 ] && echo "blast: all checks passed"
[ "$fail" = 0 ]
