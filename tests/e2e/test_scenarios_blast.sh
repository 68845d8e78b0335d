#!/usr/bin/env bash
# `blast` (one hop) must agree with `can` on the independent scenarios: for
# every line of tests/scenarios/*/EXPECTED.tsv between two interfaces' private
# addresses on tcp/udp, `blast --from FROM` lists TO's interface on that port
# exactly when `can` says reachable (unknown: listed as unknown, never as
# reachable; a port only in "possible_ports" counts as unknown), paths through
# load balancers included. Pairs of dual-stack interfaces are left out: blast
# answers per interface (both families), `can` for the address named.
set -u
fail=0
n=0
tmp=$(mktemp -d "$BUILD/scenblast.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for dir in "$SRC"/tests/scenarios/*/; do
    name=$(basename "$dir")
    [ -f "$dir/EXPECTED.tsv" ] || continue
    res=$(python3 - "$dir" "$SGREACH" <<'PY'
import glob, json, os, subprocess, sys
d, sgr = sys.argv[1], sys.argv[2]
ip_eni, dual = {}, set()
for f in glob.glob(os.path.join(d, "**", "*.json"), recursive=True):
    text = open(f).read()
    if "NetworkInterfaces" not in text:
        continue
    for e in json.loads(text).get("NetworkInterfaces", []):
        if e.get("Ipv6Addresses"):
            dual.add(e["NetworkInterfaceId"])
        for p in e.get("PrivateIpAddresses", []):
            ip_eni[p["PrivateIpAddress"]] = e["NetworkInterfaceId"]
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
blasts = {}
n = bad = 0
for line in open(os.path.join(d, "EXPECTED.tsv")):
    if not line.strip() or line.startswith("#"):
        continue
    f, t, proto, port, verdict, _ = line.rstrip("\n").split("\t")
    if f not in ip_eni or t not in ip_eni or port == "-" or proto not in ("tcp", "udp") or ":" in f + t:
        continue
    if ip_eni[f] in dual and ip_eni[t] in dual:
        continue
    if f not in blasts:
        out = subprocess.run([sgr, "blast", "-q", "--from", f, "--format", "json", d], capture_output=True, text=True)
        if out.returncode != 0:
            print("MISMATCH blast --from %s exited %d: %s" % (f, out.returncode, out.stderr.strip()))
            bad += 1
            blasts[f] = []
            continue
        blasts[f] = json.loads(out.stdout)["reachable"]
    n += 1
    got = "unreachable"
    for e in blasts[f]:
        if e["id"] != ip_eni[t]:
            continue
        if covers(e["ports"], proto, int(port)):
            got = "reachable" if e["verdict"] == "reachable" or got == "reachable" else e["verdict"]
        elif covers(e.get("possible_ports", ""), proto, int(port)) and got == "unreachable":
            got = "unknown"
    if got != verdict:
        bad += 1
        print("MISMATCH %s -> %s (%s) %s/%s: blast says %s, can's verdict is %s" % (f, t, ip_eni[t], proto, port, got, verdict))
print("COUNT %d %d" % (n, bad))
PY
)
    echo "$res" | grep -v '^COUNT' | sed "s/^/$name: /"
    read -r _ total bad <<<"$(echo "$res" | grep '^COUNT')"
    n=$((n + ${total:-0}))
    fail=$((fail + ${bad:-1}))
done
echo "$((n - fail)) of $n interface-to-interface lines: blast agrees with can"
[ "$n" -gt 0 ] && [ "$fail" = 0 ]
