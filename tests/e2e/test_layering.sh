#!/usr/bin/env bash
# The house's rules (docs/architecture.md, "What each folder may include"), checked on every
# source file, and no circle of source files that call each other (from the objects' symbols).
# An include that runs back up the pipeline, or two files that need each other, fails here.
set -uo pipefail
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$SRC/build}
python3 - "$SRC" "$BUILD" <<'PY'
import collections, glob, os, re, subprocess, sys
src, build = sys.argv[1], sys.argv[2]
fails = []
# folder -> the folders its quoted includes may name (besides its own files)
allowed = {
    'include/sgreach': {'sgreach'},
    'graph': {'graph', 'sgreach'},
    'analyzer/load': {'load', 'graph', 'sgreach'},
    'analyzer/queries': {'queries', 'load', 'graph', 'sgreach'},
    'analyzer/output': {'output', 'queries', 'graph', 'sgreach'},
    'analyzer/cli': {'cli', 'output', 'queries', 'load', 'graph', 'sgreach'},
}
third_party = re.compile(r'#include <(jansson|pcre2|libcidr)\.h>')
n = 0
for folder, ok in allowed.items():
    for path in sorted(glob.glob(os.path.join(src, folder, '*.[ch]'))):
        n += 1
        rel = os.path.relpath(path, src)
        for i, line in enumerate(open(path, encoding='utf-8'), 1):
            m = re.match(r'\s*#\s*include "([^"]+)"', line)
            if m:
                name = m.group(1)
                top = name.split('/')[0] if '/' in name else None
                if top is None:
                    # a bare name: only graph/ and include/ use them, for files beside them
                    if folder.startswith('analyzer') or not os.path.exists(os.path.join(src, folder, name)):
                        fails.append(f'{rel}:{i}: "{name}": name the folder ("load/…", "graph/…")')
                elif top not in ok:
                    fails.append(f'{rel}:{i}: "{name}": {folder}/ may not include {top}/ (it runs back up the pipeline)')
            if folder in ('graph', 'include/sgreach') and third_party.search(line):
                fails.append(f'{rel}:{i}: {folder}/ is plain C: no third-party library')
if n < 100:
    fails.append(f'only {n} source files found under {src}')

# Circles: file A uses a symbol of file B and B (perhaps through others) one of A.
defs, uses = {}, collections.defaultdict(set)
objs = glob.glob(os.path.join(build, 'CMakeFiles', 'sgr*.dir', '**', '*.o'), recursive=True)
if len(objs) < 50:
    fails.append(f'only {len(objs)} objects under {build}: build first')
for o in objs:
    name = o.split('.dir' + os.sep, 1)[1][:-2]
    for line in subprocess.run(['nm', o], capture_output=True, text=True).stdout.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in 'TDBR':
            defs[p[2]] = name
        elif len(p) == 2 and p[0] == 'U':
            uses[name].add(p[1])
graph = {f: {defs[u] for u in us if u in defs and defs[u] != f} for f, us in uses.items()}
index, low, stack, on, count = {}, {}, [], set(), [0]
sys.setrecursionlimit(100000)
def visit(v):
    index[v] = low[v] = count[0]; count[0] += 1; stack.append(v); on.add(v)
    for w in graph.get(v, ()):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            fails.append('files that call each other: ' + ' '.join(sorted(comp)))
for v in sorted(graph):
    if v not in index:
        visit(v)
for f in fails:
    print('FAIL:', f)
sys.exit(1 if fails else 0)
PY
