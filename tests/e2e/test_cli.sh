#!/usr/bin/env bash
# The command line people expect (issue 17 §4): `COMMAND --help` with that command's options
# and examples; "did you mean" for commands and options; an option that does not apply to a
# command is an error; selectors checked before the snapshot loads; `-` reads one dump from
# standard input; colour on a terminal only (not in a pipe, not with NO_COLOR); `cmake --install`
# installs the binary, sgreach(1) and bash/zsh completions generated from the option table.
set -uo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SGREACH=${SGREACH:-$SRC/build/sgreach}
BUILD=${BUILD:-$(dirname "$SGREACH")}
ECOM="$SRC/fixtures/ecommerce-awsvpc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # CODE CMD...: stdout in out.txt, stderr in err.txt
  local want=$1; shift
  "$@" >out.txt 2>err.txt
  local rc=$?
  [ "$rc" = "$want" ] || { cat out.txt err.txt >&2; fail "exit $rc, wanted $want: $*"; }
}

# 1. COMMAND --help: the command's usage, only its options, examples; exit 0 on stdout.
expect 0 "$SGREACH" can --help
grep -q '^usage: sgreach can --from SEL --to SEL' out.txt || fail "can --help: usage"
grep -q -- '--port P' out.txt && grep -q -- '--batch FILE' out.txt || fail "can --help: its options"
grep -q -- '--policy' out.txt && fail "can --help lists check's --policy"
grep -q '^examples:' out.txt && grep -q '  sgreach can --from internet' out.txt || fail "can --help: examples"
expect 0 "$SGREACH" check -h
grep -q -- '--fail-on SEV' out.txt && grep -q 'text|json|sarif|junit|codequality' out.txt || fail "check --help"
expect 0 "$SGREACH" help can       # as git, kubectl and terraform
grep -q '^usage: sgreach can --from SEL --to SEL' out.txt || fail "help can"
expect 0 "$SGREACH" help
grep -q '^usage: sgreach COMMAND' out.txt || fail "help"
expect 0 "$SGREACH" --help
for c in summary can blast exposure check diff report graph; do grep -q "^  $c " out.txt || fail "--help lacks $c"; done

# 2. Did you mean.
expect 2 "$SGREACH" chek --policy p.json "$ECOM"
grep -q "unknown command 'chek'; did you mean 'check'?" err.txt || fail "did you mean check: $(cat err.txt)"
expect 2 "$SGREACH" can --form internet --to lb:x "$ECOM"
grep -q 'unknown option --form; did you mean --from?' err.txt || fail "did you mean --from: $(cat err.txt)"
expect 2 "$SGREACH" can --pot=443 --from internet --to lb:x "$ECOM"
grep -q 'unknown option --pot; did you mean --port?' err.txt || fail "did you mean --port: $(cat err.txt)"
expect 2 "$SGREACH" hlep
grep -q "unknown command 'hlep'; did you mean 'help'?" err.txt || fail "did you mean help: $(cat err.txt)"
expect 2 "$SGREACH" --versoin
grep -q 'unknown option --versoin; did you mean --version?' err.txt || fail "did you mean --version: $(cat err.txt)"
expect 2 "$SGREACH" exposure --format jsno /nonexistent/snapshot
grep -q "exposure: --format must be one of text|json|csv, not 'jsno'; did you mean json?" err.txt ||
  fail "did you mean json (and before the load): $(cat err.txt)"
expect 2 "$SGREACH" report --format text "$ECOM"
grep -q "report: --format must be one of md|html|json, not 'text'" err.txt || fail "report --format text: $(cat err.txt)"
expect 2 "$SGREACH" frobnicate
grep -q "unknown command 'frobnicate' (try --help)" err.txt || fail "no suggestion for a word far from all"

# 3. An option that does not apply is an error, not ignored.
expect 2 "$SGREACH" summary --port 443 "$ECOM"
grep -q 'summary: option --port does not apply to this command (it is for: can)' err.txt || fail "--port on summary: $(cat err.txt)"
expect 2 "$SGREACH" exposure --policy p.json "$ECOM"
grep -q 'option --policy does not apply' err.txt || fail "--policy on exposure"
expect 2 "$SGREACH" summary --title x "$ECOM"
grep -q 'summary: option --title does not apply to this command (it is for: report)' err.txt || fail "--title on summary: $(cat err.txt)"
expect 2 "$SGREACH" can --format csv --from internet --to lb:ecom-public-alb --port 443 "$ECOM"
grep -q 'can: --format must be one of text|json' err.txt || fail "csv on can: $(cat err.txt)"
expect 0 "$SGREACH" exposure -q --format csv "$ECOM"
head -1 out.txt | grep -q ',' || fail "exposure --format csv"

