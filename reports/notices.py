"""What a forwarded report says to a platform (EU DSA Art. 16 notice contents).

Built from the report alone, so every channel (email, webhook, portal, evidence package) says
the same thing. It never contains the volunteer's identity.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from spotter.languages import supported
from spotter.siteurl import absolute_url

from .cites import appendix_label, cites_for_report
from .models import MemberCompany, Outcome, Report

EVIDENCE_LINK_SALT = "reports.evidence-link"


def notice_language(company: MemberCompany | None) -> str:
    """The language a member company reads our notices in: its own choice (default English).
    Every notice, escalation, digest, webhook text and evidence package is written in it."""
    chosen = supported(company.notice_language) if company is not None else None
    return chosen or settings.LANGUAGE_CODE


def evidence_link(evidence_id: int) -> str:
    token = signing.TimestampSigner(salt=EVIDENCE_LINK_SALT).sign(str(evidence_id))
    return absolute_url(reverse("reports:evidence_link", args=[token]))


def read_evidence_token(token: str, max_age: int | None = None) -> int:
    """Return the evidence id, or raise signing.BadSignature / SignatureExpired."""
    value = signing.TimestampSigner(salt=EVIDENCE_LINK_SALT).unsign(
        token, max_age=max_age if max_age is not None else settings.EVIDENCE_URL_MAX_AGE
    )
    return int(value)


def prohibition_explanation(report: Report) -> str:
    species = report.species
    if species is None:
        return _(
            "Wildlife product of a species not yet identified to species level; reviewed by a "
            "wildlife expert of the programme as prohibited under the Coalition Prohibited "
            "Wildlife Policy Framework."
        )
    # The appendix in force on the listing date (reports/cites.py), not today's.
    cites = cites_for_report(report)
    values = {
        "common": species.common_name(),
        "scientific": species.scientific_name,
        "appendix": appendix_label(cites.appendix),
        "plain": cites.plain_words,
        "product": str(report.product_type).lower(),
    }
    if cites.appendix is None:
        text = _(
            "%(common)s (%(scientific)s) was not listed in CITES on the listing date. The "
            "listing offers %(product)s of this species, which the Coalition Prohibited "
            "Wildlife Policy Framework, adopted by every member company, prohibits on member "
            "platforms. A wildlife expert of the programme verified the listing against the "
            "evidence below."
        )
    else:
        text = _(
            "%(common)s (%(scientific)s) is listed in CITES %(appendix)s. %(plain)s The "
            "listing offers %(product)s of this species, which the Coalition Prohibited "
            "Wildlife Policy Framework, adopted by every member company, prohibits on member "
            "platforms. A wildlife expert of the programme verified the listing against the "
            "evidence below."
        )
    text = text % values
    if cites.changed:
        text += " " + _("CITES listing: %(statement)s.") % {"statement": cites.statement}
    return text


def evidence_items(report: Report) -> list[dict]:
    """Each screenshot with both hashes and a fresh signed link (valid EVIDENCE_URL_MAX_AGE)."""
    return [
        {
            "number": index,
            "sha256": item.original_sha256,
            "image_sha256": item.image_sha256,
            "width": item.width,
            "height": item.height,
            "uploaded_at": item.uploaded_at,
            "url": evidence_link(item.pk),
        }
        for index, item in enumerate(report.evidence.all(), start=1)
    ]


def notice_context(report: Report) -> dict:
    return {
        "report": report,
        "reference": report.reference,
        "url": report.listing_url,
        "normalized_url": report.normalized_url,
        "species": report.species,
        "species_label": report.species_label,
        # The CITES appendix in force on the listing date, and today's if it changed since.
        "cites": cites_for_report(report),
        "product_type": report.product_type,
        "explanation": prohibition_explanation(report),
        "evidence": evidence_items(report),
        "notifier_name": settings.PROGRAMME_NAME,
        "notifier_email": settings.PROGRAMME_CONTACT_EMAIL,
        "portal_url": absolute_url(reverse("reports:company_detail", args=[report.reference])),
        "good_faith": _(
            "We state in good faith that the information in this notice is accurate and "
            "complete and that we believe the content described is illegal or incompatible "
            "with your terms of service."
        ),
        "evidence_link_days": settings.EVIDENCE_URL_MAX_AGE // 86400,
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def listing_details(report: Report) -> dict:
    """The listing as the volunteer captured it (webhook body and evidence package)."""
    return {
        "url": report.listing_url,
        "normalized_url": report.normalized_url,
        "domain": report.domain,
        "title": report.listing_title,
        "text": report.listing_text,
        "language": report.listing_language,
        "price": str(report.price) if report.price is not None else None,
        "currency": report.currency,
        "seller_handle": report.seller_handle,
        "quantity": report.quantity,
        "location": report.listing_location,
    }


def notice_payload(report: Report, *, language: str | None = None) -> dict:
    """The ``data`` of the webhook body; every field is documented in docs/webhooks.md.
    Same shape for every report (absent values are null or ""), never the volunteer. Codes,
    slugs and times are the same in every language; the sentences (explanation, CITES meaning,
    product type name, good-faith statement) are in the company's notice language (or
    ``language``: a referral partner's)."""
    language = language or notice_language(report.company)
    with translation.override(language):
        return {**_notice_payload(report), "language": language}


def _notice_payload(report: Report) -> dict:
    context = notice_context(report)
    species = report.species
    expires = timezone.now() + timedelta(seconds=settings.EVIDENCE_URL_MAX_AGE)
    api = absolute_url(f"/api/v1/company/reports/{report.reference}")
    return {
        "reference": report.reference,
        "company": {"slug": report.company.slug, "name": report.company.name}
        if report.company_id
        else None,
        "observed_at": _iso(report.submitted_at),
        "confirmed_at": _iso(report.decided_at),
        "forwarded_at": _iso(report.forwarded_at),
        "listing": listing_details(report),
        "species": {
            "scientific_name": species.scientific_name if species else None,
            "common_name": species.common_name_en if species else None,
            "group": species.group.slug if species else None,
            "cites_appendix": species.cites_appendix if species else None,
            "cites_meaning": species.cites_plain_words if species else None,
            # Added with the listing history: the appendix on the listing date (and now).
            "cites": context["cites"].as_payload() if species else None,
            "description": report.species_other,
        },
        "product_type": {"slug": report.product_type.slug, "name": str(report.product_type)},
        "explanation": context["explanation"],
        "evidence": [
            {
                "number": item["number"],
                "sha256": item["sha256"],
                "image_sha256": item["image_sha256"],
                "width": item["width"],
                "height": item["height"],
                "captured_at": _iso(item["uploaded_at"]),
                "url": item["url"],
                "url_expires_at": expires.isoformat(),
            }
            for item in context["evidence"]
        ],
        "notifier": {"name": context["notifier_name"], "email": context["notifier_email"]},
        "good_faith_statement": str(context["good_faith"]),
        "sla": {"acknowledge_by": _iso(report.ack_due_at), "act_by": _iso(report.act_due_at)},
        "portal_url": context["portal_url"],
        "callback": {
            "acknowledge": f"{api}/acknowledge/",
            "outcome": f"{api}/outcome/",
            "outcomes": list(Outcome.values),
        },
    }
