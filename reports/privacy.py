"""A volunteer's reports in their data export (registered with spotter.privacy).

Closing an account erases nothing here: the reports stay, shown as "former volunteer", because
forwarded cases need their evidence and the accuracy and impact figures must not change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from spotter.models import User
from spotter.privacy import PersonalData, register_personal_data

from .models import Report


def register() -> None:
    """Called once from ReportsConfig.ready()."""
    register_personal_data(
        PersonalData(
            app_label="reports",
            sections=export_sections,
            audit_events=audit_events_about_reports,
            exported_in_sections=("report",),
        )
    )


def export_sections(user: User) -> dict[str, Any]:
    reports = (
        Report.objects.filter(volunteer=user)
        .select_related("species", "product_type", "company")
        .prefetch_related("evidence")
        .order_by("submitted_at")
    )
    return {"reports": [_report(report) for report in reports]}


def audit_events_about_reports(user: User) -> Q:
    """The timelines of the user's own reports (who claimed, decided, forwarded them…)."""
    report_ids = [
        str(pk) for pk in Report.objects.filter(volunteer=user).values_list("pk", flat=True)
    ]
    return Q(object_type="report", object_id__in=report_ids)


def _report(report) -> dict[str, Any]:
    return {
        "reference": report.reference,
        "status": report.status,
        "verdict": report.verdict,
        "rejection_reason": report.rejection_reason,
        "expert_note": report.expert_note,
        "outcome": report.outcome,
        "listing_url": report.listing_url,
        "listing_title": report.listing_title,
        "listing_text": report.listing_text,
        "listing_language": report.listing_language,
        "species": report.species.scientific_name if report.species else None,
        "species_other": report.species_other,
        "product_type": report.product_type.slug,
        "platform": report.company.name if report.company else report.domain,
        "price": str(report.price) if report.price is not None else None,
        "currency": report.currency,
        "seller_handle": report.seller_handle,
        "quantity": report.quantity,
        "listing_location": report.listing_location,
        "notes": report.notes,
        "submitted_at": report.submitted_at.isoformat(),
        "decided_at": report.decided_at.isoformat() if report.decided_at else None,
        "evidence": [
            {
                "original_name": item.original_name,
                "original_sha256": item.original_sha256,
                "image_sha256": item.image_sha256,
                "uploaded_at": item.uploaded_at.isoformat(),
            }
            for item in report.evidence.all()
        ],
    }
