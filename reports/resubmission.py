"""What a volunteer changed when answering the expert's request for information.

``reports.services.submission.resubmit_report`` keeps, in its RESUBMITTED audit event, the
names of the changed fields with their values before and after, and the new screenshots' ids.
The review page shows the latest of these while the report waits for a decision: short fields as
before → after, long texts as a word diff (difflib). The template renders every piece with
autoescape; nothing here builds HTML.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist

from spotter.models import AuditEvent

from . import events
from .models import Evidence, ProductType, Report, ReportStatus
from .validation import MULTI_LINE_FIELDS

_WORDS = re.compile(r"(\s+)")


@dataclass
class FieldChange:
    name: str
    label: str
    before: str = ""
    after: str = ""
    recorded: bool = True  # False: an event from before values were kept (names only)
    # For long texts: (op, text) pieces, op in "equal", "delete", "insert".
    pieces: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Resubmission:
    at: object
    info_request: str
    fields: list[FieldChange]
    screenshots: list[Evidence]


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """``before`` → ``after`` as pieces of unchanged, deleted and inserted text (by words,
    keeping the whitespace)."""
    old, new = _WORDS.split(before), _WORDS.split(after)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(("delete", "".join(old[a1:a2])))
        if b2 > b1:
            pieces.append(("insert", "".join(new[b1:b2])))
    return pieces


def _label(name: str) -> str:
    label = str(Report._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _shown(name: str, value, product_names: dict[str, str]) -> str:
    if name == "product_type":
        return product_names.get(value, value)
    return "" if value is None else str(value)


def latest_resubmission(report: Report) -> Resubmission | None:
    """The volunteer's latest answer to an information request, while the report waits for
    a decision; None otherwise."""
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW):
        return None
    event = (
        AuditEvent.objects.filter(
            object_type="report", object_id=str(report.pk), action=events.RESUBMITTED
        )
        .only("created_at", "data")
        .order_by("-created_at", "-id")
        .first()
    )
    if event is None:
        return None
    data = event.data or {}
    before, after = data.get("before") or {}, data.get("after") or {}
    product_slugs = {before.get("product_type"), after.get("product_type")} - {None, ""}
    product_names = {
        product.slug: str(product) for product in ProductType.objects.filter(slug__in=product_slugs)
    }
    changes = []
    for name in data.get("changed", []):
        try:
            change = FieldChange(name=name, label=_label(name))
        except FieldDoesNotExist:  # a field since removed from the model: its name only
            change = FieldChange(name=name, label=name)
        if name in before or name in after:
            change.before = _shown(name, before.get(name), product_names)
            change.after = _shown(name, after.get(name), product_names)
            if name in MULTI_LINE_FIELDS:
                change.pieces = word_diff(change.before, change.after)
        else:
            change.recorded = False
        changes.append(change)
    ids = [int(pk) for pk in data.get("screenshot_ids", []) if str(pk).isdigit()]
    screenshots = list(Evidence.objects.filter(report=report, pk__in=ids).only("pk", "report_id"))
    return Resubmission(
        at=event.created_at,
        info_request=report.info_request,
        fields=changes,
        screenshots=screenshots,
    )
