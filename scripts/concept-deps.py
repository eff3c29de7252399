#!/usr/bin/env python3
"""Which concept modules of app/src import which (`crate::<concept>` in code, and the
names in `use crate::{…}` blocks), and every import cycle between them.
Usage: python3 scripts/concept-deps.py [--edges] [--layers]   (exit 1 when there is a cycle)
--layers prints the concepts by level: each imports only concepts on lower levels."""
import pathlib
import re
import sys

SRC = pathlib.Path(__file__).resolve().parent.parent / "app" / "src"
SHARED = {"error", "i18n", "ssr", "ui", "pii", "lib", "assets"}


def concept_of(path):
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".rs")


def imports(text):
    code = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))
    found = set(re.findall(r"crate::(\w+)", code))
    for block in re.findall(r"use crate::\{([^;]*)\};", code, re.S):
        depth = 0
        name = ""
        for ch in block:
            if ch == "{":
                if depth == 0 and name.strip():
                    found.add(name.strip().split("::")[0])
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                if name.strip():
                    found.add(name.strip().split("::")[0])
                name = ""
                continue
            if depth == 0 and ch not in "{}":
                name += ch
        if name.strip():
            found.add(name.strip().split("::")[0])
    return found


concepts = sorted({concept_of(p) for p in SRC.rglob("*.rs")} - SHARED)
edges = {c: set() for c in concepts}
for path in SRC.rglob("*.rs"):
    c = concept_of(path)
    if c not in edges:
        continue
    for other in imports(path.read_text()):
        if other in edges and other != c:
            edges[c].add(other)

if "--edges" in sys.argv:
    for c in concepts:
        print(f"{c} -> {', '.join(sorted(edges[c])) or '-'}")

# Tarjan's strongly connected components: each with more than one concept is a cycle.
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))


for c in concepts:
    if c not in index:
        visit(c)
for comp in sccs:
    print("cycle among:", ", ".join(comp))
if "--layers" in sys.argv and not sccs:
    level = {}

    def depth(c):
        if c not in level:
            level[c] = 1 + max((depth(d) for d in edges[c]), default=-1)
        return level[c]

    for c in concepts:
        depth(c)
    for n in range(max(level.values()) + 1):
        print(f"level {n}: {', '.join(c for c in concepts if level[c] == n)}")
print(f"{len(concepts)} concepts, {sum(len(e) for e in edges.values())} imports, {len(sccs)} cycle group(s)")
sys.exit(1 if sccs else 0)
