#!/usr/bin/env python3
"""The kiosk's layers, checked on every build.

Each folder of kiosk/ is a layer and a library; a layer includes only its own headers and
those of the layers below it, always written with their folder ("core/score.h"), and a
header named *_internal.h only from its own folder. Plugins include only the plugin ABI
(kiosk/include/kiosk/). No header may include itself back through others (a circle).

usage: check_layers.py SOURCE_DIR [STAMP]
Prints one line per problem (file:line: what) and exits 1; touches STAMP when all is well.
"""
import os
import re
import sys

# bottom to top: a layer may include the layers listed for it, and itself
LAYERS = {
    "include": [],  # the plugin ABI: kiosk/plugin.h, kiosk/slide.h
    "core": ["include"],
    "net": ["core", "include"],
    "config": ["core", "include"],
    "render": ["core", "include"],
    "host": ["render", "config", "core", "include"],
    "screen": ["host", "render", "config", "net", "core", "include"],
    "app": ["screen", "host", "render", "config", "net", "core", "include"],
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def sources(top):
    for root, _, files in os.walk(top):
        for name in sorted(files):
            if name.endswith((".c", ".h")):
                yield os.path.join(root, name)


def layer_of(path, kiosk):
    rel = os.path.relpath(path, kiosk).split(os.sep)
    return rel[0] if len(rel) > 1 and rel[0] in LAYERS else None


def resolve(inc, path, kiosk, by_name):
    """The file an include names, as the compiler finds it: beside the file first, then
    under kiosk/ (every library's include root), then the ABI's folder. A bare name of a
    header in another folder is found too, to be reported."""
    for base in (os.path.dirname(path), kiosk, os.path.join(kiosk, "include")):
        cand = os.path.normpath(os.path.join(base, inc))
        if os.path.isfile(cand):
            return cand
    found = by_name.get(inc, [])
    return found[0] if len(found) == 1 else None


def main():
    src = os.path.abspath(sys.argv[1])
    kiosk = os.path.join(src, "kiosk")
    problems, graph = [], {}
    by_name = {}
    for path in sources(kiosk):
        by_name.setdefault(os.path.basename(path), []).append(path)

    def say(path, line, what):
        problems.append(f"{os.path.relpath(path, src)}:{line}: {what}")

    for path in sources(kiosk):
        layer = layer_of(path, kiosk)
        if layer is None:
            continue
        graph[path] = []
        with open(path, encoding="utf-8") as f:
            for n, text in enumerate(f, 1):
                m = INCLUDE.match(text)
                if not m:
                    continue
                inc = m.group(1)
                target = resolve(inc, path, kiosk, by_name)
                if target is None:
                    continue  # generated or system: not ours to check
                graph[path].append((target, n))
                to = layer_of(target, kiosk)
                if to is None:
                    continue
                same_dir = os.path.dirname(target) == os.path.dirname(path)
                if to != layer and to not in LAYERS[layer]:
                    say(path, n, f'the {layer} layer includes "{inc}" of the {to} layer above it')
                elif to != "include" and not same_dir and not inc.startswith(to + "/"):
                    say(path, n, f'write "{to}/{os.path.basename(target)}", not "{inc}"')
                if target.endswith("_internal.h") and not same_dir:
                    say(path, n, f'"{inc}" is internal to {os.path.dirname(os.path.relpath(target, kiosk))}/')

    for path in sources(os.path.join(src, "plugins")):
        with open(path, encoding="utf-8") as f:
            for n, text in enumerate(f, 1):
                m = INCLUDE.match(text)
                if m and not m.group(1).startswith("kiosk/") and not os.path.isfile(
                    os.path.join(os.path.dirname(path), m.group(1))
                ):
                    say(path, n, f'a plugin includes only the plugin ABI (kiosk/...), not "{m.group(1)}"')

    # circles among the headers
    state = {}

    def visit(node, trail):
        state[node] = 1
        for target, n in graph.get(node, []):
            if not target.endswith(".h"):
                continue
            if state.get(target) == 1:
                ring = [os.path.relpath(p, src) for p in trail[trail.index(target):]] if target in trail else []
                say(node, n, "an include circle: " + " -> ".join(ring + [os.path.relpath(target, src)]))
            elif state.get(target) is None:
                visit(target, trail + [target])
        state[node] = 2

    for node in graph:
        if node.endswith(".h") and node not in state:
            visit(node, [node])

    for p in problems:
        print(p)
    if problems:
        print(f"check_layers: {len(problems)} problem(s); the layers are described in kiosk/cmake/check_layers.py")
        return 1
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as f:
            f.write("ok\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
