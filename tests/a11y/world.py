"""Demo-like data for the page-wide checks (axe, the English scan): the real reference data
and training content, one account per role, and reports in every state of the loop.

User-written content (listing titles and texts, notes) is neutral on purpose: codes and numbers,
no English words, so the English scan only finds the interface's own words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from leads import services as lead_services
from referrals import services as referral_services
from referrals.models import ReferralPartner
from reports import services
from reports.models import MemberCompany, RejectionReason
from reports.reference import load_reference_data
from rounds import services as round_services
from spotter.models import Role, User
from tests import factories
from tests.tips.helpers import make_tip
from training.content import load_training_content

ROLES = ("anonymous", "volunteer", "lead", "expert", "staff", "admin")
EMAILS = {
    "volunteer": "vol@example.org",
    "lead": "lead@example.org",
    "expert": "expert@example.org",
    "staff": "staff@example.org",
    "admin": "admin@example.org",
}


@dataclass
class World:
    users: dict[str, User]
    refs: dict[str, str]
    pages: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def _report(volunteer, n, **overrides):
    return factories.make_report(
        volunteer,
        url=f"https://www.ebay.com/itm/90{n:04d}",
        listing_title=f"XK-{n:04d} 62 g",
        listing_text=f"XK-{n:04d} / 62 g / #{n}",
        seller_handle=f"seller_{n}",
        species=factories.get_species("Loxodonta africana"),
        product_type=factories.get_product_type("ivory-carving"),
        **overrides,
    )


def build_world() -> World:
    load_reference_data()
    load_training_content()
    ebay = MemberCompany.objects.get(slug="ebay")
    users = {
        "volunteer": factories.make_user(Role.VOLUNTEER, email=EMAILS["volunteer"]),
        "expert": factories.make_user(Role.EXPERT, email=EMAILS["expert"]),
        "staff": factories.make_user(Role.COMPANY_STAFF, company=ebay, email=EMAILS["staff"]),
        "admin": factories.make_user(Role.ADMIN, email=EMAILS["admin"]),
        "lead": factories.make_user(Role.VOLUNTEER, email=EMAILS["lead"], is_lead_spotter=True),
    }
    volunteer, expert, staff = users["volunteer"], users["expert"], users["staff"]
    done, forwarded, rejected, info, claimed, waiting = (_report(volunteer, n) for n in range(1, 7))
    for report in (done, forwarded, rejected, info, claimed):
        services.claim_report(report=report, expert=expert)
    for report in (done, forwarded):
        services.confirm_report(report=report, expert=expert, note="#1")
    services.reject_report(
        report=rejected, expert=expert, reason=RejectionReason.INSUFFICIENT_EVIDENCE, note="#2"
    )
    services.request_info(report=info, expert=expert, message="#3")
    services.acknowledge_report(report=done, staff=staff)
    services.record_outcome(report=done, staff=staff, outcome="removed", note="#4")
    operations = _programme_operations(users, waiting)
    refs = {
        "done": done.reference,
        "forwarded": forwarded.reference,
        "claimed": claimed.reference,
        "waiting": waiting.reference,
    }
    pages = {
        "anonymous": [
            ("home", "/"),
            ("login", "/accounts/login/"),
            ("signup", "/accounts/signup/"),
            ("tip-form", "/tip/"),
        ],
        "volunteer": [
            ("home", "/"),
            ("flag-form", "/reports/new/"),
            ("my-reports", "/reports/mine/"),
            ("report-detail", f"/reports/{refs['done']}/"),
            ("training-home", "/training/"),
            ("lesson", "/training/core/lessons/1/"),
            ("quiz", "/training/core/quiz/"),
            ("my-accuracy", "/reports/accuracy/"),
            ("profile", "/profile/"),
            ("notifications", "/notifications/"),
            ("notification-preferences", "/notifications/preferences/"),
            ("keyword-library", "/keywords/"),
            ("rounds", "/rounds/"),
            ("round", f"/rounds/{operations['round']}/"),
            ("round-report", f"/rounds/{operations['round']}/report/"),
            ("report-questions", f"/leads/reports/{refs['waiting']}/questions/"),
            ("species-catalogue", "/catalogue/"),
        ],
        "lead": [
            ("prescreen-queue", "/leads/prescreen/"),
            ("prescreen", f"/leads/prescreen/{refs['waiting']}/"),
            ("prescreen-accuracy", "/leads/accuracy/"),
            ("tips", "/tips/"),
        ],
        "expert": [
            ("queue", "/review/"),
            ("queue-by-risk", "/review/?sort=risk"),
            ("review", f"/review/{refs['claimed']}/"),
            ("review-unclaimed", f"/review/{refs['waiting']}/"),
            ("second-reviews", "/second-reviews/"),
            ("fast-track", "/review/fast-track/"),
            ("keyword-library", "/keywords/"),
            ("repeat-sellers", "/sellers/"),
            ("tips", "/tips/"),
            ("tip", f"/tips/{operations['tip']}/"),
            ("tip-convert", f"/tips/{operations['tip']}/convert/"),
            ("intake", "/intake/"),
            ("intake-upload", "/intake/upload/"),
            ("species", f"/catalogue/species/{operations['species']}/"),
        ],
        "staff": [
            ("portal", "/company/reports/"),
            ("notice", f"/company/reports/{refs['forwarded']}/"),
            ("notice-closed", f"/company/reports/{refs['done']}/"),
            ("company-dashboard", "/dashboard/company/"),
            ("company-settings", "/company/settings/"),
        ],
        "admin": [
            ("overview", "/overview/"),
            ("dashboard", "/dashboard/"),
            ("transparency", "/dashboard/transparency/"),
            ("volunteers", "/dashboard/volunteers/"),
            ("ops-alerts", "/ops/alerts/"),
            ("risk-model", "/verification/model/"),
            ("audit-search", "/ops/audit/"),
            ("figure-lists", "/overview/reports/"),
            ("takedown-checks", "/ops/takedown-checks/"),
            ("rounds-admin", "/rounds/"),
            ("round-new", "/rounds/new/"),
            ("round-admin", f"/rounds/{operations['round']}/"),
            ("round-teams", f"/rounds/{operations['round']}/teams/"),
            ("round-invite", f"/rounds/{operations['round']}/invite/"),
            ("round-report-admin", f"/rounds/{operations['round']}/report/"),
            ("lead-spotters", "/leads/admin/accuracy/"),
            ("referrals", "/referrals/"),
            ("partners", "/referrals/partners/"),
            ("partner-new", "/referrals/partners/new/"),
            ("partner", f"/referrals/partners/{operations['partner']}/"),
            ("no-route", "/referrals/no-route/"),
            ("platform-domains", "/referrals/domains/"),
            ("catalogue-import", "/catalogue/import/"),
        ],
    }
    return World(users=users, refs=refs, pages=pages)


def _programme_operations(users, waiting) -> dict:
    """A running round with the volunteer and the lead, a question, a tip and a partner (all
    user-written text neutral: codes and numbers)."""
    admin, volunteer, lead = users["admin"], users["volunteer"], users["lead"]
    today = timezone.localdate()
    round_ = round_services.create_round(
        actor=admin,
        data=round_services.RoundData(
            title="R-01",
            briefing="#5",
            starts_on=today - timedelta(days=3),
            ends_on=today + timedelta(days=24),
        ),
    )
    round_services.create_team(actor=admin, round=round_, name="T-1")
    for person in (volunteer, lead):
        round_services.join(volunteer=person, round=round_)
    question = lead_services.ask_question(volunteer=volunteer, report=waiting, text="#6")
    lead_services.answer_question(author=lead, question=question, text="#7")
    tip = make_tip(url="https://www.ebay.com/itm/990008", note="#8")
    partner = ReferralPartner(name="P-01", kind="ngo", worldwide=True, email="p@example.org")
    referral_services.save_partner(partner=partner, actor=admin)
    return {
        "round": round_.slug,
        "tip": tip.reference,
        "partner": partner.pk,
        "species": waiting.species_id,
    }
