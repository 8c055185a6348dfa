"""Every change of a tip, one function each: lock the row, check who and the state, save with
``update_fields``, one audit event, one ``tip_changed`` signal, effects after commit.

- ``submit_tip``: the public sends a tip (the form has checked the proof of work; the URL, the
  duplicate window and the rate limits are checked here, so every door gets them).
- ``convert_tip``: a triager completes the tip into a report (reports' relayed submission); the
  triager is the report's reporter (docs/tips.md, "Who reports a converted tip").
- ``dismiss_tip``: a triager closes it with a reason.
- ``purge_old_tips``: the retention sweep (beat, daily).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import services as report_services
from reports.evidence import ProcessedImage
from reports.urlnorm import normalize_listing_url
from reports.validation import ListingDetails
from spotter.audit import current_ip, record_event
from spotter.errors import InvalidInput, InvalidState
from spotter.models import User
from spotter.oncommit import delay_on_commit
from spotter.text import clean_text

from . import abuse, events, mail, staging
from .conf import setting
from .models import DismissReason, Tip, TipScreenshot, TipStatus
from .permissions import ensure_may_triage


def _record(tip: Tip, *, actor: User | None, action: str, from_state: str = "", **kw) -> None:
    record_event(
        actor=actor,
        action=action,
        target=tip,
        from_state=from_state,
        to_state=tip.status,
        **kw,
    )
    events.tip_changed.send(sender=Tip, tip=tip, action=action, actor=actor)


def _require_new(tip: Tip) -> None:
    if tip.status != TipStatus.NEW:
        raise InvalidState(
            _("This tip was already handled (%(status)s).")
            % {"status": tip.get_status_display().lower()}
        )


def recent_duplicate(normalized_url: str, *, now=None) -> Tip | None:
    since = (now or timezone.now()) - timedelta(hours=setting("TIPS_DEDUPE_HOURS"))
    return (
        Tip.objects.filter(normalized_url=normalized_url, created_at__gte=since).only("pk").first()
    )


def submit_tip(
    *,
    listing_url: str,
    note: str = "",
    email: str = "",
    language: str = "",
    origin: abuse.Origin,
    screenshot: tuple[ProcessedImage, str] | None = None,
    staged: TipScreenshot | None = None,
) -> Tip:
    """Accept a tip from the public. Refuses (``InvalidInput`` on ``listing_url``) a listing
    already tipped within ``TIPS_DEDUPE_HOURS`` and (``LimitReached``) a sender over the
    hourly limits of their address or network."""
    normalized = normalize_listing_url(listing_url)
    note = clean_text(note or "")[: setting("TIPS_NOTE_MAX_CHARS")]
    with transaction.atomic():
        if recent_duplicate(normalized.url) is not None:
            raise InvalidInput(
                _(
                    "We already received a tip about this listing recently; thank you, it is "
                    "being looked at."
                ),
                field="listing_url",
            )
        abuse.count_tip(origin)
        tip = Tip.objects.create(
            listing_url=listing_url.strip(),
            normalized_url=normalized.url,
            domain=normalized.registrable_domain,
            note=note,
            tipster_email=(email or "").strip(),
            language=language[:10] if email else "",
            ip_hash=origin.ip_hash,
            network_hash=origin.network_hash,
        )
        if screenshot is not None:
            staging.store(screenshot[0], screenshot[1], tip=tip)
        elif staged is not None:
            # Conditional: a staged screenshot joins one tip only, even if its token is replayed.
            TipScreenshot.objects.filter(pk=staged.pk, tip__isnull=True).update(tip=tip)
        # The audit log keeps each event's IP address; a tipster's is personal data we do not
        # keep, so this event is recorded without it (the tip holds keyed hashes only).
        token = current_ip.set(None)
        try:
            _record(
                tip,
                actor=None,
                action=events.SUBMITTED,
                data={"domain": tip.domain, "screenshot": screenshot is not None or bool(staged)},
            )
        finally:
            current_ip.reset(token)
    return tip


def _locked(tip: Tip) -> Tip:
    return Tip.objects.select_for_update().get(pk=tip.pk)


def _queue_outcome_email(tip: Tip) -> None:
    if tip.tipster_email:
        delay_on_commit(
            mail.send_tip_outcome,
            tip.pk,
            catch_up="the tipster is not told the outcome of this tip",
        )


def convert_tip(
    *,
    tip: Tip,
    triager: User,
    details: ListingDetails,
    images: list[ProcessedImage] = (),
    image_names: list[str] | None = None,
) -> Tip:
    """Turn the tip into a report completed by ``triager`` (who becomes its reporter), with the
    tip's screenshot first and any the triager adds; link the tip to the report."""
    ensure_may_triage(triager)
    with transaction.atomic():
        tip = _locked(tip)
        _require_new(tip)
        shots = list(TipScreenshot.objects.filter(tip=tip))
        all_images = [staging.as_processed(row) for row in shots] + list(images)
        names = [row.original_name for row in shots] + list(image_names or [""] * len(images))
        if not all_images:
            raise InvalidInput(
                _("Attach at least one screenshot of the listing."), field="screenshots"
            )
        if details.listing_url.strip() != tip.listing_url:
            raise InvalidInput(_("The URL of a tip cannot be changed."), field="listing_url")
        report = report_services.submit_relayed_report(
            reporter=triager,
            details=details,
            images=all_images,
            image_names=names,
            source="tip",
            source_reference=tip.reference,
        )
        tip.status = TipStatus.CONVERTED
        tip.report = report
        tip.decided_by = triager
        tip.decided_at = timezone.now()
        tip.save(update_fields=["status", "report", "decided_by", "decided_at"])
        _record(
            tip,
            actor=triager,
            action=events.CONVERTED,
            from_state=TipStatus.NEW,
            data={"report": report.reference},
        )
        _queue_outcome_email(tip)
    return tip


