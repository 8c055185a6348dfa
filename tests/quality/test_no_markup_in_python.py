"""HTML and SVG are written in templates (autoescaped), not assembled in Python strings."""

import ast
import re
from pathlib import Path

from django.conf import settings

# A tag opening or closing, e.g. '<rect x=' or '</td>' ("<slug:name>" in a URL is no tag).
TAG = re.compile(
    r"</?(svg|rect|line|circle|polygon|polyline|path|text|title|desc|g|table|thead|tbody|"
    r"caption|tr|td|th|div|span|a|p|ul|li)[\s/>]",
    re.IGNORECASE,
)
# Markup marked safe by hand: what a template would escape, these would not.
HAND_MADE_SAFE = {"mark_safe", "format_html", "format_html_join", "SafeString"}


def modules() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return sorted([*(root / "quality").rglob("*.py"), *(root / "reports" / "views").rglob("*.py")])


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes: they may name the tags they describe."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def test_no_html_or_svg_tags_in_python_strings():
    offenders = []
    for path in modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        skip = docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
            ):
                match = TAG.search(node.value)
                if match:
                    offenders.append(f"{path}:{node.lineno}: {match.group(0)!r}")
    assert not offenders, "markup belongs in templates/quality/:\n" + "\n".join(offenders)


def test_quality_marks_nothing_safe_by_hand():
    offenders = []
    for path in modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Name | ast.Attribute):
                names = [node.id if isinstance(node, ast.Name) else node.attr]
            offenders += [f"{path}:{node.lineno}: {n}" for n in names if n in HAND_MADE_SAFE]
    assert not offenders, "let the templates escape:\n" + "\n".join(offenders)


def test_the_check_finds_markup():
    """The patterns above do catch what they are meant to catch."""
    source = 'HEAD = "<svg role=img>"\nCELL = f"<td class=num>{value}</td>"\nURL = "<slug:name>"\n'
    tree = ast.parse(source)
    found = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and TAG.search(node.value)
    ]
    assert sorted(found) == ["</td>", "<svg role=img>", "<td class=num>"]
