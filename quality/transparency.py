"""The yearly trusted-flagger report (EU Digital Services Act, Art. 22(3)).

Art. 22(3) asks a trusted flagger to publish, at least once a year, the number of notices it
submitted, broken down by the hosting provider, by the type of allegedly illegal content and
by the action the provider took. Here: notices = reports forwarded to member platforms in the
year (by the day they were sent), content type = product type, action = the outcome the
platform recorded. Only counts: no report, volunteer or expert appears.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple

from django.db.models import Sum
from django.utils.translation import gettext as _

from rechecks.selectors import discrepancy_counts
from reports.models import MemberCompany, ProductType

from . import rollups
from .facts import CELL_COMPANY, CELL_PRODUCT, CLOSED_STATES, NOTICE_STATES
from .models import PeriodCount
from .stats import MedianEstimate, median_from_buckets
from .tables import Column, Table

OUTCOME_COLUMNS = [*CLOSED_STATES, "open"]  # "open": no outcome recorded yet


class NoticeRow(NamedTuple):
    label: str
    notices: int
    outcomes: dict[str, int]  # notices per OUTCOME_COLUMNS, in that order
    median_hours_to_outcome: float | None
    outcome_discrepancies: int  # rechecks: said removed, still online 72 h or more later


class SectionRow(NamedTuple):
    """A row of the CSV file: the three tables one under the other."""

    section: str
    line: NoticeRow


@dataclass
class Line:
    label: str
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    buckets: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    discrepancies: int = 0

    @property
    def notices(self) -> int:
        return sum(self.counts[s] for s in NOTICE_STATES)

    @property
    def median(self) -> MedianEstimate:
        return median_from_buckets(self.buckets)

    def row(self) -> NoticeRow:
        return NoticeRow(
            self.label,
            self.notices,
            {outcome: self.counts[outcome] for outcome in OUTCOME_COLUMNS},
            self.median.hours,
            self.discrepancies,
        )


@dataclass
class TransparencyReport:
    year: int
    total: Line
    platforms: list[Line]
    products: list[Line]

    @property
    def columns(self) -> list[Column]:
        return [
            Column("label", "text"),
            Column("notices"),
            *[Column(s) for s in OUTCOME_COLUMNS],
            Column("median_hours_to_outcome", "hours"),
            Column("outcome_discrepancies"),
        ]

    def tables(self) -> list[Table]:
        return [
            Table(
                "total",
                _("All notices"),
                self.columns,
                [self.total.row()],
                row_labels={"all": _("All notices")},
            ),
            Table(
                "platforms",
                _("By hosting provider"),
                self.columns,
                [line.row() for line in self.platforms],
            ),
            Table(
                "products",
                _("By type of content (product type)"),
                self.columns,
                [line.row() for line in self.products],
            ),
        ]

    def csv_table(self) -> Table:
        table = Table(
            "transparency",
            _("Transparency report %(year)s") % {"year": self.year},
            [Column("section", "text"), *self.columns],
        )
        for section in self.tables():
            table.rows.extend(SectionRow(section.name, row) for row in section.rows)
        return table


def build_report(year: int) -> TransparencyReport:
    rollups.read_fresh()
    rows = (
        PeriodCount.objects.filter(
            grain="m",
            cell__in=[0, CELL_COMPANY, CELL_PRODUCT],
            metric__startswith="notice",
            day__gte=date(year, 1, 1),
            day__lte=date(year, 12, 1),
        )
        .values("cell", "company_id", "product_type_id", "metric", "bucket")
        .annotate(total=Sum("n"))
        .order_by()
    )
    companies = dict(MemberCompany.objects.values_list("pk", "name"))
    products = {product.pk: str(product) for product in ProductType.objects.all()}
    total = Line("all")
    by_company: dict[int, Line] = {}
    by_product: dict[int, Line] = {}
    for row in rows:
        if row["cell"] == CELL_COMPANY:
            key = row["company_id"]
            line = by_company.setdefault(key, Line(companies.get(key, f"#{key}")))
        elif row["cell"] == CELL_PRODUCT:
            key = row["product_type_id"]
            line = by_product.setdefault(key, Line(products.get(key, f"#{key}")))
        else:
            line = total
        if row["metric"] == "notice_h":
            line.buckets[row["bucket"]] += row["total"]
        else:
            line.counts[row["metric"].split(":", 1)[1]] += row["total"]

    # Outcome discrepancies found by the independent takedown checks during the year.
    since = datetime(year, 1, 1, tzinfo=UTC)
    until = datetime(year + 1, 1, 1, tzinfo=UTC)
    for key, count in discrepancy_counts(since=since, until=until).items():
        if key is not None:
            by_company.setdefault(key, Line(companies.get(key, f"#{key}"))).discrepancies += count
            total.discrepancies += count
    for key, count in discrepancy_counts(since=since, until=until, by="product_type").items():
        by_product.setdefault(key, Line(products.get(key, f"#{key}"))).discrepancies += count

    def ordered(lines: dict[int, Line]) -> list[Line]:
        return sorted(lines.values(), key=lambda line: (-line.notices, line.label))

    return TransparencyReport(year, total, ordered(by_company), ordered(by_product))
