"""What verification plugs into the apps below it, called once from VerificationConfig.ready().

reports sits below and may not import this app: it owns the registries filled here — the
queue's "risk" ordering (``reports.queue_sorts``), the model's panel on the review page
(``reports.panels.review_panels``) — and the ``report_changed`` signal that refreshes a
report's stored risk after its transaction commits. keywords, below too, owns the
suggest-while-typing box's registry (``keywords.suggesters``), where the model's species group
/ product type suggester goes.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from keywords.suggesters import ExtraSuggestion, register_suggester
from reports import events
from reports.models import ProductType, SpeciesGroup
from reports.panels import review_panels
from reports.queue_sorts import QueueSort, register_queue_sort
from spotter.oncommit import delay_on_commit, register_batch

from . import tasks
from .selectors import prediction_for, suggest_for_text


def order_by_risk(queryset: QuerySet) -> QuerySet:
    """Highest stored risk first (the indexed ``ReportRisk.score``); reports not scored yet
    last, oldest first among equals."""
    return queryset.annotate(sort_value=F("risk__score")).order_by(
        F("risk__score").desc(nulls_last=True), "submitted_at", "id"
    )


RISK_SORT = QueueSort(
    key="risk", label=_("Highest risk first"), apply=order_by_risk, column=_("Risk")
)


def on_report_changed(sender, *, report, **kwargs) -> None:
    # After commit, so the keyword matches written in the same transaction are read, and the
    # submission never waits on the model (in-process in the embedded default).
    delay_on_commit(tasks.refresh_report_risk, report.pk, catch_up="the beat refresh catches up")


def model_panel(report, user) -> str:
    prediction = prediction_for(report)
    if prediction is None:
        return ""
    return render_to_string("verification/review_panel.html", {"prediction": prediction})


def model_suggestion(title: str, text: str) -> ExtraSuggestion | None:
    """The model's species group and product type for the suggest box, when confident."""
    found = suggest_for_text(title, text)
    group, product = found["species_group"], found["product_type"]
    if group is None and product is None:
        return None
    return ExtraSuggestion(
        label=_("The model suggests"),
        note=_(
            "A suggestion learnt from the programme's confirmed reports, with the model's "
            "confidence. It may be wrong: you decide."
        ),
        group=SpeciesGroup.objects.filter(slug=group[0]).first() if group else None,
        group_probability=group[1] if group else None,
        product_type=ProductType.objects.filter(slug=product[0]).first() if product else None,
        product_probability=product[1] if product else None,
    )


def register() -> None:
    register_queue_sort(RISK_SORT)
    register_suggester(model_suggestion)
    events.report_changed.connect(on_report_changed, dispatch_uid="verification.risk")
    register_batch(tasks.refresh_report_risk, tasks.refresh_reports_risk)
    if model_panel not in review_panels:
        review_panels.append(model_panel)
