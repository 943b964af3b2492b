#!/usr/bin/env python3
"""check_deps.py OBJ... -- the link-time dependencies among the core's units.

Reads `nm` of each object: an object depends on another when it uses (U) a
symbol the other defines. Prints the graph, one unit per line, and fails
(exit 1) when the graph has a cycle, naming it. Also fails when a unit that
must stand alone (gaussreg_rng: the generator) depends on any other.
"""
import os
import subprocess
import sys

STANDALONE = {"gaussreg_rng"}


def symbols(obj):
    out = subprocess.run(["nm", "-P", obj], check=True, capture_output=True,
                         text=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if kind == "U":
            used.add(name)
        elif kind.isupper():  # global definitions only
            defined.add(name)
    return defined, used


def find_cycle(graph):
    """A cycle as a list of nodes, or None (depth-first, three colours)."""
    colour, stack = {n: 0 for n in graph}, []

    def visit(n):
        colour[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if colour[m] == 1:
                return stack[stack.index(m):] + [m]
            if colour[m] == 0:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        colour[n] = 2
        return None

    for n in sorted(graph):
        if colour[n] == 0:
            found = visit(n)
            if found:
                return found
    return None


def main(objs):
    unit = {o: os.path.splitext(os.path.basename(o))[0] for o in objs}
    syms = {o: symbols(o) for o in objs}
    owner = {}
    for o, (defined, _) in syms.items():
        for s in defined:
            owner[s] = unit[o]
    graph = {unit[o]: set() for o in objs}
    for o, (_, used) in syms.items():
        for s in used:
            if s in owner and owner[s] != unit[o]:
                graph[unit[o]].add(owner[s])
    for u in sorted(graph):
        print(f"{u} -> {', '.join(sorted(graph[u])) or '(nothing)'}")
    bad = 0
    for u in sorted(STANDALONE & set(graph)):
        if graph[u]:
            print(f"check_deps: {u} must depend on no other unit", file=sys.stderr)
            bad = 1
    cycle = find_cycle(graph)
    if cycle:
        print("check_deps: dependency cycle: " + " -> ".join(cycle), file=sys.stderr)
        bad = 1
    if not bad:
        print(f"check_deps: {len(graph)} units, no cycle")
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
