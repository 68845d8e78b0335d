#!/usr/bin/env bash
# `exposure` must agree with `can` on the independent scenarios: for every line
# of tests/scenarios/*/EXPECTED.tsv asked from `internet` to an interface's
# address, the interface is listed as exposed on that port exactly when `can`
# says reachable (unknown: listed as unknown, never as reachable).
set -u
fail=0
n=0
tmp=$(mktemp -d "$BUILD/scenexp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for dir in "$SRC"/tests/scenarios/*/; do
    name=$(basename "$dir")
    [ -f "$dir/EXPECTED.tsv" ] || continue
    "$SGREACH" exposure -q --format json "$dir" >"$tmp/exp.json" 2>"$tmp/err"
    rc=$?
    if [ "$rc" != 0 ]; then
        echo "FAIL $name: exposure exited $rc"; cat "$tmp/err"; fail=$((fail + 1)); continue
    fi
    res=$(python3 - "$dir" "$tmp/exp.json" <<'PY'
import glob, json, os, sys
d, exp = sys.argv[1], json.load(open(sys.argv[2]))
ip_eni = {}
for f in glob.glob(os.path.join(d, "**", "*.json"), recursive=True):
    for doc in [json.loads(x) for x in [open(f).read()] if "NetworkInterfaces" in x]:
        for e in doc.get("NetworkInterfaces", []):
            for p in e.get("PrivateIpAddresses", []):
                ip_eni[p["PrivateIpAddress"]] = e["NetworkInterfaceId"]
listed = {}
for s in exp["services"]:
    for e in s["endpoints"]:
        listed.setdefault(e["id"], []).append(e)
def covers(ports, proto, port):
    for part in ports.split():
        if part == "all":
            return True
        p, _, rng = part.partition(":")
        if p != proto:
            continue
        if not rng:
            return True
        for r in rng.split(","):
            lo, _, hi = r.partition("-")
            if int(lo) <= port <= int(hi or lo):
                return True
    return False
n = bad = 0
for line in open(os.path.join(d, "EXPECTED.tsv")):
    if not line.strip() or line.startswith("#"):
        continue
    f, t, proto, port, verdict, _ = line.rstrip("\n").split("\t")
    if f != "internet" or t not in ip_eni or port == "-" or proto not in ("tcp", "udp"):
        continue
    n += 1
    got = "unreachable"
    for e in listed.get(ip_eni[t], []):
        if covers(e["ports"], proto, int(port)):
            got = "reachable" if e["verdict"] == "reachable" or got == "reachable" else e["verdict"]
    if got != verdict:
        bad += 1
        print("MISMATCH internet -> %s (%s) %s/%s: exposure says %s, can's verdict is %s" % (t, ip_eni[t], proto, port, got, verdict))
print("COUNT %d %d" % (n, bad))
PY
)
    echo "$res" | grep -v '^COUNT' | sed "s/^/$name: /"
    read -r _ total bad <<<"$(echo "$res" | grep '^COUNT')"
    n=$((n + ${total:-0}))
    fail=$((fail + ${bad:-1}))
done
echo "$((n - fail)) of $n internet lines: exposure agrees with can"
[ "$n" -gt 0 ] && [ "$fail" = 0 ]
