#!/usr/bin/env bash
# Issue 21 on the peer tools' data (tests/corpus/peer-tools/README.md) and the
# fixtures: each answer below was a contradiction between two commands, or a
# name one command printed that the next refused.
set -u
fail=0
n=0
P="$SRC/tests/corpus/peer-tools"
tmp=$(mktemp -d "$BUILD/peertools.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# expect NAME WANT_RC PYTHON-CONDITION-ON(out, err) -- sgreach ARGS...
expect() {
    local name=$1 want=$2 cond=$3
    shift 4
    n=$((n + 1))
    "$SGREACH" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" != "$want" ] || ! python3 - "$tmp/out" "$tmp/err" "$cond" <<'PY'
import json, sys
out, err = open(sys.argv[1]).read(), open(sys.argv[2]).read()
def js():
    return json.loads(out)
sys.exit(0 if eval(sys.argv[3]) else 1)
PY
    then
        echo "FAIL $name: exit $rc (want $want)"
        sed 's/^/    /' "$tmp/out" "$tmp/err" | head -20
        fail=$((fail + 1))
    fi
}

# A task reached on a port it does not serve is not reached; the answer names who serves it.
expect host-mode-not-served 1 '"tcp/8080 on that host is served by task metrics-api/" in out and "0 of 2 pairs reachable" in out' \
    -- can --from internet --to service:node-exporter --port 8080 "$SRC/fixtures/host-mode"
expect host-mode-served 0 '"1 of 2 pairs reachable" in out' \
    -- can --from internet --to service:metrics-api --port 8080 "$SRC/fixtures/host-mode"
expect bridge-not-published 1 '"is not published on the host" in out' \
    -- can --from internet --to service:orders-api --port 9090 "$SRC/fixtures/bridge-nlb"
# One port convention: the port the task serves, the host port beside it.
expect bridge-exposure-ports 0 'all(e["ports"] == "tcp:8080" and e["host_ports"] in ("tcp:32768", "tcp:32769") for s in js()["services"] if s["key"] == "service:orders-api" for e in s["endpoints"])' \
    -- exposure -q --format json "$SRC/fixtures/bridge-nlb"
expect bridge-exposure-text 0 '"tcp:9090 (host tcp:32768)" in out' \
    -- exposure -q "$SRC/fixtures/bridge-nlb"

# Ids printed are selectors: Terraform tasks, classic ELBs, databases.
expect tf-task-id 0 '[p["to"] for p in js()["pairs"]] == ["aws_ecs_service.user#task/0"]' \
    -- can -q --format json --from internet --to 'aws_ecs_service.user#task/0' --port 3000 "$SRC/fixtures/terraform"
expect tf-module-address 2 '"matches nothing" in err' \
    -- can -q --from internet --to 'module.x.aws_ecs_service.nope' --port 3000 "$SRC/fixtures/terraform"
expect clb-id 0 '"lb:legacy-elb" in [e["id"] for s in js()["services"] for e in s["endpoints"]]' \
    -- exposure -q --format json "$SRC/tests/scenarios/alb-elb"

# An internet-facing classic ELB without subnets: unknown to both can and exposure.
expect clb-no-subnets-can 3 '"no interface or subnet of test-lb-1" in out' \
    -- can -q --from internet --to lb:test-lb-1 --port 80 "$P/cartography/ec2"
expect clb-no-subnets-exposure 0 '[e["verdict"] for s in js()["services"] for e in s["endpoints"] if e["id"] == "lb:test-lb-1"] == ["unknown"]' \
    -- exposure -q --format json "$P/cartography/ec2"

# service:NAME from the tasks' group, without describe-services.
expect service-from-group 3 'len(js()["pairs"]) == 1 and js()["pairs"][0]["to"].endswith("/2e04f4f94d1149b3b4a0515e4a71d933")' \
    -- can -q --format json --from internet --to service:c7n-test-service --port 80 "$P/cloud-custodian/test_ecs_task_sg_filter/cli"
expect service-from-group-cluster 3 'len(js()["pairs"]) == 1' \
    -- can -q --format json --from internet --to service:c7n-test-cluster/c7n-test-service --port 80 "$P/cloud-custodian/test_ecs_task_sg_filter/cli"
expect service-from-group-other-cluster 2 '"matches nothing" in err' \
    -- can -q --from internet --to service:other/c7n-test-service --port 80 "$P/cloud-custodian/test_ecs_task_sg_filter/cli"

# Selectors that match but form no pair: an error saying why.
expect no-pair 2 '"both select only eni-00000000" in err and out == ""' \
    -- can -q --from i-00000000000000000 --to i-00000000000000002 --port 8000 "$P/cloudmapper-demo/account-data"

# CloudMapper's demo lists one interface id (eni-00000000) under three instances with
# different subnets, groups and addresses: each disagreement is a located warning, and
# what reaches it is unknown, from every instance's name alike.
expect cloudmapper-duplicate-eni 0 'all(w in err for w in ("ec2-describe-instances.json: $.Reservations[0].Instances[1].NetworkInterfaces[0] (line 137): warning: eni-00000000 is described again with a different instance (i-00000000000000000, then i-00000000000000001)", "eni-00000000 is described again with a different PrivateIpAddress (10.0.2.1, then 10.0.3.1)", "eni-00000000 is described again with a different SubnetId"))' \
    -- summary "$P/cloudmapper-demo/account-data"
for sel in i-00000000000000000 i-00000000000000001 10.0.0.1 10.0.3.1; do
    expect "cloudmapper-duplicate-eni-$sel" 3 '"UNKNOWN" in out and "two descriptions of it" in out' \
        -- can -q --from internet --to "$sel" --port 22 "$P/cloudmapper-demo/account-data"
done

# CloudMapper's collect layout, as it is: extension-less per-call files are read by content.
expect cloudmapper-summary 0 'js()["tasks"] == 1 and js()["skipped"]["files"] > 0 and js()["skipped"]["recognised_as_nothing"] > 0' \
    -- summary --format json "$P/cloudmapper-demo/account-data"
expect cloudmapper-summary-text 0 '"skipped_files" in out and "JSON sgreach does not recognise" in out' \
    -- summary -q "$P/cloudmapper-demo/account-data"
expect cloudmapper-task 1 '"internet cannot reach d190d14a-2404-45d6-9113-4eda22d7f2c7" in out and "sg-00000008 ingress" in out' \
    -- can -q --from internet --to task:d190d14a-2404-45d6-9113-4eda22d7f2c7 --port 80 "$P/cloudmapper-demo/account-data"

# Content, not name: a non-JSON file is counted as skipped; a file that only
# looks like JSON is a warning, not a fatal error; a .json file stays strict.
mkdir -p "$tmp/mixed/ec2-describe-vpcs"
printf '{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}\n' >"$tmp/mixed/ec2-describe-vpcs/default"
printf 'notes about this collection\n' >"$tmp/mixed/README"
printf '{"Vpcs": [ oops\n' >"$tmp/mixed/broken.txt"
expect content-recognised 0 'js()["vpcs"] == 1 and js()["skipped"]["not_json"] == 2 and any("not JSON" in w["message"] for w in js()["warnings"])' \
    -- summary --format json "$tmp/mixed"
cp "$tmp/mixed/broken.txt" "$tmp/mixed/broken.json"
expect json-name-strict 2 '"broken.json" in err' -- summary "$tmp/mixed"

echo "$((n - fail)) of $n checks pass"
[ "$fail" = 0 ]
