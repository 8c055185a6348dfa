"""What a notification says, written when it is shown (or emailed) in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reports.models import Outcome, RejectionReason, Report

from .models import Kind, Notification


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str


# Kinds whose words an app above notifications writes (registered in its AppConfig.ready()):
# kind -> callable(notification) -> Message. Notifications never imports those apps.
describers: dict[str, Callable[[Notification], Message]] = {}


def register_describer(kind: str, describer: Callable[[Notification], Message]) -> None:
    describers[kind] = describer


def _changed_fields(names: list[str]) -> str:
    labels = []
    for name in names:
        try:
            labels.append(str(Report._meta.get_field(name).verbose_name))
        except Exception:  # noqa: BLE001 - a field renamed since: show its name
            labels.append(name)
    return ", ".join(labels)


def _report_url(notification: Notification) -> str:
    report = notification.report
    if report is None:
        return reverse("notifications:list")
    if notification.kind == Kind.OUTCOME_DISCREPANCY and notification.user.is_programme_admin:
        return reverse("rechecks:overview")
    if notification.kind in (
        Kind.NEW_NOTICE,
        Kind.NOTICE_OVERDUE,
        Kind.NOTICE_ASSIGNED,
        Kind.OUTCOME_DISCREPANCY,
    ):
        return reverse("reports:company_detail", args=[report.reference])
    if notification.kind == Kind.NOTICE_REPLY:
        to_company = (notification.data or {}).get("to") == "company"
        name = "reports:company_detail" if to_company else "reports:review"
        return reverse(name, args=[report.reference])
    if notification.kind == Kind.REPORT_RESUBMITTED:
        return reverse("reports:review", args=[report.reference])
    return reverse("reports:detail", args=[report.reference])


def describe(notification: Notification) -> Message:
    if notification.kind in describers:
        return describers[notification.kind](notification)
    data = notification.data or {}
    ref = notification.report.reference if notification.report_id else data.get("reference", "")
    kind = notification.kind
    url = _report_url(notification)
    body = ""
    if kind == Kind.REPORT_CONFIRMED:
        title = _("Your report %(ref)s was confirmed and forwarded") % {"ref": ref}
        if data.get("note"):
            body = _("The expert wrote: %(words)s") % {"words": data["note"]}
    elif kind == Kind.REPORT_REJECTED:
        title = _("Your report %(ref)s was not confirmed") % {"ref": ref}
        reason = data.get("reason")
        body = str(RejectionReason(reason).label) if reason in RejectionReason.values else ""
        if data.get("note"):
            body = f"{body}. {data['note']}" if body else data["note"]
    elif kind == Kind.REPORT_NEEDS_INFO:
        title = _("An expert needs more information about %(ref)s") % {"ref": ref}
        body = data.get("message", "")
    elif kind == Kind.REPORT_DUPLICATE:
        title = _("%(ref)s: this listing was already reported") % {"ref": ref}
        if data.get("original"):
            body = _("It is followed as %(original)s.") % {"original": data["original"]}
    elif kind == Kind.REPORT_OUTCOME:
        outcome = data.get("outcome")
        label = str(Outcome(outcome).label) if outcome in Outcome.values else ""
        title = _("The platform acted on your report %(ref)s") % {"ref": ref}
        body = label
    elif kind == Kind.CERTIFICATE_EXPIRING:
        expires = parse_datetime(data.get("expires_at", "") or "")
        title = _("Your spotter certificate expires on %(date)s") % {
            "date": date_format(expires, "DATE_FORMAT") if expires else "—"
        }
        body = _("Pass the core quiz and one species quiz again to renew it for a year.")
        url = reverse("training:home")
    elif kind == Kind.LEAD_SPOTTER:
        title = _("You are invited to become a lead spotter")
        body = _("Your accuracy has stayed high over many decided reports.")
        url = reverse("quality:accuracy")
    elif kind == Kind.REPORT_RESUBMITTED:
        title = _("%(ref)s was resubmitted with the information you asked for") % {"ref": ref}
        changed = _changed_fields(data.get("changed", []))
        parts = [_("Changed: %(fields)s") % {"fields": changed}] if changed else []
        if data.get("screenshots_added"):
            parts.append(_("%(count)s new screenshot(s)") % {"count": data["screenshots_added"]})
        body = "; ".join(parts)
    elif kind == Kind.QUEUE_WAITING:
        title = _("%(count)s report(s) have waited more than %(hours)s hours for review") % {
            "count": data.get("count", 0),
            "hours": data.get("hours", 0),
        }
        url = reverse("reports:queue")
    elif kind == Kind.NEW_NOTICE:
        title = _("New notice %(ref)s for your platform") % {"ref": ref}
        body = data.get("species", "")
    elif kind == Kind.NOTICE_OVERDUE:
        title = _("Notice %(ref)s is overdue: please record what you did") % {"ref": ref}
    elif kind == Kind.NOTICE_ASSIGNED:
        title = _("Notice %(ref)s was assigned to you") % {"ref": ref}
    elif kind == Kind.NOTICE_REPLY:
        if data.get("to") == "company":
            title = _("Cyber Spotter wrote about notice %(ref)s") % {"ref": ref}
        else:
            title = _("The platform's team wrote about notice %(ref)s") % {"ref": ref}
        body = data.get("excerpt", "")
    elif kind == Kind.OUTCOME_DISCREPANCY:
        title = _("%(ref)s: the listing recorded as removed is still online") % {"ref": ref}
        body = _(
            "An independent check found the listing online %(hours)s hours after the outcome was "
            "recorded. Please look at it again and correct the outcome if needed."
        ) % {"hours": data.get("stage_hours", 72)}
    elif kind == Kind.QUESTION_ASKED:
        title = _("A volunteer of your round asked about %(ref)s") % {"ref": ref}
        body = data.get("excerpt", "")
        url = data.get("path") or url  # the lead's page of the question, given by leads
    elif kind == Kind.QUESTION_ANSWERED:
        title = _("Your question about %(ref)s was answered") % {"ref": ref}
        body = data.get("excerpt", "")
    else:  # a kind retired since: still readable
        title = str(Kind(kind).label) if kind in Kind.values else kind
    return Message(title=str(title), body=str(body), url=url)
