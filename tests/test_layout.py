"""The package's layout holds: no import cycle, and imports run one way only, cli → library → core.

Imports are read from the source (ast), inside functions too: a lazy import is still a dependency.
Imports under `if TYPE_CHECKING:` are for annotations only and are not followed."""

from __future__ import annotations

import ast
from pathlib import Path

import edgescreen

PACKAGE = Path(edgescreen.__file__).parent

# The library: what writes files and runs commands' jobs. The command line sits above it; every
# other module is the core, which imports only the core.
LIBRARY_PACKAGES = ("edgescreen.outputs", "edgescreen.register", "edgescreen.spotcheck")
LIBRARY_MODULES = {"edgescreen.runtime", "edgescreen.jobs", "edgescreen.rule_files", "edgescreen.rule_tests"}
CLI_PACKAGES = ("edgescreen.cli",)
# The package itself is the public face beside the command line: it re-exports from every layer.
CLI_MODULES = {"edgescreen.__main__", "edgescreen"}


def layer(module: str) -> int:
    """0 core, 1 library, 2 command line."""
    if module in CLI_MODULES or module.startswith(tuple(p + "." for p in CLI_PACKAGES)) or module in CLI_PACKAGES:
        return 2
    if module in LIBRARY_MODULES or module in LIBRARY_PACKAGES or module.startswith(
            tuple(p + "." for p in LIBRARY_PACKAGES)):
        return 1
    return 0


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


class _Imports(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, known: set[str]):
        self.module, self.is_package, self.known, self.found = module, is_package, known, set()

    def visit_If(self, node):  # noqa: N802
        test = node.test
        name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", "")
        for child in (node.orelse if name == "TYPE_CHECKING" else [*node.body, *node.orelse]):
            self.visit(child)

    def visit_Import(self, node):  # noqa: N802
        self.found.update(a.name for a in node.names if a.name in self.known)

    def visit_ImportFrom(self, node):  # noqa: N802
        base = self.module.split(".") if self.is_package else self.module.split(".")[:-1]
        if node.level:
            base = base[:len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        if target in self.known:
            self.found.add(target)
        self.found.update(f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in self.known)


def import_graph(found: dict[str, Path]) -> dict[str, set[str]]:
    graph = {}
    for module, path in found.items():
        visitor = _Imports(module, path.name == "__init__.py", set(found))
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        # A module importing its own package (edgescreen/__init__ for __version__) is no cycle.
        graph[module] = {d for d in visitor.found if d != module and not module.startswith(d + ".")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def wrong_way(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports from a lower layer into a higher one (core → library, library → command line)."""
    return sorted((m, d) for m, deps in graph.items() for d in deps if layer(d) > layer(m))


def test_the_package_has_no_import_cycle():
    assert cycles(import_graph(modules())) == []


def test_imports_run_from_the_command_line_to_the_library_to_the_core():
    assert wrong_way(import_graph(modules())) == []


def test_the_checks_see_a_cycle_and_a_wrong_way_import():
    """Positive controls: the two checks above would fail on a package that has either."""
    graph = {"edgescreen.read": {"edgescreen.header"}, "edgescreen.header": {"edgescreen.read"},
             "edgescreen.checks": {"edgescreen.outputs.xlsx"}, "edgescreen.outputs.xlsx": {"edgescreen.cli.common"},
             "edgescreen.cli.common": set()}
    assert cycles(graph) == [["edgescreen.header", "edgescreen.read"]]
    assert wrong_way(graph) == [("edgescreen.checks", "edgescreen.outputs.xlsx"),
                                ("edgescreen.outputs.xlsx", "edgescreen.cli.common")]


def test_the_layers_are_as_the_readme_draws_them():
    found = modules()
    assert layer("edgescreen.pipeline") == 0 and layer("edgescreen.outputs.write") == 1
    assert layer("edgescreen.cli.screen") == 2 and layer("edgescreen.cli") == 2
    # Every module of the library and the command line exists (a renamed room is renamed here too).
    for name in LIBRARY_MODULES | CLI_MODULES:
        assert name in found, name


def test_the_command_line_is_only_a_layer_over_the_library():
    """Nothing below the command line reaches up into it: its consoles and exit codes stay there."""
    graph = import_graph(modules())
    users = {m for m, deps in graph.items() for d in deps if d.startswith("edgescreen.cli") and layer(m) < 2}
    assert users == set()


def test_the_packages_rooms_are_reachable_as_a_notebook_reaches_them():
    """From an outside try of the library: after `import edgescreen`, help(edgescreen.jobs) raised
    AttributeError and dir(edgescreen) named nothing to complete. The rooms load on first use; the bare
    import still loads no pandas."""
    import subprocess
    import sys

    code = ("import sys, edgescreen; bare = 'pandas' in sys.modules; "
            "print(bare, sorted({'screen', 'write_outputs', 'jobs', 'register'} - set(dir(edgescreen))), "
            "edgescreen.jobs.screen_into.__module__, edgescreen.register.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "[]", "edgescreen.jobs", "edgescreen.register"], out
