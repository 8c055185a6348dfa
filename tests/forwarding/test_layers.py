"""The outbox package imports one way: each module only uses the modules below it.

Every ``import`` of every module in reports/ is read with ``ast`` — including imports placed
inside functions, which only hide a circle — and resolved to the reports module it names.
``LAYERS`` is the package's order, lowest first (docs/forwarding.md, "Module layout"); the
facade ``reports.forwarding`` re-exports for the rest of the site and ``reports.tasks`` (the
Celery shells) sits on top. Modules of reports outside ``LAYERS`` are either below the package
(models, notices: the package may use them) or above it (services, views, admin: they may use
the package); none may be both.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from django.conf import settings

from reports import tasks
from spotter.celery import app

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "reports"

LAYERS = [
    "reports.forwarding.outbox",  # claim / lease / mark, backoff, dead letters, due rows
    "reports.forwarding.mail",  # email channel
    "reports.forwarding.webhooks",  # signed webhook channel, SSRF-pinned HTTP
    "reports.forwarding.channels",  # send one delivery over its channel
    "reports.forwarding.delivery",  # one attempt, the deliver task, queueing, the sweep
    "reports.forwarding.digest",  # daily digests, the send_digest task
    "reports.forwarding.sla",  # overdue reports, escalation
    "reports.forwarding.alerts",  # operations alerts, heartbeats
    "reports.forwarding.planning",  # what forwarding a report writes; retrying a dead letter
    "reports.forwarding",  # the facade other code imports
    "reports.tasks",  # thin Celery shells
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _paths() -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in sorted(REPORTS.rglob("*.py"))
        if "migrations" not in path.parts
    }


MODULES = _paths()


def _known(name: str) -> str | None:
    """The longest prefix of ``name`` that is a module of reports (None: another package)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return candidate
        parts.pop()
    return None


def _deferred_nodes(tree: ast.AST) -> set[int]:
    nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    nodes.add(id(inner))
    return nodes


@cache
def imports(module: str) -> tuple[tuple[str, int, bool], ...]:
    """(reports module imported, line, inside a function?) for every import of ``module``."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(), filename=str(path))
    deferred = _deferred_nodes(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # ``from x import y`` names module x.y if there is one, else something in x.
            names = [f"{source}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            target = _known(name)
            if target is not None and target != module:
                found.append((target, node.lineno, id(node) in deferred))
    return tuple(found)


def _reaches(start: str, goal: set[str]) -> bool:
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module in goal:
            return True
        if module not in seen:
            seen.add(module)
            todo.extend(target for target, _line, _deferred in imports(module))
    return False


def test_every_module_of_the_package_has_its_place_in_the_order():
    package = {name for name in MODULES if name.startswith("reports.forwarding")}
    assert package == {name for name in LAYERS if name.startswith("reports.forwarding")}


def test_each_module_imports_only_modules_below_it():
    upward = []
    for index, module in enumerate(LAYERS):
        below = set(LAYERS[:index])
        above = set(LAYERS[index:])
        for target, line, _deferred in imports(module):
            if target in LAYERS and target not in below:
                upward.append(f"{module}:{line} imports {target} (not below it)")
            elif target not in LAYERS and _reaches(target, above):
                upward.append(f"{module}:{line} imports {target}, which imports the package")
    assert not upward, "the outbox imports one way only:\n" + "\n".join(upward)


def test_no_circle_of_imports_anywhere_in_reports():
    """Deferred imports count: moving an import into a function hides a circle, not breaks it."""
    visiting, done, circles = [], set(), []

    def visit(module: str) -> None:
        if module in done:
            return
        if module in visiting:
            circles.append(" -> ".join([*visiting[visiting.index(module) :], module]))
            return
        visiting.append(module)
        for target in sorted({target for target, _line, _deferred in imports(module)}):
            visit(target)
        visiting.pop()
        done.add(module)

    for module in MODULES:
        visit(module)
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_outbox_imports_are_never_hidden_in_a_function():
    hidden = []
    for module in MODULES:
        for target, line, deferred in imports(module):
            in_layers = module in LAYERS or target in LAYERS
            if deferred and in_layers:
                hidden.append(f"{module}:{line} imports {target} inside a function")
    assert not hidden, "\n".join(hidden)


def test_task_names_are_unchanged():
    """Beat, workers and queued messages know the tasks by name: reports.tasks.*"""
    names = {
        "reports.tasks.deliver",
        "reports.tasks.deliver_company",
        "reports.tasks.send_digest",
        "reports.tasks.sweep_outbox",
        "reports.tasks.check_slas",
        "reports.tasks.send_digests",
        "reports.tasks.heartbeat",
        "reports.tasks.check_operations",
        "reports.tasks.notify_volunteer",
        "reports.tasks.purge_rejected_originals",
        "reports.tasks.refresh_headline_counts",
        "reports.tasks.refresh_cites_appendices",
    }
    assert names <= set(app.tasks)
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {name for name in scheduled if name.startswith("reports.")} <= names
    assert tasks.deliver.name == "reports.tasks.deliver"
    assert tasks.send_digest.name == "reports.tasks.send_digest"
