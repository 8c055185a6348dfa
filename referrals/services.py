"""Every change the referrals app makes, one function each (lock → check → save → audit →
signal → side effects after commit).

- ``route_report``: route one confirmed report (routing.py decides) — referrals and their
  outbox rows in one transaction, delivery after commit;
- ``route_recent`` / ``reroute_unrouted``: the sweep and the admins' "route again";
- ``save_partner`` / ``rotate_partner_secret``: partners, audited;
- ``record_outcome``: what the partner did (from the signed link or by an admin);
- ``retry_dead_referral_delivery``: an admin's retry of a dead letter;
- ``add_platform_domain`` (with ``preview_platform_domain``): give a member company a platform
  domain and forward the waiting confirmed reports on it through reports' forwarding service.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import fragments
from reports import services as report_services
from reports.forwarding.outbox import new_key, revive
from reports.models import MemberCompany, PlatformDomain, Report, ReportStatus, Verdict
from reports.urlnorm import normalize_listing_url
from spotter.audit import record_event
from spotter.errors import InvalidInput, InvalidState
from spotter.models import User
from spotter.oncommit import delay_on_commit

from . import conf, outbox, routing
from .models import (
    Referral,
    ReferralChannel,
    ReferralDelivery,
    ReferralOutcome,
    ReferralPartner,
    RoutingState,
)
from .signals import referral_changed

# Confirmed reports, whether a member took them or not.
ROUTABLE_STATUSES = (
    ReportStatus.CONFIRMED,
    ReportStatus.FORWARDED,
    ReportStatus.ACKNOWLEDGED,
    ReportStatus.CLOSED,
)


def channels_for(partner: ReferralPartner) -> list[str]:
    channels = []
    if partner.email and partner.send_email_notice:
        channels.append(ReferralChannel.EMAIL)
    if partner.email and partner.send_package_link:
        channels.append(ReferralChannel.PACKAGE)
    if partner.webhook_enabled and partner.webhook_url and partner.webhook_secret:
        channels.append(ReferralChannel.WEBHOOK)
    return channels


# --- routing --------------------------------------------------------------------------------


def route_report(*, report_id: int, actor: User | None = None) -> list[Referral]:
    """Refer a confirmed report to every partner the rule names that does not have it yet."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("company")
            .filter(pk=report_id)
            .first()
        )
        if (
            report is None
            or report.verdict != Verdict.CONFIRMED
            or report.status not in ROUTABLE_STATUSES
        ):
            return []
        country = routing.listing_country(location=report.listing_location, domain=report.domain)
        routes = routing.routes_for(
            is_member=report.company_id is not None,
            country=country.code,
            partners=ReferralPartner.objects.filter(is_active=True),
        )
        already = set(report.referrals.values_list("partner_id", flat=True))
        now = timezone.now()
        created = []
        for route in routes:
            if route.partner.pk in already:
                continue
            referral = Referral.objects.create(
                report=report, partner=route.partner, reason=route.reason, country=country.code
            )
            deliveries = [
                ReferralDelivery.objects.create(
                    referral=referral,
                    channel=channel,
                    idempotency_key=new_key(),
                    next_attempt_at=now,
                    queued_at=now,  # enqueue_after_commit queues it
                )
                for channel in channels_for(route.partner)
            ]
            record_event(
                actor=actor,
                action="referral.created",
                target=report,
                data={
                    "partner": route.partner.name,
                    "reason": route.reason,
                    "country": country.code,
                    "country_source": country.source,
                    "channels": sorted(d.channel for d in deliveries),
                },
            )
            referral_changed.send(sender=Referral, referral=referral, action="created")
            outbox.enqueue_after_commit(deliveries)
            created.append(referral)
        RoutingState.objects.update_or_create(
            report=report,
            defaults={
                "country": country.code,
                "country_source": country.source,
                "routes": len(already) + len(created),
                "member": report.company_id is not None,
                "checked_at": now,
            },
        )
        # Cache invalidation: the overview's "waiting with no route" (reports/fragments.py).
        fragments.bump_now_and_on_commit(["referrals"])
    return created


def route_recent(*, limit: int | None = None) -> int:
    """The sweep's routing half: confirmed reports of the last REFERRAL_SWEEP_LOOKBACK_DAYS that
    were never routed (the on-commit task was lost). Reads the decided_at index, bounded."""
    since = timezone.now() - timedelta(days=conf.REFERRAL_SWEEP_LOOKBACK_DAYS)
    ids = list(
        Report.objects.filter(
            decided_at__gte=since,
            verdict=Verdict.CONFIRMED,
            status__in=ROUTABLE_STATUSES,
            routing__isnull=True,
        )
        .order_by("decided_at")
        .values_list("pk", flat=True)[: limit or conf.REFERRAL_BATCH]
    )
    for report_id in ids:
        route_report(report_id=report_id)
    return len(ids)


