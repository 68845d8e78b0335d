#!/usr/bin/env bash
# Determinism (issue 6): the same estate gives byte-identical output across
# runs, across the order in which files are given, and across locales.
set -u
: "${SGREACH:?}" "${SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 compared=0

# Commands over each estate; each is run with the files in sorted order, in
# reverse order, shuffled (fixed seed), and under other locales.
commands=(
  "summary --format json"
  "can --from internet --to 0.0.0.0/0 --format json"
  "exposure --format json"
  "blast --from internet --format json"
  "report --format md"
  "report --format json"
  "graph --format dot"
)
for estate in "$SRC"/fixtures/*/; do
  # every JSON file below the estate (the peering estate has ACCOUNT/REGION folders,
  # the Terraform one a plan per design)
  mapfile -t files < <(find "$estate" -name '*.json' -type f | sort)
  [ ${#files[@]} -gt 0 ] || continue
  mapfile -t reversed < <(printf '%s\n' "${files[@]}" | sort -r)
  mapfile -t shuffled < <(printf '%s\n' "${files[@]}" | python3 -c "import random,sys; l=sys.stdin.read().split(); random.Random(7).shuffle(l); print('\n'.join(l))")
  for cmd in "${commands[@]}"; do
    # shellcheck disable=SC2086
    "$SGREACH" $cmd "${files[@]}" >"$tmp/a" 2>"$tmp/a.err"; rc=$?
    [ $rc -eq 4 ] && grep -q "not implemented" "$tmp/a.err" && continue
    for variant in reversed shuffled locale1 locale2 again; do
      case $variant in
        reversed) "$SGREACH" $cmd "${reversed[@]}" >"$tmp/b" 2>"$tmp/b.err" ;;
        shuffled) "$SGREACH" $cmd "${shuffled[@]}" >"$tmp/b" 2>"$tmp/b.err" ;;
        locale1) LC_ALL=C.UTF-8 LANG=C.UTF-8 "$SGREACH" $cmd "${files[@]}" >"$tmp/b" 2>"$tmp/b.err" ;;
        locale2) LC_ALL=POSIX TZ=Pacific/Chatham "$SGREACH" $cmd "${files[@]}" >"$tmp/b" 2>"$tmp/b.err" ;;
        again) "$SGREACH" $cmd "${files[@]}" >"$tmp/b" 2>"$tmp/b.err" ;;
      esac
      rc2=$?
      compared=$((compared+1))
      if [ $rc -ne $rc2 ] || ! cmp -s "$tmp/a" "$tmp/b"; then
        echo "FAIL $(basename "$estate") '$cmd' differs ($variant): exit $rc vs $rc2"
        diff "$tmp/a" "$tmp/b" | head -6
        fail=1
      fi
    done
  done
done
echo "determinism: $compared comparisons"
[ $compared -gt 0 ] || { echo "FAIL nothing compared"; exit 1; }
[ $fail -eq 0 ]
