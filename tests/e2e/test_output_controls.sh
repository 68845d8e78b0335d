#!/usr/bin/env bash
# Issue 16 §3: no output of any command, in any format, carries a raw control
# character (C0 but newline and tab, DEL, C1) or a Unicode bidirectional
# control from the input, and no input string can forge a line. The
# bridge-nlb estate gets a rule description that would print a GitHub Actions
# workflow command and a fake verdict, names holding ESC [2J, C1 CSI, DEL,
# U+202E and U+2066, a bad CIDR holding ESC, a file whose name holds a
# newline; every command and format runs on it, and stdout and stderr are read
# byte by byte.
set -uo pipefail
: "${SGREACH:?}" "${SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$SRC/fixtures/bridge-nlb" "$tmp/estate"
python3 - "$tmp/estate" <<'PY'
import json, os, sys
d = sys.argv[1]
FORGE = "ok\n::error file=x::forged\nREACHABLE: nobody"
def edit(name, fn):
    p = os.path.join(d, name)
    j = json.load(open(p))
    fn(j)
    json.dump(j, open(p, "w"), indent=4)
def groups(j):
    for g in j["SecurityGroups"]:
        for perm in g["IpPermissions"]:
            for r in perm["IpRanges"]:
                r["Description"] = FORGE
        if g["GroupName"] != "default":
            g["GroupName"] = "web\x1b[2J\u009b31m\x7f\u202egnp.exe\u2066x\u2069"
    # a rule that cannot be read: its warning quotes the bad CIDR
    j["SecurityGroups"][0]["IpPermissions"].append(
        {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 2, "IpRanges": [{"CidrIp": "10.0.0.0/8\x1b[2J"}]})
def instances(j):
    for res in j["Reservations"]:
        for i in res["Instances"]:
            i["Tags"] = [{"Key": "Name", "Value": "host\n::warning::x " + i["InstanceId"]},
                         {"Key": "own\u202eer", "Value": "\u0085team"}]
def tgs(j):
    for t in j["TargetGroups"]:
        t["TargetGroupName"] = "tg\r\nREACHABLE: forged"
edit("describe-security-groups.json", groups)
edit("describe-instances.json", instances)
edit("describe-target-groups.json", tgs)
# a file whose name holds a newline and a workflow command: it is cited by every origin
os.rename(os.path.join(d, "describe-security-groups.json"), os.path.join(d, "describe-security-groups\n::error::named.json"))
PY
cd "$tmp" || exit 1
fail=0
n_runs=0
# run NAME ARGS...: stdout and stderr into out/NAME.{out,err}; any exit of the contract
mkdir -p out
run() {
  local name=$1; shift
  "$SGREACH" "$@" >"out/$name.out" 2>"out/$name.err"
  local rc=$?
  if [ $rc -gt 4 ]; then echo "FAIL $name: exit $rc"; fail=1; fi
  n_runs=$((n_runs + 1))
}
for fmt in text json; do
  run "summary-$fmt" summary --format "$fmt" estate
  run "can-$fmt" can --from internet --to 'tag:Name=*' --port 32768 --format "$fmt" estate
  run "exposure-$fmt" exposure --format "$fmt" estate
  run "blast-$fmt" blast --from internet --format "$fmt" estate
  run "diff-$fmt" diff --format "$fmt" "$SRC/fixtures/bridge-nlb" estate
done
for fmt in csv md; do run "exposure-$fmt" exposure --format "$fmt" estate; done
run blast-csv blast --from internet --format csv estate
for fmt in text json sarif junit codequality md; do
  run "check-$fmt" check --findings --format "$fmt" estate
done
for fmt in html md json; do run "report-$fmt" report --format "$fmt" estate; done
for fmt in dot mermaid; do run "graph-$fmt" graph --format "$fmt" estate; done
# the command line's own echoes: a selector, an option, a format, a command
run sel-bad can --from $'name:\x1b[2Jx\n::error::sel' --to internet --port 1 estate
run sel-none can --from $'name:nothing\u202e' --to internet --port 1 estate
run opt-bad can $'--fro\x1b[2Jm' internet estate
run fmt-bad exposure --format $'tex\x1bt' estate
run cmd-bad $'ca\x1bn\n::error::cmd'
run file-missing summary $'missing\n::error::file.json'

python3 - out <<'PY' || fail=1
import os, re, sys
d = sys.argv[1]
# CSV ends its records with CRLF (RFC 4180): a carriage return before a newline is its own
bad = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
forged = re.compile(rb"^(::(error|warning)|REACHABLE: (nobody|forged))", re.M)
fails, seen = [], {}
for name in sorted(os.listdir(d)):
    data = open(os.path.join(d, name), "rb").read()
    m = bad.search(data)
    if m:
        fails.append("%s: raw %r at byte %d: %r" % (name, m.group(0), m.start(), data[max(0, m.start() - 40):m.start() + 20]))
    m = forged.search(data)
    if m:
        fails.append("%s: a forged line: %r" % (name, data[m.start():m.start() + 60]))
    for needle in (rb"ok\n::error file=x::forged", rb"\x1B[2J", rb"\u202E", rb"describe-security-groups\n::error::named.json"):
        if needle in data:
            seen.setdefault(needle, []).append(name)
# the escapes are shown, not dropped: the forged description, ESC, U+202E, the file name
for needle in (rb"ok\n::error file=x::forged", rb"\x1B[2J", rb"\u202E", rb"describe-security-groups\n::error::named.json"):
    if needle not in seen:
        fails.append("no output shows %r escaped" % needle)
for must in ("exposure-text.out", "check-sarif.out", "sel-bad.err", "opt-bad.err", "fmt-bad.err", "cmd-bad.err"):
    if not os.path.getsize(os.path.join(d, must)):
        fails.append("%s is empty: the run printed nothing to check" % must)
for f in fails:
    print("FAIL " + f)
print("output controls: %d outputs read, %d escaped forms seen" % (len(os.listdir(d)), sum(len(v) for v in seen.values())))
sys.exit(1 if fails else 0)
PY
# the SARIF rule ids carry no newline (they name findings; a policy entry's name becomes one)
python3 - out/check-sarif.out <<'PY' || fail=1
import json, sys
doc = json.load(open(sys.argv[1]))
ids = [r["ruleId"] for run in doc["runs"] for r in run.get("results", [])]
ids += [r["id"] for run in doc["runs"] for r in run["tool"]["driver"].get("rules", [])]
bad = [i for i in ids if any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in i)]
print(("FAIL SARIF rule ids with controls: %r" % bad) if bad else "SARIF: %d rule ids, none with a control character" % len(ids))
sys.exit(1 if bad or not ids else 0)
PY
echo "output controls: $n_runs runs"
[ $fail -eq 0 ] && echo "output controls: OK" || { echo "output controls: FAILED"; exit 1; }
