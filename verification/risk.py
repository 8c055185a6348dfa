"""The risk score of a waiting report: a documented weighted mean of seven inputs.

Each input is in [0, 1]; the score is ``100 × Σ wᵢ·xᵢ / Σ wᵢ`` over the inputs that are known
(the model's probability is left out, weights and all, while the model is off). Weights and
each input's definition are in docs/verification.md ("Risk-ordered queue and model").

Computed off the request path and stored in ``ReportRisk``: after each change of a report
(``wiring``: a task queued on commit) and for every waiting report by the beat task
``refresh_waiting_risk`` (the age input grows while a report waits). ``refresh_reports`` runs a
fixed number of queries per batch plus one per distinct volunteer (quality's accuracy row).
It only writes ``ReportRisk`` rows: never a report.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quality.selectors import volunteer_accuracy
from reports.models import Report, ReportStatus
from sellers.models import ReportIdentifier

from . import model_runtime
from .listings import keywords_of, listings_of
from .models import ReportRisk

WAITING = (ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW)
LIVE_PRODUCT = "live-animal"

WEIGHTS = {
    "cites": 20,  # I → 1, II → 0.6, III → 0.3, unknown species → 0.4
    "live": 10,  # a live animal (welfare, disease, the trade moves fast) → 1
    "keywords": 15,  # distinct approved keyword-library terms matched, 3 or more → 1
    "volunteer": 15,  # the volunteer's confirmed share, smoothed: (c + 1) / (c + r + 2)
    "age": 10,  # hours waiting / 72, capped at 1
    "seller": 10,  # other reports sharing a seller identifier, 2 or more → 1
    "model": 20,  # the classifier's calibrated probability (left out while the model is off)
}
LABELS = {
    "cites": _("CITES appendix"),
    "live": _("Live animal"),
    "keywords": _("Keyword matches"),
    "volunteer": _("Volunteer's record"),
    "age": _("Time waiting"),
    "seller": _("Repeat seller"),
    "model": _("Model probability"),
}
CITES_VALUE = {"I": 1.0, "II": 0.6, "III": 0.3}
UNKNOWN_SPECIES = 0.4
KEYWORDS_FULL = 3
AGE_FULL_HOURS = 72
SELLER_FULL = 2


def score(components: dict[str, float | None]) -> float:
    """``100 × Σ wᵢ·xᵢ / Σ wᵢ`` over the known inputs (None: unknown, left out)."""
    known = {name: value for name, value in components.items() if value is not None}
    total = sum(WEIGHTS[name] for name in known)
    if not total:
        return 0.0
    return round(100 * sum(WEIGHTS[name] * value for name, value in known.items()) / total, 2)


def volunteer_value(confirmed: int, rejected: int) -> float:
    return (confirmed + 1) / (confirmed + rejected + 2)


def age_value(submitted_at: datetime, now: datetime) -> float:
    hours = max(0.0, (now - submitted_at).total_seconds() / 3600)
    return min(1.0, hours / AGE_FULL_HOURS)


def _shared_sellers(report_ids: list[int]) -> Counter:
    """For each report: how many other reports share at least one seller identifier."""
    links = list(
        ReportIdentifier.objects.filter(report_id__in=report_ids).values_list(
            "report_id", "identifier_id"
        )
    )
    identifier_ids = {identifier for _report, identifier in links}
    holders: dict[int, set[int]] = {}
    for report_id, identifier_id in ReportIdentifier.objects.filter(
        identifier_id__in=identifier_ids
    ).values_list("report_id", "identifier_id"):
        holders.setdefault(identifier_id, set()).add(report_id)
    others: dict[int, set[int]] = {}
    for report_id, identifier_id in links:
        others.setdefault(report_id, set()).update(holders[identifier_id] - {report_id})
    return Counter({report_id: len(found) for report_id, found in others.items()})


def refresh_reports(report_ids) -> int:
    """Recompute and store the risk of these reports; rows of reports no longer waiting are
    deleted. Returns the number of rows written."""
    report_ids = list(report_ids)
    reports = list(
        Report.objects.filter(pk__in=report_ids, status__in=WAITING).select_related(
            "species", "product_type", "volunteer"
        )
    )
    waiting_ids = [report.pk for report in reports]
    ReportRisk.objects.filter(pk__in=set(report_ids) - set(waiting_ids)).delete()
    if not reports:
        return 0
    keywords = keywords_of(waiting_ids)
    sellers = _shared_sellers(waiting_ids)
    model = model_runtime.active_model()
    probabilities: dict[int, float] = {}
    if model is not None:  # one predict_proba call for the batch
        listings = listings_of(Report.objects.filter(pk__in=waiting_ids))
        probabilities = dict(
            zip(listings, model.probabilities(list(listings.values())), strict=True)
        )
    accuracy: dict[int, float] = {}
    now = timezone.now()
    rows = []
    for report in reports:
        if report.volunteer_id not in accuracy:
            figures = volunteer_accuracy(report.volunteer)
            accuracy[report.volunteer_id] = volunteer_value(figures.confirmed, figures.rejected)
        probability = probabilities.get(report.pk)
        components = {
            "cites": (
                CITES_VALUE.get(report.species.cites_appendix, UNKNOWN_SPECIES)
                if report.species
                else UNKNOWN_SPECIES
            ),
            "live": 1.0 if report.product_type.slug == LIVE_PRODUCT else 0.0,
            "keywords": min(1.0, len(keywords.get(report.pk, ())) / KEYWORDS_FULL),
            "volunteer": round(accuracy[report.volunteer_id], 4),
            "age": round(age_value(report.submitted_at, now), 4),
            "seller": min(1.0, sellers.get(report.pk, 0) / SELLER_FULL),
            "model": round(probability, 4) if probability is not None else None,
        }
        rows.append(
            ReportRisk(
                report_id=report.pk,
                score=score(components),
                components=components,
                model_probability=probability,
                model_version=model.version if model else None,
                computed_at=now,
            )
        )
    with transaction.atomic():
        ReportRisk.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["report"],
            update_fields=[
                "score",
                "components",
                "model_probability",
                "model_version",
                "computed_at",
            ],
        )
    return len(rows)


BATCH = 500


def refresh_waiting() -> int:
    """Every waiting report, in batches; rows of reports that left the queue are dropped."""
    ReportRisk.objects.exclude(report__status__in=WAITING).delete()
    ids = list(Report.objects.filter(status__in=WAITING).values_list("pk", flat=True))
    return sum(refresh_reports(ids[i : i + BATCH]) for i in range(0, len(ids), BATCH))
