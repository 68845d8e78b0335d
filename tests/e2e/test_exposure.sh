#!/usr/bin/env bash
# `sgreach exposure` on the fixture estates (answers from fixtures/README.md) and
# on a small generated estate (scripts/gen-estate, fixed seed): structure, the
# three kinds of flags, determinism, usage errors.
set -u
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { # name, python assertion over d (the JSON)
    if ! python3 - "$tmp/out.json" "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
eps = {(s["key"], e["id"], e["via"]): e for s in d["services"] for e in s["endpoints"]}
keys = {s["key"] for s in d["services"]}
flags = [f["flag"] for f in d["flags"]]
ok = eval(sys.argv[3])
if not ok:
    print("FAIL %s: %s" % (sys.argv[2], sys.argv[3]))
    sys.exit(1)
PY
    then fail=$((fail + 1)); fi
}
run() { "$SGREACH" exposure -q --format json "$@" >"$tmp/out.json" 2>"$tmp/err"; echo $?; }

# bridge-nlb: the host group opened "for the NLB" exposes reports-worker too (README 2, 3)
[ "$(run "$SRC/fixtures/bridge-nlb")" = 0 ] || { echo "FAIL bridge-nlb exit"; fail=$((fail + 1)); }
check bridge-nlb-worker '"service:reports-worker" in keys and all(e["how"] == "public-address" for k, e in eps.items() if k[0] == "service:reports-worker")'
# the port each task serves (as `can --port` takes it), its host port beside it (docs/selectors.md)
check bridge-nlb-worker-ports 'sorted(e["ports"] for k, e in eps.items() if k[0] == "service:reports-worker") == ["tcp:9090", "tcp:9090"]'
check bridge-nlb-worker-host-ports 'sorted(e["host_ports"] for k, e in eps.items() if k[0] == "service:reports-worker") == ["tcp:32768", "tcp:32769"]'
check bridge-nlb-flag '"bridge-host-opened-for-nlb" in flags and all(f["origin"].endswith(".json:46") for f in d["flags"] if f["flag"] == "bridge-host-opened-for-nlb")'
check bridge-nlb-via-nlb 'any(k[0] == "service:orders-api" and e["how"] == "nlb" and e["via"] == "lb:orders-nlb" for k, e in eps.items())'
check bridge-nlb-lb 'any(k[0] == "lb:orders-nlb" and e["ports"] == "tcp:80" for k, e in eps.items())'
check bridge-nlb-rules 'all(e["rules"] for e in eps.values())'
check bridge-nlb-counts 'd["counts"]["endpoints"] == len(eps) and d["counts"]["flags"] == len(flags)'

# host-mode: metrics-api on the public edge host is flagged; node-exporter (9100) is not exposed (README 1, 5)
run "$SRC/fixtures/host-mode" >/dev/null
check host-mode-flag 'any(k[0] == "service:metrics-api" and "host-mode-public" in [f["flag"] for f in e["flags"]] for k, e in eps.items())'
check host-mode-node-exporter '"service:node-exporter" not in keys'

# ecommerce-awsvpc: services only through the ALB, databases not at all (README 1, 5, 6)
run "$SRC/fixtures/ecommerce-awsvpc" >/dev/null
check ecommerce-alb 'all(e["how"] == "alb" and e["via"] == "lb:ecom-public-alb" for k, e in eps.items() if k[0].startswith("service:"))'
check ecommerce-services '{"service:user-service", "service:payment-service"} <= keys'
check ecommerce-no-db 'not any(k.startswith("database:") for k in keys)'
check ecommerce-alb-rule 'any("0.0.0.0/0" in r["text"] for k, e in eps.items() if k[0] == "lb:ecom-public-alb" for r in e["rules"])'

# none-mode: nothing of the none-mode task
run "$SRC/fixtures/none-mode" >/dev/null
check none-mode 'not any(e["id"].endswith("3f303e20ae71d1a63873f91d8e0e65aa") for e in eps.values()) and any(e["kind"] == "task" for e in eps.values())'
check none-mode-one-flag-per-rule 'len([f for f in flags if f == "open-admin-port"]) == 1 and "tcp/22 (SSH)" in d["flags"][0]["reason"]'

# --from SEL: exposure to an address inside the estate
run --from 10.0.1.0/24 "$SRC/fixtures/ecommerce-awsvpc" >/dev/null
check from-cidr 'd["from"] == "10.0.1.0/24" and all(e["how"] in ("private", "alb") for e in eps.values())'