def dismiss_tip(*, tip: Tip, triager: User, reason: str) -> Tip:
    ensure_may_triage(triager)
    if reason not in DismissReason.values:
        raise InvalidInput(_("Choose why the tip is dismissed."), field="reason")
    with transaction.atomic():
        tip = _locked(tip)
        _require_new(tip)
        tip.status = TipStatus.DISMISSED
        tip.dismiss_reason = reason
        tip.decided_by = triager
        tip.decided_at = timezone.now()
        tip.save(update_fields=["status", "dismiss_reason", "decided_by", "decided_at"])
        _record(
            tip, actor=triager, action=events.DISMISSED, from_state=TipStatus.NEW, reason=reason
        )
        _queue_outcome_email(tip)
    return tip


def purge_old_tips(*, now=None) -> dict[str, int]:
    """Erase the personal data of tips older than ``TIPS_RETENTION_DAYS`` (the tipster's email
    and the hashes of their address; the tip itself stays, for the report it became and the
    programme's figures), and delete staged screenshots nobody came back for. Safe to re-run:
    only rows not yet erased are touched, each by a conditional UPDATE."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=setting("TIPS_RETENTION_DAYS"))
    erased = 0
    with transaction.atomic():
        due = list(
            Tip.objects.select_for_update()
            .filter(created_at__lt=cutoff, personal_data_erased_at__isnull=True)
            .values_list("pk", flat=True)[:5000]
        )
        if due:
            erased = Tip.objects.filter(pk__in=due).update(
                tipster_email="", ip_hash="", network_hash="", personal_data_erased_at=now
            )
            record_event(
                actor=None,
                action=events.PURGED,
                object_type="tip",
                data={"tips": erased, "older_than_days": setting("TIPS_RETENTION_DAYS")},
            )
    stale = TipScreenshot.objects.filter(tip__isnull=True, created_at__lt=now - staging.STAGED_TTL)
    discarded = staging.discard(list(stale[:1000]))
    return {"erased": erased, "staged_discarded": discarded}