# 4. Selectors are checked before anything loads: a bad selector on a snapshot that does not exist
#    names the selector, not the missing path.
expect 2 "$SGREACH" can --from 'name~(' --to internet /nonexistent/snapshot
grep -q "can: --from: selector 'name~(': invalid regular expression" err.txt || fail "selector checked first: $(cat err.txt)"
grep -q nonexistent err.txt && fail "the snapshot was read before the selector was checked"

# 5. `-` reads one dump from standard input.
"$SGREACH" summary --format json - <"$ECOM/describe-security-groups.json" >stdin.json 2>err.txt || fail "summary - : exit $?"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["security_groups"] > 0 and d["files"] == 1, d' stdin.json ||
  fail "summary - : counts"
cat "$ECOM/describe-security-groups.json" | "$SGREACH" summary --format json "$ECOM/describe-network-interfaces.json" - >both.json 2>/dev/null ||
  fail "a file and -: exit $?"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["files"] == 2 and d["security_groups"] > 0 and d["network_interfaces"] > 0, d' both.json ||
  fail "a file and -: counts"
expect 2 "$SGREACH" diff - - <"$ECOM/describe-security-groups.json"
grep -q 'diff: - (standard input) can be given once' err.txt || fail "- twice: $(cat err.txt)"
printf '{"SecurityGroups": [{"GroupId": 7}]}' | "$SGREACH" summary - >err.txt 2>&1
grep -q '^sgreach: -: \$.SecurityGroups\[0\]' err.txt || fail "a diagnostic names standard input '-': $(cat err.txt)"

# 6. Colour: on a terminal (script(1) gives one), not in a pipe, not with NO_COLOR.
command -v script >/dev/null || fail "script (util-linux) is missing"
esc=$(printf '\033[')
TERM=xterm script -qec "$SGREACH can -q --from internet --to lb:ecom-public-alb --port 443 $ECOM" /dev/null >tty.txt 2>&1
grep -qF "${esc}1;31mREACHABLE${esc}0m" tty.txt || fail "no colour on a terminal: $(head -2 tty.txt)"
TERM=xterm NO_COLOR=1 script -qec "$SGREACH can -q --from internet --to lb:ecom-public-alb --port 443 $ECOM" /dev/null >tty-nc.txt 2>&1
grep -qF "$esc" tty-nc.txt && fail "colour with NO_COLOR"
"$SGREACH" can -q --from internet --to lb:ecom-public-alb --port 443 "$ECOM" >pipe.txt 2>&1
grep -qF "$esc" pipe.txt && fail "colour in a pipe"
grep -q '^REACHABLE: internet can reach' pipe.txt || fail "plain verdict: $(head -1 pipe.txt)"
# check's verdicts and severities on a terminal; never in -o FILE, nor in JSON, even on a terminal.
BNLB="$SRC/fixtures/bridge-nlb"
TERM=xterm script -qec "$SGREACH check -q --findings --fail-on high $BNLB" /dev/null >tty-check.txt 2>&1
grep -qF "${esc}1;31mFAIL${esc}0m  ${esc}1;31mcritical${esc}0m" tty-check.txt || fail "check: no colour on a terminal"
TERM=xterm script -qec "$SGREACH check -q --findings -o check-o.txt $BNLB; $SGREACH can -q --from internet --to lb:ecom-public-alb --port 443 -o can-o.txt $ECOM; $SGREACH check -q --findings --format json $BNLB" /dev/null >tty-files.txt 2>&1
[ -s check-o.txt ] && [ -s can-o.txt ] || fail "-o on a terminal wrote nothing"
grep -qF "$esc" check-o.txt can-o.txt tty-files.txt && fail "colour in -o FILE or in JSON on a terminal"
TERM=dumb script -qec "$SGREACH check -q --findings $BNLB" /dev/null >tty-dumb.txt 2>&1
grep -qF "$esc" tty-dumb.txt && fail "colour with TERM=dumb"

# 7. cmake --install: binary, man page and completions, all from the option table.
cmake --install "$BUILD" --prefix "$work/prefix" >install.log 2>&1 || { cat install.log; fail "cmake --install"; }
for f in bin/sgreach share/man/man1/sgreach.1 share/bash-completion/completions/sgreach share/zsh/site-functions/_sgreach; do
  [ -s "prefix/$f" ] || fail "not installed: $f"
