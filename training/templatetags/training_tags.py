"""Template helpers: Markdown lessons (sanitised) and the practice-question lookup."""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

from ..models import Question

register = template.Library()

# What lesson Markdown may produce; everything else (raw HTML, scripts, styles) is stripped,
# because lessons are edited in the admin by experts and the CSP forbids inline code anyway.
ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "code", "pre",
    "blockquote", "a", "br", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


@register.filter(name="markdown")
def render_markdown(text: str) -> str:
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    return mark_safe(  # noqa: S308 - sanitised by nh3 just above
        nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}})
    )


@register.simple_tag
def practice_question_for(report) -> Question | None:
    return Question.objects.filter(source_report=report).select_related("module").first()


@register.filter
def get_item(row: dict, key: str):
    return row.get(key)


@register.filter(name="tr")
def translated(obj, field: str):
    """``{{ lesson|tr:"title" }}``: the field in the active language, English as fallback."""
    return obj.tr(field) if obj is not None else ""


@register.filter(name="untranslated")
def untranslated(obj) -> bool:
    """True when the object has no complete text in the active language (shows a notice)."""
    return obj is not None and not obj.is_translated()