def reroute_unrouted(*, actor: User | None = None, limit: int | None = None) -> int:
    """Route again the confirmed non-member reports with no route (after a partner was added or
    changed), oldest check first, and older confirmed non-member reports never routed.
    Returns how many reports got at least one referral."""
    limit = limit or conf.REFERRAL_BATCH
    stale = list(
        RoutingState.objects.filter(routes=0, member=False)
        .order_by("checked_at")
        .values_list("report_id", flat=True)[:limit]
    )
    never = list(
        Report.objects.filter(
            status=ReportStatus.CONFIRMED, company__isnull=True, routing__isnull=True
        )
        .order_by("decided_at")
        .values_list("pk", flat=True)[:limit]
    )
    routed = 0
    for report_id in dict.fromkeys(never + stale):
        if route_report(report_id=report_id, actor=actor):
            routed += 1
    return routed


# --- partners -------------------------------------------------------------------------------


def new_webhook_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def save_partner(*, partner: ReferralPartner, actor: User) -> ReferralPartner:
    """Create or change a partner (the form validated it). A webhook gets a secret the first
    time; waiting reports with no route are routed again after commit (a new jurisdiction may
    now cover them)."""
    from .tasks import reroute_waiting  # same app: tasks are thin shells over this module

    creating = partner.pk is None
    with transaction.atomic():
        if not creating:
            ReferralPartner.objects.select_for_update().get(pk=partner.pk)
        if partner.webhook_url and not partner.webhook_secret:
            partner.webhook_secret = new_webhook_secret()
        partner.save()
        record_event(
            actor=actor,
            action="referral_partner.created" if creating else "referral_partner.changed",
            target=partner,
            data={
                "kind": partner.kind,
                "worldwide": partner.worldwide,
                "jurisdictions": sorted(partner.jurisdiction_codes),
                "channels": channels_for(partner),
                "active": partner.is_active,
            },
        )
        referral_changed.send(sender=ReferralPartner, partner=partner, action="partner_saved")
        if partner.is_active:
            delay_on_commit(reroute_waiting, catch_up="use Route again on the no-route page.")
    return partner


def rotate_partner_secret(*, partner: ReferralPartner, actor: User) -> str:
    secret = new_webhook_secret()
    with transaction.atomic():
        ReferralPartner.objects.filter(pk=partner.pk).update(webhook_secret=secret)
        record_event(actor=actor, action="referral_partner.secret_rotated", target=partner)
    partner.webhook_secret = secret
    return secret


# --- outcomes -------------------------------------------------------------------------------


def check_outcome(outcome: str, note: str, on: date | None) -> None:
    """One rule for the partner's form and the admin's."""
    if outcome not in ReferralOutcome.values:
        raise InvalidInput(_("Choose an outcome."), field="outcome")
    if outcome == ReferralOutcome.DECLINED and not note.strip():
        raise InvalidInput(_("Say why the referral was declined."), field="note")
    if on is not None and on > timezone.now().date():
        raise InvalidInput(_("The date cannot be in the future."), field="on")


def record_outcome(
    *,
    referral: Referral,
    outcome: str,
    note: str = "",
    on: date | None = None,
    actor: User | None = None,
) -> Referral:
    """Record (or correct) what the partner did. ``actor`` None: the partner, through its
    signed link. The report's status does not change; the outcome is on its timeline."""
    note = (note or "").strip()
    check_outcome(outcome, note, on)
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("report", "partner")
            .get(pk=referral.pk)
        )
        previous = referral.outcome
        referral.outcome = outcome
        referral.outcome_note = note
        referral.outcome_on = on or timezone.now().date()
        referral.outcome_recorded_at = timezone.now()
        referral.outcome_by = actor
        referral.save(
            update_fields=[
                "outcome",
                "outcome_note",
                "outcome_on",
                "outcome_recorded_at",
                "outcome_by",
            ]
        )
        record_event(
            actor=actor,
            action="referral.outcome",
            target=referral.report,
            reason=f"{referral.partner.name}: {ReferralOutcome(outcome).label}. {note}".strip(),
            data={
                "partner": referral.partner.name,
                "outcome": outcome,
                "previous": previous,
                "on": referral.outcome_on.isoformat(),
                "by_partner": actor is None,
            },
        )
        referral_changed.send(sender=Referral, referral=referral, action="outcome")
    return referral


