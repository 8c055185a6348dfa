"""The apps import each other in one direction only, and no module grows past ~500 lines.

Every ``import`` statement of every module of the project's apps is read with ``ast`` —
including imports placed inside functions, which only hide a circle — and mapped to the
top-level package it names. Each app may import only the apps below it in ``LAYERS`` (the
order written in the README's layout section). The project wiring in ``spotter`` (the URLconf,
settings, the Celery app) names every app by necessity and is listed in ``PROJECT_WIRING``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first: an app may import any app to its left, never one to its right.
LAYERS = [
    "spotter",
    "reports",
    "training",
    "keywords",
    "sellers",
    "rechecks",
    "quality",
    "verification",
    "notifications",
    "referrals",
    "rounds",
    "leads",
    "intake",
    "tips",
    "api",
]
RANK = {app: i for i, app in enumerate(LAYERS)}

# Modules of the project package that wire the apps together (they sit above every app).
PROJECT_WIRING = {
    "spotter/urls.py": "the root URLconf includes every app's URLs",
    "spotter/settings.py": "INSTALLED_APPS and task routes name every app",
    "spotter/celery.py": "autodiscovers every app's tasks",
}

# Cross-app imports placed inside a function, each with the reason it must stay there.
ALLOWED_DEFERRED: dict[tuple[str, int], str] = {}

MAX_LINES = 500


def _modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield app, path


def _imports(path: Path):
    """(imported top-level package, line, deferred?) for every absolute import in ``path``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    deferred_nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    deferred_nodes.add(id(inner))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            yield name.split(".")[0], node.lineno, id(node) in deferred_nodes


def test_apps_import_each_other_in_one_direction_only():
    upward, deferred = [], []
    edges = defaultdict(set)
    for app, path in _modules():
        relative = path.relative_to(ROOT).as_posix()
        if relative in PROJECT_WIRING:
            continue
        for target, line, is_deferred in _imports(path):
            if target not in RANK or target == app:
                continue
            edges[app].add(target)
            if RANK[target] > RANK[app]:
                upward.append(f"{relative}:{line} imports {target} (above {app})")
            if is_deferred and (relative, line) not in ALLOWED_DEFERRED:
                deferred.append(f"{relative}:{line} imports {target} inside a function")
    assert not upward, "apps may only import apps below them:\n" + "\n".join(upward)
    assert not deferred, "no cross-app import hidden in a function:\n" + "\n".join(deferred)


def test_project_wiring_list_is_current():
    for relative in PROJECT_WIRING:
        assert (ROOT / relative).exists(), relative


def test_no_module_is_over_500_lines():
    long = []
    for _app, path in _modules():
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not long, "split these by topic:\n" + "\n".join(long)
