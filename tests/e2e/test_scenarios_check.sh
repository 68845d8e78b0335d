#!/usr/bin/env bash
# `check` must agree with `can` on the independent scenarios: every line of
# tests/scenarios/*/EXPECTED.tsv becomes a policy entry (reachable -> require,
# unreachable -> forbid, unknown -> forbid), and each entry must pass exactly
# when `can`'s verdict satisfies it (an unknown fails a forbid as a possible
# violation). One policy per estate, one check run per estate.
set -u
fail=0
n=0
tmp=$(mktemp -d "$BUILD/scencheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for dir in "$SRC"/tests/scenarios/*/; do
    name=$(basename "$dir")
    [ -f "$dir/EXPECTED.tsv" ] || continue
    python3 - "$dir/EXPECTED.tsv" "$tmp/policy.json" "$tmp/want.json" <<'PY'
import json, sys
forbid, require, want = [], [], {}
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
for i, (f, t, proto, port, verdict, _why) in enumerate(rows):
    if proto == "all":
        spec = "all"
    elif proto not in ("tcp", "udp", "icmp", "icmpv6"):
        spec = proto                      # a protocol without ports
    elif port == "-":
        spec = proto + (":0-65535" if proto in ("tcp", "udp") else "")
    else:
        spec = "%s:%s" % (proto, port)
    name = "line%02d-%s" % (i + 1, verdict)
    (require if verdict == "reachable" else forbid).append({"name": name, "from": f, "to": t, "ports": spec})
    want[name] = "fail" if verdict == "unknown" else "pass"
json.dump({"forbid": forbid, "require": require}, open(sys.argv[2], "w"), indent=1)
json.dump(want, open(sys.argv[3], "w"))
PY
    "$SGREACH" check -q --policy "$tmp/policy.json" --format json "$dir" >"$tmp/out.json" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ge 2 ]; then
        echo "FAIL $name: check exited $rc"; cat "$tmp/err"; fail=$((fail + 1)); continue
    fi
    res=$(python3 - "$tmp/out.json" "$tmp/want.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); want = json.load(open(sys.argv[2]))
got = {e["name"]: e["status"] for e in d["entries"]}
bad = [k for k in want if got.get(k) != want[k]]
for k in bad:
    e = next(x for x in d["entries"] if x["name"] == k) if k in got else {"from": "?", "to": "?", "ports": "?"}
    print("MISMATCH %s: %s -> %s %s: check %s, can's verdict wants %s" % (k, e["from"], e["to"], e["ports"], got.get(k), want[k]))
print("COUNT %d %d" % (len(want), len(bad)))
PY
)
    echo "$res" | grep -v '^COUNT' | sed "s/^/$name: /"
    read -r _ total bad <<<"$(echo "$res" | grep '^COUNT')"
    n=$((n + ${total:-0}))
    fail=$((fail + ${bad:-1}))
done
echo "$((n - fail)) of $n scenario lines: check agrees with can"
[ "$n" -gt 0 ] && [ "$fail" = 0 ]
