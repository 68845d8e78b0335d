#!/usr/bin/env bash
# `blast --max-hops all` takes shortcuts (analyzer/blast_run.c: no pairs toward
# endpoints already reached at fewer hops, one evaluation per pair of classes,
# one full expansion per class and level). --debug-reference turns them
# off: every expansion then asks the engine for every pair, as the first
# version did (forward, the fast closure works by destination: blast_pull.c;
# --to, by the endpoints not reached yet: blast_pull_rev.c). The two must print
# the same bytes, text and JSON, --from and --to, from every kind of source: bridge, host and awsvpc tasks, instances,
# databases, load balancers, the internet; on the fixtures, the independent
# scenarios and a generated estate with bridge hosts, NLBs and several VPCs.
set -u
fail=0
n=0
tmp=$(mktemp -d "$BUILD/blastclosure.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

same() { # DIR ARGS...: fast and reference outputs are byte-identical
    local dir=$1
    shift
    "$SGREACH" blast -q --max-hops all "$@" "$dir" >"$tmp/fast" 2>"$tmp/fast.err"
    local rf=$?
    "$SGREACH" blast -q --debug-reference --max-hops all "$@" "$dir" >"$tmp/ref" 2>"$tmp/ref.err"
    local rr=$?
    n=$((n + 1))
    if [ "$rf" != "$rr" ] || ! cmp -s "$tmp/fast" "$tmp/ref"; then
        echo "FAIL $(basename "$dir") $*: exit $rf vs $rr"
        diff "$tmp/ref" "$tmp/fast" | head -5
        fail=$((fail + 1))
    fi
}

# every interface, task and load balancer of the small estates
ids() {
    python3 - "$1" <<'PY'
import glob, json, os, sys
out = ["internet"]
for f in sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.json"), recursive=True)):
    try:
        doc = json.load(open(f))
    except ValueError:
        continue
    if not isinstance(doc, dict):
        continue
    out += [e["NetworkInterfaceId"] for e in doc.get("NetworkInterfaces", []) if e.get("NetworkInterfaceId")]
    out += [t["taskArn"] for t in doc.get("tasks", []) if t.get("taskArn")]
    out += [l["LoadBalancerArn"] for l in doc.get("LoadBalancers", []) if l.get("LoadBalancerArn")]
print("\n".join(dict.fromkeys(out)))
PY
}

for dir in "$SRC"/fixtures/*/ "$SRC"/tests/scenarios/*/; do
    [ -n "$(find "$dir" -maxdepth 1 -name 'describe-*.json' -print -quit)" ] || continue
    # a few of each estate's endpoints (first, middle, last by kind): the fixtures are small
    for sel in $(ids "$dir" | awk 'NR == 1 || NR % 3 == 0'); do
        same "$dir" --from "$sel" --format json
        same "$dir" --to "$sel" --format json
    done
    same "$dir" --from internet
done

# a planned design (Terraform: endpoints without addresses yet, planned groups)
for sel in internet tf:aws_ecs_service.payment tf:aws_ecs_service.user tf:aws_lb.public; do
    same "$SRC/fixtures/terraform" --from "$sel" --format json
done
# the Batfish corpus: transit gateways, VPC endpoints, peering across accounts
CORPUS=${CORPUS:-$SRC/tests/corpus}
[ -d "$CORPUS/batfish-aws" ] || { echo "FAIL: no corpus at $CORPUS" >&2; exit 1; }
for dir in "$CORPUS"/batfish-aws/*/; do
    for sel in $(ids "$dir" | awk 'NR <= 4'); do
        same "$dir" --from "$sel" --format json
    done
done

# a generated estate: ECS on EC2 (bridge and host tasks sharing hosts), Fargate,
# ALBs and NLBs with and without client IP preservation, peered VPCs
python3 "$SRC/scripts/gen-estate" -n 300 --seed 5 --out "$tmp/estate" -q || fail=$((fail + 1))
sels="$tmp/estate/selectors.txt"
pick() { awk -F'\t' -v k="$1" -v s="$2" -v i="$3" '$1 == k && $2 == s {if (++c == i) {print $3; exit}}' "$sels"; }
for spec in "task bridge 1" "task bridge 7" "task host 1" "task fargate 1" "task awsvpc 1" \
            "instance app 1" "db postgres 1" "lb network 1" "lb application 1"; do
    # shellcheck disable=SC2086
    sel=$(pick $spec)
    [ -n "$sel" ] || continue
    same "$tmp/estate" --from "$sel" --format json
done
# --to is pulled by the endpoints not reached yet (blast_pull_rev.c): every kind
# of target, and targets of load balancers (reached through them by their clients)
for spec in "task bridge 1" "task bridge 7" "task host 1" "task fargate 1" "task awsvpc 1" \
            "instance app 1" "db postgres 1" "db mysql 1" "lb application 1" "lb network 1"; do
    # shellcheck disable=SC2086
    sel=$(pick $spec)
    [ -n "$sel" ] || continue
    same "$tmp/estate" --to "$sel" --format json
done
# the first target behind each kind of load balancer, of each kind (an instance, an address)
lb_targets() {
    python3 - "$1" <<'PY'
import glob, json, os, sys
lbs, tgs, out = {}, {}, []
files = sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.json"), recursive=True))
docs = []
for f in files:  # a file may hold several documents (one per call)
    text, pos, dec = open(f).read(), 0, json.JSONDecoder()
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        try:
            doc, pos = dec.raw_decode(text, pos)
        except ValueError:
            break
        docs.append(doc)
for d in docs:
    if isinstance(d, dict):
        lbs.update({l["LoadBalancerArn"]: l.get("Type") for l in d.get("LoadBalancers", [])})
        tgs.update({t["TargetGroupArn"]: t.get("LoadBalancerArns", []) for t in d.get("TargetGroups", [])})
seen = set()
for d in docs:
    if not isinstance(d, dict) or "TargetHealthDescriptions" not in d:
        continue
    kind = {lbs.get(a) for a in tgs.get(d.get("TargetGroupArn"), [])}
    for t in d["TargetHealthDescriptions"]:
        # one per kind of load balancer and of target (an instance, an address)
        k = (min(kind - {None}, default=None), t["Target"]["Id"].startswith("i-"))
        if k[0] and k not in seen:
            seen.add(k)
            out.append(t["Target"]["Id"])
print("\n".join(out))
PY
}
for sel in $(lb_targets "$tmp/estate"); do
    same "$tmp/estate" --to "$sel" --format json
done
same "$tmp/estate" --from "$(pick task bridge 1)"
# the inbound index that the forward closure relies on (graph/inbound.h), on
# every pair of a generated estate (one whose NLB targets refuse some clients)
python3 "$SRC/scripts/gen-estate" -n 400 --seed 2 --out "$tmp/estate2" -q || fail=$((fail + 1))
if ! SGR_INBOUND_ESTATE="$tmp/estate2" "$BUILD/tests/test_inbound" >"$tmp/inbound" 2>&1; then
    echo "FAIL test_inbound on the generated estate"
    tail -5 "$tmp/inbound"
    fail=$((fail + 1))
fi
# the legs blast keeps across questions (graph/lb_legs.h) answer as the engine
# does without them, on the same estate
if ! SGR_LB_LEGS_ESTATE="$tmp/estate2" "$BUILD/tests/test_lb_legs" >"$tmp/legs" 2>&1; then
    echo "FAIL test_lb_legs on the generated estate"
    tail -5 "$tmp/legs"
    fail=$((fail + 1))
fi
same "$tmp/estate" --from internet --format json
# --to on the estate whose NLB targets refuse some clients
sels="$tmp/estate2/selectors.txt"
for spec in "db postgres 1" "task awsvpc 1" "lb network 1"; do
    # shellcheck disable=SC2086
    sel=$(pick $spec)
    [ -n "$sel" ] || continue
    same "$tmp/estate2" --to "$sel" --format json
done
for sel in $(lb_targets "$tmp/estate2"); do
    same "$tmp/estate2" --to "$sel" --format json
done
[ "$n" -ge 100 ] || { echo "FAIL only $n comparisons"; fail=$((fail + 1)); }
[ "$fail" = 0 ] && echo "blast closure: $n comparisons identical to the reference"
[ "$fail" = 0 ]
