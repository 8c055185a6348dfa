"""What adaptive second review spends and finds, per risk band, against the flat rule.

One grouped query over ``SamplingDecision``, in the dashboard's cached content under the ``all``
version: decisions are sampled inside the decision's transaction and second reviews complete
through services that bump their report's versions (reports/fragments.py). For each band:

- *spent*: decisions sampled (draw < p); *flat would spend*: decisions whose draw is below the
  flat share (the same draws, so this is exactly what the flat rule would have sampled);
- *found*: completed second reviews in which the second expert disagreed;
- the band's disagreement rate over all its decisions, estimated from the completed reviews
  weighted by 1/p (a Hájek estimator: each review stands for the 1/p decisions like it), which
  is also what a flat sample finds per review; *flat would find* = flat spent × that rate.

The estimate needs p > 0 for every decision (the floor) and is unbiased only over completed
reviews; pending ones are counted as spent but not yet as found.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from spotter.stats import pct
from spotter.typography import number

from .models import SamplingDecision, SecondReviewStatus
from .sampling import CITES_BANDS, DISAGREED, EXPERT_BANDS, config

COMPLETED = (SecondReviewStatus.AGREED, *DISAGREED)


@dataclass
class BandFigures:
    label: str
    live: bool = False  # the CITES rows are split: live animals apart
    decisions: int = 0
    share_sum: float = 0.0
    spent: int = 0
    completed: int = 0
    found: int = 0
    completed_weight: float = 0.0  # Σ 1/p over completed reviews
    found_weight: float = 0.0  # Σ 1/p over completed reviews with a disagreement
    flat_spent: int = 0

    def add(self, row: dict) -> None:
        self.decisions += row["decisions"]
        self.share_sum += row["share_sum"] or 0.0
        self.spent += row["spent"]
        self.completed += row["completed"]
        self.found += row["found"]
        self.completed_weight += row["completed_weight"] or 0.0
        self.found_weight += row["found_weight"] or 0.0
        self.flat_spent += row["flat_spent"]

    @property
    def mean_share(self) -> float | None:
        return self.share_sum / self.decisions if self.decisions else None

    @property
    def found_per_review(self) -> float | None:
        """Adaptive yield: disagreements per completed review."""
        return self.found / self.completed if self.completed else None

    @property
    def estimated_rate(self) -> float | None:
        """The band's disagreement rate over all decisions (what a flat sample finds per review)."""
        return self.found_weight / self.completed_weight if self.completed_weight else None

    @property
    def flat_found(self) -> float | None:
        rate = self.estimated_rate
        return None if rate is None else self.flat_spent * rate

    # Texts for the table, in the active language ("—" when there is nothing to show).
    @property
    def mean_share_text(self) -> str:
        return pct(self.mean_share, 1)

    @property
    def found_per_review_text(self) -> str:
        return pct(self.found_per_review, 1)

    @property
    def estimated_rate_text(self) -> str:
        return pct(self.estimated_rate, 1)

    @property
    def flat_found_text(self) -> str:
        return "—" if self.flat_found is None else number(self.flat_found, 1)


@dataclass
class AdaptiveFigures:
    flat_share: float
    total: BandFigures
    by_cites: list[BandFigures]
    by_expert: list[BandFigures]

    @property
    def flat_share_text(self) -> str:
        return pct(self.flat_share)

    @property
    def tables(self) -> list[tuple[str, list[BandFigures]]]:
        return [
            (str(_("By CITES appendix")), self.by_cites),
            (str(_("By the deciding expert's agreement record")), self.by_expert),
        ]


def _cites_key(row: dict) -> tuple[str, bool]:
    return row["cites_appendix"], row["live"]


def adaptive_figures() -> AdaptiveFigures:
    flat = config().flat_share
    completed = Q(sampled=True, review__status__in=COMPLETED)
    found = completed & Q(review__status__in=DISAGREED)
    weight = 1.0 / Cast(F("p"), FloatField())
    rows = (
        SamplingDecision.objects.values("cites_appendix", "live", "expert_band")
        .annotate(
            decisions=Count("id"),
            share_sum=Sum("p"),
            spent=Count("id", filter=Q(sampled=True)),
            completed=Count("id", filter=completed),
            found=Count("id", filter=found),
            completed_weight=Sum(weight, filter=completed & Q(p__gt=0)),
            found_weight=Sum(weight, filter=found & Q(p__gt=0)),
            flat_spent=Count("id", filter=Q(draw__lt=flat)),
        )
        .order_by()
    )
    total = BandFigures(label="")
    cites: dict[tuple[str, bool], BandFigures] = {}
    experts: dict[str, BandFigures] = {}
    for row in rows:
        total.add(row)
        appendix, live = _cites_key(row)
        label = str(CITES_BANDS.get(appendix, appendix))
        cites.setdefault((appendix, live), BandFigures(label=label, live=live)).add(row)
        band = row["expert_band"]
        experts.setdefault(band, BandFigures(label=str(EXPERT_BANDS.get(band, band)))).add(row)
    order = list(CITES_BANDS)

    def cites_order(key: tuple[str, bool]) -> tuple[int, bool]:
        appendix, live = key
        return (order.index(appendix) if appendix in order else len(order), not live)

    by_cites = [cites[key] for key in sorted(cites, key=cites_order)]
    by_expert = [experts[band] for band in EXPERT_BANDS if band in experts]
    return AdaptiveFigures(flat_share=flat, total=total, by_cites=by_cites, by_expert=by_expert)