done
"$work/prefix/bin/sgreach" --version | grep -q '^sgreach ' || fail "installed binary"
if command -v groff >/dev/null; then
  groff -man -Tutf8 -ww -z "prefix/share/man/man1/sgreach.1" 2>groff.err; [ -s groff.err ] && { cat groff.err; fail "man page warnings"; }
fi
"$SGREACH" --help | grep -o -- '--[a-z-]*' | sort -u >help-options.txt
sed 's/\\-/-/g' "prefix/share/man/man1/sgreach.1" | grep -o -- '--[a-z-]*' | sort -u >man-options.txt
comm -23 help-options.txt man-options.txt | grep -v -- '--help\|--version' >missing.txt
[ ! -s missing.txt ] || fail "options in --help but not in sgreach(1): $(cat missing.txt)"
# Every option sgr_cli holds (analyzer/cli/cli.h) is in the table: in --help, in some command's
# --help, in sgreach(1) and in that command's bash and zsh completion.
grep -o -- '/\* .*' "$SRC/analyzer/cli/cli.h" | grep -o -- '--[a-z][a-z-]*' | sort -u >struct-options.txt
[ "$(wc -l <struct-options.txt)" -ge 20 ] || fail "cli.h's options: $(cat struct-options.txt)"
comm -23 struct-options.txt help-options.txt >missing.txt
[ ! -s missing.txt ] || fail "options of sgr_cli missing from --help: $(cat missing.txt)"
for c in summary can blast exposure check diff report graph; do "$SGREACH" $c --help; done | grep -o -- '--[a-z-]*' | sort -u >cmd-options.txt
comm -23 help-options.txt cmd-options.txt | grep -v -- '--version' >missing.txt
[ ! -s missing.txt ] || fail "options in no command's --help: $(cat missing.txt)"
grep -o -- '--[a-z][a-z-]*' "prefix/share/bash-completion/completions/sgreach" | sort -u >bash-options.txt
grep -o -- "'--[a-z][a-z-]*\[" "prefix/share/zsh/site-functions/_sgreach" | tr -d "'[" | sort -u >zsh-options.txt
comm -23 help-options.txt bash-options.txt | grep -v -- '--version' >missing.txt
[ ! -s missing.txt ] || fail "options missing from the bash completion: $(cat missing.txt)"
comm -23 help-options.txt zsh-options.txt | grep -v -- '--version\|--help' >missing.txt
[ ! -s missing.txt ] || fail "options missing from the zsh completion: $(cat missing.txt)"
grep -q '^    report) opts=.*--title' "prefix/share/bash-completion/completions/sgreach" || fail "bash: report's --title"
grep -q '^    summary) opts=.*--title' "prefix/share/bash-completion/completions/sgreach" && fail "bash: --title offered to summary"
bash -n "prefix/share/bash-completion/completions/sgreach" || fail "bash completion syntax"
out=$(bash -c 'source "$1"; COMP_WORDS=(sgreach can --po); COMP_CWORD=2; _sgreach; printf "%s\n" "${COMPREPLY[@]}"' _ "prefix/share/bash-completion/completions/sgreach")
[ "$out" = "--port" ] || fail "bash completion of 'can --po': $out"
out=$(bash -c 'source "$1"; COMP_WORDS=(sgreach ch); COMP_CWORD=1; _sgreach; printf "%s\n" "${COMPREPLY[@]}"' _ "prefix/share/bash-completion/completions/sgreach")
[ "$out" = "check" ] || fail "bash completion of 'ch': $out"
if command -v zsh >/dev/null; then zsh -n "prefix/share/zsh/site-functions/_sgreach" || fail "zsh completion syntax"; fi
grep -q "^    check) _arguments.*'--fail-on\[" "prefix/share/zsh/site-functions/_sgreach" || fail "zsh completion lacks check's --fail-on"
# A refused port says what a port is for the protocol (for ICMP, the type)
err=$("$SGREACH" can --from internet --to 10.0.1.5 --proto icmp --port 443 "$ECOM" 2>&1 >/dev/null); rc=$?
[ "$rc" = 2 ] && case "$err" in *"for ICMP the port is the ICMP type, 0-255"*) true ;; *) false ;; esac ||
  fail "icmp --port 443: exit $rc, $err"
err=$("$SGREACH" can --from internet --to 10.0.1.5 --port 70000 "$ECOM" 2>&1 >/dev/null); rc=$?
[ "$rc" = 2 ] && case "$err" in *"a number from 0 to 65535, or any"*) true ;; *) false ;; esac ||
  fail "--port 70000: exit $rc, $err"
echo "command line: ok"
