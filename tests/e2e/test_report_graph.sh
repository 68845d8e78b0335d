#!/usr/bin/env bash
# `sgreach graph`: formats, --focus, a selector that matches nothing, and the
# HTML report without Graphviz (it says so and shows the DOT source instead).
set -euo pipefail
: "${SGREACH:?}" "${SRC:?}"
cd "$SRC"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $1"; }
ko() { echo "FAIL: $1"; fail=1; }

"$SGREACH" graph fixtures/bridge-nlb --quiet > "$tmp/all.dot"
grep -q '^digraph G {' "$tmp/all.dot" && grep -q 'label="orders-nlb\\nNLB, internet-facing"' "$tmp/all.dot" \
  && ok "dot by default, the NLB labelled" || ko "dot output"
grep -q 'label="reports-worker\\n2 tasks, bridge"' "$tmp/all.dot" && ok "tasks grouped per service" || ko "task grouping"
"$SGREACH" graph fixtures/bridge-nlb --format mermaid --quiet > "$tmp/all.mmd"
head -1 "$tmp/all.mmd" | grep -q '^flowchart LR$' && ok "mermaid" || ko "mermaid header"
"$SGREACH" graph fixtures/bridge-nlb --format svg --quiet > "$tmp/all.svg"
head -c 4 "$tmp/all.svg" | grep -q '<svg' && ok "svg" || ko "svg output"

# --focus: the database of the example estate, its neighbours only.
"$SGREACH" graph fixtures/ecommerce-awsvpc --focus service:payment-service --quiet > "$tmp/focus.dot"
grep -q 'payment-service' "$tmp/focus.dot" && ! grep -q '"user-service' "$tmp/focus.dot" \
  && grep -c -- '->' "$tmp/focus.dot" | grep -qv '^0$' && ok "--focus keeps the service and its neighbours" \
  || ko "--focus"
grep -q 'label="user-service' "$tmp/focus.dot" && ko "--focus left user-service in" || true
set +e
"$SGREACH" graph fixtures/ecommerce-awsvpc --focus service:no-such-service --quiet > /dev/null 2> "$tmp/err"
rc=$?
set -e
[ $rc -eq 2 ] && grep -q "matches nothing" "$tmp/err" && ok "--focus matching nothing: exit 2" || ko "--focus nothing (rc $rc)"
set +e
"$SGREACH" graph fixtures/ecommerce-awsvpc --format png --quiet > /dev/null 2>&1
rc=$?
set -e
[ $rc -eq 2 ] && ok "--format png: exit 2" || ko "--format png (rc $rc)"

# No Graphviz: the HTML report says so instead of the picture.
SGREACH_DOT=/nonexistent/dot "$SGREACH" report fixtures/ecommerce-awsvpc --format html -o "$tmp/nodot.html" 2> "$tmp/nodot.err"
grep -q 'No picture: Graphviz `dot` was not found' "$tmp/nodot.html" && grep -q '<pre>digraph G {' "$tmp/nodot.html" \
  && ! grep -q '<svg' "$tmp/nodot.html" && ok "without dot the report says so and shows the DOT" || ko "no-dot report"
grep -q "warning: Graphviz" "$tmp/nodot.err" && ok "and warns on stderr" || ko "no-dot warning"
exit $fail
