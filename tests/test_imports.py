"""The project's imports form a tree: no module imports one that imports it back (directly or round a loop), and no
layer imports one above it. Read from the source by grimp, the graph import-linter uses."""

from __future__ import annotations

import grimp

PACKAGES = ("domain", "workflows", "activities", "store", "runtime", "cli", "gateway", "demo", "web")
# the layers that hold today, highest first in each rule: a package never imports those above it
NEVER_IMPORTS = {
    "domain": {"workflows", "activities", "store", "runtime", "cli", "gateway", "demo", "web"},
    "workflows": {"store", "runtime", "cli", "gateway", "demo", "web"},
    "activities": {"gateway", "cli", "demo", "web"},
    "store": {"workflows", "activities", "gateway", "cli", "demo", "web"},
    "gateway": {"cli", "demo", "web"},
    "web": {"workflows", "activities", "store", "cli", "demo"},  # through the gateway only
    "cli": {"workflows", "activities", "store", "web", "demo"},  # through the gateway only; starter.py serves the web
}


def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, include_external_packages=False)


def cycles(imports: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(imports.modules):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(imports.find_modules_directly_imported_by(root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, targets = work[-1]
            if targets:
                target = targets.pop()
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, sorted(imports.find_modules_directly_imported_by(target))))
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_loop() -> None:
    loop = grimp.ImportGraph()
    for module in ("a", "a.one", "a.two", "a.three"):
        loop.add_module(module)
    loop.add_import(importer="a.one", imported="a.two")
    loop.add_import(importer="a.two", imported="a.one")
    loop.add_import(importer="a.three", imported="a.one")
    assert cycles(loop) == [["a.one", "a.two"]]


def test_no_layer_imports_one_above_it() -> None:
    imports = graph()
    upward = [
        f"{importer} -> {imported}"
        for importer in sorted(imports.modules)
        for imported in sorted(imports.find_modules_directly_imported_by(importer))
        if imported.split(".")[0] in NEVER_IMPORTS.get(importer.split(".")[0], set())
    ]
    assert upward == []
