"""The dashboard's selection: whole months, a region, a species group, a platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from .facts import CELL_COMPANY, CELL_COUNTRY, CELL_GROUP


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return add_months(day, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Filters:
    start: date  # first day of the first month
    end: date  # first day of the last month (included)
    country: str = ""
    group_id: int | None = None  # 0: no species chosen
    company_id: int | None = None  # 0: non-member platforms

    @property
    def cell(self) -> int:
        return (
            (CELL_COUNTRY if self.country else 0)
            | (CELL_GROUP if self.group_id is not None else 0)
            | (CELL_COMPANY if self.company_id is not None else 0)
        )

    def dims(self) -> dict:
        dims: dict = {}
        if self.country:
            dims["country"] = self.country
        if self.group_id is not None:
            dims["species_group_id"] = self.group_id
        if self.company_id is not None:
            dims["company_id"] = self.company_id
        return dims

    @property
    def last_day(self) -> date:
        return month_end(self.end)

    def months(self) -> list[date]:
        out, current = [], self.start
        while current <= self.end:
            out.append(current)
            current = add_months(current, 1)
        return out

    def report_q(self) -> dict:
        """The same selection as a filter on the reports table (for live queries and tests)."""
        lookups: dict = {
            "submitted_at__gte": datetime.combine(self.start, time.min, tzinfo=UTC),
            "submitted_at__lt": datetime.combine(add_months(self.end, 1), time.min, tzinfo=UTC),
        }
        if self.country:
            lookups["volunteer__country"] = self.country
        if self.group_id is not None:
            if self.group_id:
                lookups["species__group_id"] = self.group_id
            else:
                lookups["species__isnull"] = True
        if self.company_id is not None:
            if self.company_id:
                lookups["company_id"] = self.company_id
            else:
                lookups["company__isnull"] = True
        return lookups


def form_query(**values) -> str:
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})
