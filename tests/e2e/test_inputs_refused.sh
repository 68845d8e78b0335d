#!/usr/bin/env bash
# Issue 15 §3: inputs that are not what the command expects are refused (exit 2, an error
# naming the file), never read as an empty, clean estate; files recognised as nothing are
# warned on stderr, never on stdout.
set -uo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
FIX="$SRC/fixtures/ecommerce-awsvpc"
PLAN="$SRC/fixtures/terraform/ecommerce-awsvpc/plan.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect EXIT CMD... : runs CMD, stdout to out.txt, stderr to err.txt, checks the exit code.
expect() {
  local want=$1; shift
  "$@" >out.txt 2>err.txt
  local rc=$?
  [ "$rc" = "$want" ] || { cat out.txt err.txt >&2; fail "exit $rc, wanted $want: $*"; }
}
# says FILE TEXT : FILE (out.txt or err.txt) holds TEXT.
says() { grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$1 lacks: $2"; }; }
silent() { ! grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$1 should not hold: $2"; }; }

echo '{}' >empty.json
# What `terraform plan -json` prints: Terraform's machine-readable UI, one JSON object a line.
cat >plan-log.json <<'EOF'
{"@level":"info","@message":"Terraform 1.6.6","@module":"terraform.ui","@timestamp":"2024-01-09T10:00:00.000000Z","terraform":"1.6.6","type":"version","ui":"1.2"}
{"@level":"info","@message":"aws_security_group.web: Plan to create","@module":"terraform.ui","@timestamp":"2024-01-09T10:00:01.000000Z","change":{"resource":{"addr":"aws_security_group.web","resource_type":"aws_security_group","resource_name":"web"},"action":"create"},"type":"planned_change"}
{"@level":"info","@message":"Plan: 1 to add, 0 to change, 0 to destroy.","@module":"terraform.ui","@timestamp":"2024-01-09T10:00:01.000000Z","changes":{"add":1,"change":0,"import":0,"remove":0,"operation":"plan"},"type":"change_summary"}
EOF

# 1. `{}` alone: nothing to analyse, for every command that loads a snapshot.
for cmd in "summary" "can --from internet --to 10.0.0.1 --port 443" "exposure" "blast --from 10.0.0.1" \
           "report --format md" "graph"; do
  # shellcheck disable=SC2086 # cmd is a command and its options
  expect 2 "$SGREACH" $cmd empty.json
  says err.txt "empty.json: nothing to analyse"
  says err.txt "empty.json: warning: recognised as nothing: an empty JSON object"
  silent out.txt "recognised as nothing"
done

# 2. The `terraform plan -json` log stream: named as such, with what to give instead.
expect 2 "$SGREACH" can --from internet --to 10.0.0.1 --port 443 plan-log.json
says err.txt "plan-log.json: warning: this is the \`terraform plan -json\` log stream"
says err.txt "terraform show -json tfplan"
says err.txt "plan-log.json: nothing to analyse"
[ "$(grep -c 'log stream' err.txt)" = 1 ] || fail "the log stream is warned once per file, not once per line"
expect 2 "$SGREACH" diff --plan plan-log.json "$FIX"
says err.txt "diff --plan: plan-log.json is not a Terraform plan (it holds the \`terraform plan -json\` log stream)"
expect 2 "$SGREACH" diff --plan plan-log.json
says err.txt "plan-log.json: nothing to analyse"

# 3. Several files, all nothing: one error naming them.
expect 2 "$SGREACH" summary empty.json plan-log.json
says err.txt "nothing to analyse: no AWS CLI output, Terraform plan or state in empty.json, plan-log.json"

# 4. Beside a real estate a file recognised as nothing is a warning on stderr; the rest loads.
expect 0 "$SGREACH" can --from internet --to lb:ecom-public-alb --port 443 "$FIX" empty.json
says err.txt "empty.json: warning: recognised as nothing"
silent out.txt "warning"
expect 0 "$SGREACH" summary "$FIX" empty.json
says err.txt "empty.json: warning: recognised as nothing"
silent out.txt "warning:"
says out.txt "warnings"
expect 0 "$SGREACH" summary --format json "$FIX" empty.json
says out.txt "recognised as nothing"
silent err.txt "warning"

# 5. An AWS dump given to `diff --plan` (with and without LIVE): exit 2, never "no change".
expect 2 "$SGREACH" diff --plan "$FIX/describe-security-groups.json"
says err.txt "diff --plan: $FIX/describe-security-groups.json is not a Terraform plan (it holds AWS CLI output)"
silent out.txt "no change"
expect 2 "$SGREACH" diff --plan "$FIX/describe-security-groups.json" "$FIX"
says err.txt "is not a Terraform plan (it holds AWS CLI output)"
expect 2 "$SGREACH" diff --plan empty.json "$FIX"
says err.txt "diff --plan: empty.json is not a Terraform plan (it holds nothing sgreach reads)"

# 6. A Terraform plan where two snapshots are expected.
expect 2 "$SGREACH" diff "$FIX" "$PLAN"
says err.txt "diff: NEW ($PLAN) is a Terraform plan, and diff OLD NEW compares two snapshots: use \`sgreach diff --plan $PLAN [LIVE...]\`"
expect 2 "$SGREACH" diff "$PLAN" "$FIX"
says err.txt "diff: OLD ($PLAN) is a Terraform plan"
# A side of live dumps with a plan among them is an estate with the plan laid over it.
mkdir live-and-plan && cp "$FIX"/*.json "$PLAN" live-and-plan/
expect 1 "$SGREACH" diff "$FIX" live-and-plan

# 7. What these checks must not refuse: a plan with --plan, alone or over the live dumps.
expect 1 "$SGREACH" diff --plan "$PLAN"
expect 1 "$SGREACH" diff --plan "$PLAN" "$FIX"
expect 0 "$SGREACH" diff "$FIX" "$FIX"
echo "test_inputs_refused: ok"