def retry_dead_referral_delivery(*, delivery: ReferralDelivery, actor: User) -> ReferralDelivery:
    with transaction.atomic():
        delivery = (
            ReferralDelivery.objects.select_for_update(of=("self",))
            .select_related("referral__report", "referral__partner")
            .get(pk=delivery.pk)
        )
        if delivery.status != "dead":
            raise InvalidState(_("Only a dead delivery can be retried."))
        revive(delivery)
        record_event(
            actor=actor,
            action="referral.retried",
            target=delivery.referral.report,
            data={"channel": delivery.channel, "partner": delivery.referral.partner.name},
        )
        outbox.enqueue_after_commit([delivery])
    return delivery


# --- platform domains -----------------------------------------------------------------------


@dataclass(frozen=True)
class DomainPreview:
    company: MemberCompany
    domain: str
    reports: list[Report]  # at most DOMAIN_APPLY_LIMIT of them, oldest confirmation first
    more: bool  # more are waiting than one apply forwards


def check_platform_domain(raw: str) -> str:
    """The registrable domain an admin typed, normalised; InvalidInput (field "domain") if it is
    not one (a subdomain, a bare suffix, not a host name) or another company already has it."""
    text = (raw or "").strip().lower().rstrip(".")
    if "://" in text or "/" in text:
        raise InvalidInput(
            _("Enter a domain name only, without http:// or a path."), field="domain"
        )
    try:
        normalized = normalize_listing_url(f"https://{text}/")
    except InvalidInput as exc:
        raise InvalidInput(exc.messages, field="domain") from exc
    if normalized.host != normalized.registrable_domain:
        raise InvalidInput(
            _("Enter the registrable domain (%(domain)s), not a subdomain.")
            % {"domain": normalized.registrable_domain},
            field="domain",
        )
    taken = PlatformDomain.objects.filter(domain=normalized.host).select_related("company").first()
    if taken is not None:
        raise InvalidInput(
            _("%(domain)s already belongs to %(company)s.")
            % {"domain": normalized.host, "company": taken.company.name},
            field="domain",
        )
    return normalized.host


def _waiting_on(domain: str):
    return Report.objects.filter(
        status=ReportStatus.CONFIRMED, company__isnull=True, domain=domain
    ).order_by("decided_at", "pk")


def preview_platform_domain(*, company: MemberCompany, domain: str) -> DomainPreview:
    domain = check_platform_domain(domain)
    rows = list(_waiting_on(domain).select_related("species")[: conf.DOMAIN_APPLY_LIMIT + 1])
    return DomainPreview(
        company=company,
        domain=domain,
        reports=rows[: conf.DOMAIN_APPLY_LIMIT],
        more=len(rows) > conf.DOMAIN_APPLY_LIMIT,
    )


def add_platform_domain(
    *, company: MemberCompany, domain: str, actor: User
) -> tuple[PlatformDomain, list[Report]]:
    """Give ``company`` the platform ``domain`` and forward every waiting confirmed report on
    it to the company (reports.services.forward_report: outbox rows, SLA, audit, after-commit
    delivery), in one transaction."""
    domain = check_platform_domain(domain)
    if not company.is_active:
        raise InvalidState(_("This company is not an active member."))
    with transaction.atomic():
        company = MemberCompany.objects.select_for_update().get(pk=company.pk)
        try:
            with transaction.atomic():
                link = PlatformDomain.objects.create(company=company, domain=domain)
        except IntegrityError as exc:  # added by someone else since the check
            raise InvalidInput(_("This domain was just added."), field="domain") from exc
        waiting = list(
            _waiting_on(domain).select_for_update(of=("self",))[: conf.DOMAIN_APPLY_LIMIT]
        )
        forwarded = []
        for report in waiting:
            report.company = company
            report.save(update_fields=["company", "updated_at"])
            forwarded.append(report_services.forward_report(report=report, actor=actor))
        RoutingState.objects.filter(report__in=waiting).update(member=True)
        record_event(
            actor=actor,
            action="platform_domain.added",
            target=company,
            data={"domain": domain, "forwarded": [r.reference for r in forwarded]},
        )
        referral_changed.send(sender=PlatformDomain, domain=link, action="domain_added")
    return link, forwarded
