#!/usr/bin/env bash
# A real browser reads the HTML report: Debian's chromium in headless mode loads
# the report of a fixture from file://, and we check the rendered DOM (sections,
# tables, the SVG, no script) and that the page made no network request (from
# Chromium's own net log; a canary page proves the check sees requests). It also
# prints the report to PDF.
# Without chromium the test is skipped, unless SGREACH_REQUIRE_BROWSER=1 (.ci/run
# sets it after `scripts/setup-deps --browser`).
set -euo pipefail
: "${SGREACH:?}" "${SRC:?}"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  if [ "${SGREACH_REQUIRE_BROWSER:-}" = 1 ]; then
    echo "FAIL: chromium is not installed (scripts/setup-deps --browser)"
    exit 1
  fi
  echo "SKIP: chromium is not installed (scripts/setup-deps --browser installs it)"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$SRC"
"$SGREACH" report fixtures/bridge-nlb --format html --quiet -o "$tmp/report.html"
printf '<!DOCTYPE html><html><body><img src="http://canary.sgreach.invalid/x.png"></body></html>\n' > "$tmp/canary.html"

run_browser() { # PAGE NETLOG OUT
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$tmp/profile" --disable-background-networking --disable-component-update \
    --disable-sync --disable-extensions --host-resolver-rules="MAP * ~NOTFOUND" \
    --log-net-log="$2" --dump-dom "file://$1" > "$3" 2> "$tmp/browser.log"
}
run_browser "$tmp/report.html" "$tmp/net.json" "$tmp/dom.html"
run_browser "$tmp/canary.html" "$tmp/canary-net.json" "$tmp/canary-dom.html"
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$tmp/profile" \
  --disable-background-networking --host-resolver-rules="MAP * ~NOTFOUND" --no-pdf-header-footer \
  --print-to-pdf="$tmp/report.pdf" "file://$tmp/report.html" 2>> "$tmp/browser.log" >/dev/null

python3 - "$tmp" "$SRC/tests/e2e/lib/netlog_page_requests.py" <<'PY'
import re, subprocess, sys
tmp, netlog = sys.argv[1], sys.argv[2]
fail = []
def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        fail.append(what)
dom = open(tmp + "/dom.html").read()
check(len(dom) > 1000, "the browser rendered the report (%d bytes of DOM)" % len(dom))
for sec in ("summary", "estate", "exposure", "blast", "findings", "graphs"):
    check('<section id="%s"' % sec in dom, "section #%s is in the DOM" % sec)
check(dom.count("<table") >= 4, "tables rendered (%d)" % dom.count("<table"))
check(re.search(r"<svg[^>]*>", dom) is not None and 'class="graph"' in dom, "the Graphviz SVG is in the DOM")
check("orders-nlb" in dom and "reports-worker" in dom, "the estate's names are in the DOM")
check("nlb-bridge-host-exposure" in dom, "the seeded pitfall is among the findings")
check("<script" not in dom.lower(), "no script element")
check("Content-Security-Policy" in dom, "the CSP meta is there")
def requests(log):
    out = subprocess.run([sys.executable, netlog, log], capture_output=True, text=True, check=True).stdout
    return [u for u in out.splitlines() if u]
canary = requests(tmp + "/canary-net.json")
check(any("canary.sgreach.invalid" in u for u in canary), "the net-log check sees a page's request (canary)")
made = requests(tmp + "/net.json")
check(made == [], "the report made no network request %s" % (made or ""))
pdf = open(tmp + "/report.pdf", "rb").read()
check(pdf.startswith(b"%PDF") and len(pdf) > 10000, "printed to PDF (%d bytes)" % len(pdf))
sys.exit(1 if fail else 0)
PY