# a generated estate: every kind of flag, determinism
python3 "$SRC/scripts/gen-estate" -n 400 --seed 3 --out "$tmp/estate" -q || fail=$((fail + 1))
run "$tmp/estate" >/dev/null
cp "$tmp/out.json" "$tmp/first.json"
check gen-flags '{"open-admin-port", "host-mode-public", "bridge-host-opened-for-nlb"} <= set(flags)'
check gen-admin '[f for f in d["flags"] if f["flag"] == "open-admin-port" and ("tcp/22" in f["reason"] or "tcp/3389" in f["reason"] or "tcp/5432" in f["reason"] or "tcp/3306" in f["reason"])]'
check gen-sorted '[s["key"] for s in d["services"]] == sorted(s["key"] for s in d["services"])'
check gen-how 'set(e["how"] for e in eps.values()) <= {"public-address", "alb", "nlb"}'
run "$tmp/estate" >/dev/null
cmp -s "$tmp/first.json" "$tmp/out.json" || { echo "FAIL gen: output differs between runs"; fail=$((fail + 1)); }
"$SGREACH" exposure -q "$tmp/estate" >"$tmp/a.txt" && "$SGREACH" exposure -q "$tmp/estate" >"$tmp/b.txt" &&
    cmp -s "$tmp/a.txt" "$tmp/b.txt" && grep -q "^exposed to internet: " "$tmp/a.txt" || { echo "FAIL gen: text"; fail=$((fail + 1)); }

# usage errors: exit 2
for args in "--to internet" "--max-hops 2" "--format xml" "--from nosuch:thing" "--from lb:no-such-lb"; do
    # shellcheck disable=SC2086
    "$SGREACH" exposure -q $args "$SRC/fixtures/bridge-nlb" >/dev/null 2>&1
    rc=$?
    [ "$rc" = 2 ] || { echo "FAIL usage '$args': exit $rc"; fail=$((fail + 1)); }
done

# Part of the internet: a rule for one public range opens the port to the
# internet (every public address is the internet: `can` says so too); a rule
# for a documentation range (RFC 5737) does not, and is not named as opening it.
cp -r "$SRC/fixtures/host-mode" "$tmp/partial"
python3 - "$tmp/partial/describe-security-groups.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for g in d["SecurityGroups"]:
    if g["GroupName"] == "metrics-public-host":
        for perm in g["IpPermissions"]:
            if perm.get("FromPort") == 8080:
                perm["IpRanges"] = [{"CidrIp": "8.8.8.0/24", "Description": "partner"}]
        g["IpPermissions"].append({"IpProtocol": "tcp", "FromPort": 9443, "ToPort": 9443,
                                   "IpRanges": [{"CidrIp": "198.51.100.0/24", "Description": "doc range"}],
                                   "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []})
json.dump(d, open(p, "w"), indent=4)
PY
run "$tmp/partial" >/dev/null
check partial-listed 'any(k[0] == "service:metrics-api" and e["ports"] == "tcp:8080" for k, e in eps.items())'
check partial-rule 'any("8.8.8.0/24" in r["text"] for k, e in eps.items() if k[0] == "service:metrics-api" for r in e["rules"])'
check partial-not-world 'not any(f["flag"] == "host-mode-public" and "8080" in f["reason"] for f in d["flags"])' 
check doc-range-not-listed 'not any("9443" in e["ports"] or any("198.51.100.0/24" in r["text"] for r in e["rules"]) for e in eps.values())'
"$SGREACH" can -q --from internet --to service:metrics-api --port 8080 "$tmp/partial" >/dev/null 2>&1
[ $? = 0 ] || { echo "FAIL partial: can disagrees with exposure"; fail=$((fail + 1)); }
"$SGREACH" can -q --from internet --to service:metrics-api --port 9443 "$tmp/partial" >/dev/null 2>&1
[ $? = 1 ] || { echo "FAIL partial: can reaches the documentation-range port"; fail=$((fail + 1)); }

# An NLB with groups: instance targets still see the client, and a host group
# opened to the world (instead of to the NLB's group) still exposes every
# bridge task on the host; the flag says so.
cp -r "$SRC/fixtures/bridge-nlb" "$tmp/nlbsg"
python3 - "$tmp/nlbsg/describe-load-balancers.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["LoadBalancers"][0]["SecurityGroups"] = ["sg-025add9be8177ea48"]
json.dump(d, open(p, "w"), indent=4)
PY
run "$tmp/nlbsg" >/dev/null
check nlb-with-groups-flag 'any(f["flag"] == "bridge-host-opened-for-nlb" and "instead of to the load balancer" in f["reason"] and "orders-nlb" in f["reason"] for f in d["flags"])'
check nlb-with-groups-worker '"service:reports-worker" in keys'
[ "$fail" = 0 ] && echo "exposure: all checks passed"
[ "$fail" = 0 ]
