"""Every URL of the project × every role: the expected status, and nobody else's data in the body.

The URL list is not written here: it is walked from ``get_resolver()``, so a view added later is
checked automatically — and this test FAILS until its URL name is in ``EXPECTED`` (who may use
it) and each of its path parameters can be filled from ``PARAMS`` / ``URL_PARAMS``. That is the
point: adding a view means saying who may see it.

Roles: ``anon``, ``volunteer`` (owns report R), ``other_volunteer`` (owns report RO, still in the
queue), ``expert`` (confirmed R), ``staff`` (of the company R was forwarded to), ``other_staff``
(of another company) and ``admin``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from leads.models import Question
from notifications.models import Notification
from referrals.notices import outcome_link, package_link
from reports import services as report_services
from reports.models import Channel, Delivery, Report
from reports.notices import evidence_link
from spotter.models import AuditEvent, Role
from tests import factories
from tests.tips.helpers import make_tip  # tips

from .test_headers import _InlineFinder

pytestmark = pytest.mark.django_db

ROLES = ("anon", "volunteer", "other_volunteer", "expert", "staff", "other_staff", "admin")
LOGGED_IN = ROLES[1:]
LOGIN = "login"  # a 302 to the login page
DENIED = frozenset({403, 404})


@dataclass
class Rule:
    """Expected GET status per role; ``post_only`` views are also POSTed by refused roles."""

    get: dict[str, frozenset | str]
    post_only: bool = False
    refused: frozenset[str] = field(default_factory=frozenset)
    api: bool = False


def _status(value) -> frozenset | str:
    if value == LOGIN:
        return LOGIN
    return frozenset(value) if isinstance(value, set | frozenset | tuple) else frozenset({value})


def page(allowed: str, ok=200, **overrides) -> Rule:
    """An HTML page: ``allowed`` roles get ``ok``; other signed-in roles 403/404; anon → login."""
    names = allowed.split()
    get = {role: _status(ok if role in names else DENIED) for role in LOGGED_IN}
    get["anon"] = _status(ok) if "anon" in names else LOGIN
    get.update({role: _status(value) for role, value in overrides.items()})
    refused = frozenset(r for r in ROLES if r not in names and r not in overrides)
    return Rule(get=get, refused=refused)


def post(allowed: str) -> Rule:
    """A POST-only HTML endpoint: 405 on GET for everyone; refused roles' POSTs do nothing."""
    names = allowed.split()
    return Rule(
        get={role: _status(405) for role in ROLES},
        post_only=True,
        refused=frozenset(r for r in ROLES if r not in names),
    )


def api(allowed: str, ok=200, **overrides) -> Rule:
    """A JSON endpoint: anon 401/403, refused signed-in roles 403/404."""
    names = allowed.split()
    get = {role: _status(ok if role in names else DENIED | {405}) for role in LOGGED_IN}
    get["anon"] = _status(ok if "anon" in names else {401, 403})
    get.update({role: _status(value) for role, value in overrides.items()})
    return Rule(get=get, api=True, refused=frozenset(r for r in ROLES if r not in names))


def api_action(allowed: str) -> Rule:
    """A POST-only API action: GET is 405 (or 403/404 before the method check); refused POSTs
    are 401/403/404 and change nothing."""
    names = allowed.split()
    get = {role: _status({405} if role in names else DENIED | {405}) for role in LOGGED_IN}
    get["anon"] = _status({401, 403})
    return Rule(
        get=get, api=True, post_only=True, refused=frozenset(r for r in ROLES if r not in names)
    )


def everyone(ok=200, signed_in=None) -> Rule:
    get = {role: _status(ok) for role in ROLES}
    if signed_in is not None:
        get.update({role: _status(signed_in) for role in LOGGED_IN})
    return Rule(get=get)


ANY = frozenset({200, 302})

# Who may use which URL, keyed by URL name ("namespace:name"). Unnamed patterns by route.
EXPECTED: dict[str, Rule] = {
    # --- spotter ---------------------------------------------------------------------------
    "home": everyone(ok=200, signed_in=302),
    "healthz": everyone(ok={200, 503}),  # load balancers: no login; 503 names a failing check
    "profile": page(" ".join(LOGGED_IN)),
    # --- notifications: everyone signed in has their own; another's id is a 404 -------------
    "notifications:list": page(" ".join(LOGGED_IN)),
    "notifications:count": page(" ".join(LOGGED_IN)),
    "notifications:preferences": page(" ".join(LOGGED_IN)),
    "notifications:mark_all_read": post(" ".join(LOGGED_IN)),
    "notifications:open": page(
        "", volunteer=302, **{r: 404 for r in LOGGED_IN if r != "volunteer"}
    ),
    "data_export": page(" ".join(LOGGED_IN)),
    "close_account": page("volunteer other_volunteer"),
    "set_language": everyone(ok={302, 204}),
    "choose_language": everyone(ok={302, 204}),
    # --- allauth (its own rules; the checks here are status sanity and no leaks) ------------
    "account_login": everyone(ok=200, signed_in=302),
    "account_signup": everyone(ok=200, signed_in=302),
    "account_logout": everyone(ok=302, signed_in=200),
    "account_inactive": everyone(ok=200),
    "account_reauthenticate": page(" ".join(LOGGED_IN)),
    # allauth 65.22+: confirm who you are with a code emailed to you before a sensitive change
    # (email, password). Any signed-in person may ask for one for their own account; confirming
    # without a pending code sends you back to ask for one.
    "account_request_reauthentication_code": page(" ".join(LOGGED_IN)),
    "account_confirm_reauthentication_code": page(" ".join(LOGGED_IN), ok=302),
    "account_email": page(" ".join(LOGGED_IN)),
    "account_email_verification_sent": everyone(ok=200),
    "account_change_password": page(" ".join(LOGGED_IN)),
    "account_set_password": page(" ".join(LOGGED_IN), ok=302),
    "account_reset_password": everyone(ok=200, signed_in=ANY),
    "account_confirm_login_code": everyone(ok=302),
    "account_confirm_email": everyone(ok=ANY),
    "account_reset_password_from_key_done": everyone(ok=200),
    "account_reset_password_from_key": everyone(ok=200),
    "account_reset_password_done": everyone(ok=200),
    "mfa_index": page(" ".join(LOGGED_IN)),
    "mfa_authenticate": everyone(ok=302),
    "mfa_reauthenticate": page(" ".join(LOGGED_IN), ok=302),
    "mfa_activate_totp": page(" ".join(LOGGED_IN), ok=302),
    "mfa_deactivate_totp": page(" ".join(LOGGED_IN), ok={302, 404}),
    "mfa_view_recovery_codes": page(" ".join(LOGGED_IN), ok={302, 404}),
    "mfa_generate_recovery_codes": page(" ".join(LOGGED_IN), ok={302, 404}),
    "mfa_download_recovery_codes": page(" ".join(LOGGED_IN), ok={302, 404}),
    # --- reports: volunteer ----------------------------------------------------------------
    "reports:submit": page("volunteer other_volunteer"),
    "reports:mine": page("volunteer other_volunteer"),
    "reports:listing_check": page("volunteer other_volunteer"),  # htmx fragment, empty here
    "reports:staged_upload": page("volunteer", other_volunteer=404),  # the owner's only
    "reports:resubmit": page("volunteer", ok=302),  # R is not waiting for info: back to detail
    "reports:withdraw": post("volunteer"),
    # --- reports: shared -------------------------------------------------------------------
    "reports:detail": page(
        "volunteer admin", other_volunteer=404, expert=302, staff=302, other_staff=302
    ),
    "reports:evidence": page("volunteer expert staff admin", other_volunteer=404, other_staff=404),
    "reports:evidence_original": page("admin"),
    "reports:evidence_package": page("staff admin", volunteer=404, expert=404, other_staff=404),
    "reports:evidence_package_key": everyone(ok=200),
    "reports:evidence_link": everyone(ok=200),  # the signed token is the permission
    # --- reports: expert -------------------------------------------------------------------
    "reports:queue": page("expert"),
    "reports:review": page("expert"),
    "reports:claim": post("expert"),
    "reports:release": post("expert"),
    "reports:confirm": post("expert"),
    "reports:reject": post("expert"),
    "reports:needs_info": post("expert"),
    "reports:queue_next": page("expert", ok=302),  # to the next report, or back to the queue
    "reports:save_filter": post("expert"),
    "reports:delete_filter": post("expert"),  # the expert's own saved filter
    "reports:merge": page("expert admin"),  # GET: the form; POST with confirm=yes merges
    # --- reports: company ------------------------------------------------------------------
    "reports:portal": page("staff other_staff"),
    "reports:company_settings": page("staff other_staff"),
    "reports:company_detail": page("staff", other_staff=404),
    "reports:acknowledge": post("staff"),
    "reports:outcome": post("staff"),
    "reports:correct_outcome": post("staff"),
    "reports:bulk_acknowledge": post("staff other_staff"),  # only their own company's notices
    "reports:assign_notice": post("staff"),
    # The notice's thread: the company's staff and the programme (never the volunteer).
    "reports:notice_message": post("staff expert admin"),
    # --- reports: admin --------------------------------------------------------------------
    "reports:overview": page("admin"),
    "reports:retry_delivery": post("admin"),
    "reports:ops_alerts": page("admin"),
    "reports:report_list": page("admin"),  # without ?figure=: the list of numbers
    "reports:audit_search": page("admin"),
    "reports:acknowledge_alert": post("admin"),
    # reports: the species catalogue and its CITES history (everyone signed in reads it;
    # only admins import a new catalogue version)
    "reports:catalogue": page(" ".join(LOGGED_IN)),
    "reports:species": page(" ".join(LOGGED_IN)),
    "reports:catalogue_import": page("admin"),
    "reports:catalogue_export": page("admin"),
    "reports:catalogue_import_apply": post("admin"),
    # --- training --------------------------------------------------------------------------
    "training:home": page(" ".join(LOGGED_IN)),
    "training:progress": page(" ".join(LOGGED_IN)),
    "training:start": page(" ".join(LOGGED_IN), ok=302),
    "training:stats": page("admin"),
    "training:result": page("volunteer", other_volunteer=404),
    "training:practice_question": post("expert"),
    "training:module": page(" ".join(LOGGED_IN)),
    "training:lesson": page(" ".join(LOGGED_IN)),
    "training:quiz": page(" ".join(LOGGED_IN)),
    # --- quality ---------------------------------------------------------------------------
    "quality:dashboard": page("admin"),
    "quality:company_dashboard": page("staff other_staff"),
    "quality:chart_csv": page("staff other_staff admin"),
    "quality:volunteers": page("admin"),
    "quality:transparency": page("admin"),
    "quality:second_reviews": page("expert"),
    "quality:fast_track": page("expert admin"),
    "quality:senior_queue": page("expert", expert=404),  # not a senior expert
    "quality:case": page("expert"),
    "quality:case_evidence": page("expert"),
    "quality:accuracy": page("volunteer other_volunteer"),
    "quality:accept_lead_spotter": post("volunteer other_volunteer"),
    # leads: the world has no lead spotter, so the lead pages refuse every role (tests/leads
    # covers the lead's side); the questions thread is the owner's, experts' and admins'.
    "leads:queue": page(""),
    "leads:prescreen": page(""),
    "leads:evidence": page(""),
    "leads:accuracy": page(""),
    "leads:questions": page("volunteer expert admin"),
    "leads:answer": post("expert"),
    "leads:table": page("admin"),
    "api:prescreen": api_action(""),
    # --- api -------------------------------------------------------------------------------
    # --- keywords --------------------------------------------------------------------------
    "keywords:feed_json": page("expert staff other_staff admin"),
    "keywords:feed_csv": page("expert staff other_staff admin"),
    # --- verification ----------------------------------------------------------------------
    "verification:model": page("admin"),
    # --- sellers ---------------------------------------------------------------------------
    "sellers:repeat": page("expert admin"),
    "sellers:identifier": page("expert admin"),
    "sellers:report_links": page("expert staff admin", other_staff=404),
    # --- referrals: the admins' partners, referrals, no-route list and domain tool; the
    # partner's outcome form and evidence package (the signed token is the permission) ------
    "referrals:list": page("admin"),
    "referrals:partners": page("admin"),
    "referrals:partner_create": page("admin"),
    "referrals:partner_edit": page("admin"),
    "referrals:partner_rotate_secret": post("admin"),
    "referrals:record_outcome": page("admin"),
    "referrals:retry_delivery": post("admin"),
    "referrals:unrouted": page("admin"),
    "referrals:reroute": post("admin"),
    "referrals:domain_tool": page("admin"),
    "referrals:domain_apply": post("admin"),
    "referrals:partner_outcome": everyone(ok=200),
    "referrals:partner_package": everyone(ok=200),
    # --- rechecks: the admins' overview; the page the checker's User-Agent names is public --
    "rechecks:overview": page("admin"),
    "rechecks:about": everyone(),
    # tips: the public form is open to all; the triage queue is for lead spotters (the world's
    # volunteers are not leads), experts and admins; company staff never see tips.
    "tips:submit": everyone(ok=200),
    "tips:sent": everyone(ok=302),  # without a signed reference: back to the form
    "tips:queue": page("expert admin"),
    "tips:detail": page("expert admin"),
    "tips:screenshot": page("expert admin"),
    "tips:convert": page("expert admin"),
    "tips:dismiss": post("expert admin"),
    # Volunteers read the approved library; experts and admins curate; admins import.
    "keywords:library": page("volunteer other_volunteer expert admin"),
    "keywords:term": page("volunteer other_volunteer expert admin"),  # an approved term
    "keywords:edit": page("expert admin"),
    "keywords:approve": post("expert admin"),
    "keywords:reject": post("expert admin"),
    "keywords:retire": post("expert admin"),
    "keywords:merge": post("expert admin"),
    "keywords:propose": page("volunteer expert admin", other_volunteer=404),  # from R
    "keywords:export": page("expert admin"),
    "keywords:import": page("admin"),
    "keywords:import_apply": post("admin"),
    "keywords:suggest": post("volunteer other_volunteer"),  # htmx, while the form is typed
    "api:keywords-feed": api("expert staff other_staff admin"),
    # intake: monitoring staff (experts, admins); a batch is its uploader's (the expert's),
    # admins see every batch; starting an import is the uploader's alone.
    "intake:list": page("expert admin"),
    "intake:upload": page("expert admin"),
    "intake:preview": page("expert admin"),
    "intake:mapping": page("expert admin", admin=302),  # not the uploader: to the preview
    "intake:start": post("expert"),
    "intake:progress": page("expert admin"),
    "intake:status": page("expert admin"),
    "api:intake-list": api("expert admin"),
    "api:intake-detail": api("expert admin"),
    "api:intake-mapping": api_action("expert"),
    "api:intake-import": api_action("expert"),
    "api:me": api(" ".join(LOGGED_IN)),
    "api:my-accuracy": api("volunteer other_volunteer"),
    "api:review-queue": api("expert"),
    "api:training-progress": api(" ".join(LOGGED_IN)),
    "api:certification": api(" ".join(LOGGED_IN)),
    "api:stats-headline": api("admin"),
    "api:stats-volunteer-accuracy": api("admin"),
    "api:species-group-list": api(" ".join(LOGGED_IN)),
    "api:species-group-detail": api(" ".join(LOGGED_IN)),
    "api:species-list": api(" ".join(LOGGED_IN)),
    "api:species-detail": api(" ".join(LOGGED_IN)),
    "api:product-type-list": api(" ".join(LOGGED_IN)),
    "api:product-type-detail": api(" ".join(LOGGED_IN)),
    "api:company-list": api(" ".join(LOGGED_IN)),
    "api:company-detail": api(" ".join(LOGGED_IN)),
    "api:report-list": api(" ".join(LOGGED_IN)),
    "api:report-detail": api("volunteer expert staff admin", other_volunteer=404, other_staff=404),
    "api:report-evidence": api(
        "volunteer expert staff admin", other_volunteer=404, other_staff=404
    ),
    "api:report-claim": api_action("expert"),
    "api:report-confirm": api_action("expert"),
    "api:report-needs-info": api_action("expert"),
    "api:report-reject": api_action("expert"),
    "api:report-release": api_action("expert"),
    "api:report-withdraw": api_action("volunteer"),
    "api:company-report-list": api("staff other_staff"),
    "api:company-report-detail": api("staff", other_staff=404),
    "api:company-report-acknowledge": api_action("staff"),
    "api:company-report-outcome": api_action("staff"),
    "api:company-report-correct-outcome": api_action("staff"),
    "api:schema": api(" ".join(ROLES)),
    "api:docs": everyone(ok=200),
    "api:token_create": post(" ".join(LOGGED_IN)),
    "api:token_revoke": post("volunteer"),
    "<unnamed api/^.*$>": everyone(ok=404),
    # rounds: R's volunteer takes part in an open, running round; other_volunteer may see it
    # (open enrolment) and join, but not its report; experts and company staff have no pages.
    "rounds:list": page("volunteer other_volunteer admin"),
    "rounds:create": page("admin"),
    "rounds:detail": page("volunteer other_volunteer admin"),
    "rounds:edit": page("admin"),
    "rounds:join": post("volunteer other_volunteer"),
    "rounds:leave": post("volunteer other_volunteer"),
    "rounds:invite": page("admin"),
    "rounds:teams": page("admin"),
    "rounds:assign": post("admin"),
    "rounds:report": page("volunteer admin"),
    "api:rounds": api("volunteer other_volunteer admin"),
}


def _import_batch(uploader):
    """An expert's batch in preview (intake), made once."""
    from intake import services as intake_services
    from intake.models import ImportBatch

    batch = ImportBatch.objects.filter(uploader=uploader).first()
    if batch is None:
        data = b"url,title,species,product type\nhttps://www.example-shop.com/item/9,x,y,z\n"
        batch = intake_services.create_batch(uploader=uploader, file_name="m.csv", data=data)
    return batch


# --- filling path parameters --------------------------------------------------------------


@dataclass
class World:
    volunteer: object
    other_volunteer: object
    expert: object
    other_expert: object
    staff: object
    other_staff: object
    admin: object
    report: Report  # R: the volunteer's, forwarded to ``staff``'s company
    other_report: Report  # RO: the other volunteer's, waiting in the queue
    values: dict


def _by_kind(world: World, kind: str):
    return world.values[kind]


# Parameter name → value. A URL whose parameter means something else overrides it below.
PARAMS = {
    "reference": lambda w: w.report.reference,
    "evidence_id": lambda w: w.values["evidence"].pk,
    "staged_id": lambda w: w.values["staged"].pk,
    "token": lambda w: evidence_link(w.values["evidence"].pk).rsplit("/e/", 1)[1].strip("/"),
    "delivery_id": lambda w: w.values["delivery"].pk,
    "attempt_id": lambda w: w.values["attempt"].pk,
    "notification_id": lambda w: (
        Notification.objects.get_or_create(
            user=w.volunteer, kind="report_confirmed", report=w.report
        )[0].pk
    ),
    "slug": lambda w: w.values["module"].slug,
    "order": lambda w: 1,
    "pseudonym": lambda w: w.volunteer.pseudonym,
    "name": lambda w: "headline",
    "key": lambda w: "bogus-key-0123",
    "uidb36": lambda w: "zz",
    "identifier_id": lambda w: w.values["identifier"].pk,
    "term_id": lambda w: w.values["term"].pk,
    "question_id": lambda w: (  # leads: the volunteer's question on R
        Question.objects.get_or_create(
            report=w.report, asked_by=w.volunteer, defaults={"text": "Which close-up helps?"}
        )[0].pk
    ),
    "round_slug": lambda w: _round(w).slug,  # rounds
    "species_id": lambda w: w.report.species_id,
    "batch_id": lambda w: _import_batch(w.expert).pk,  # intake
    "filter_id": lambda w: (
        report_services.save_filter(user=w.expert, name="matrix", params={"sort": "newest"}).pk
    ),
    # tips: a waiting tip with a screenshot
    "tip_reference": lambda w: w.values.setdefault("tip", make_tip()).reference,
}
URL_PARAMS = {
    "api:species-group-detail": {"slug": lambda w: w.report.species.group.slug},
    "api:species-detail": {"pk": lambda w: w.report.species.pk},
    "api:product-type-detail": {"slug": lambda w: w.report.product_type.slug},
    "api:company-detail": {"slug": lambda w: w.report.company.slug},
    "api:token_revoke": {"pk": lambda w: w.values["api_token"].pk},
    # referrals: a referral of a third report (non-member platform) to a worldwide partner
    "referrals:partner_edit": {"partner_id": lambda w: w.values["referral"].partner_id},
    "referrals:partner_rotate_secret": {"partner_id": lambda w: w.values["referral"].partner_id},
    "referrals:record_outcome": {"referral_id": lambda w: w.values["referral"].pk},
    "referrals:retry_delivery": {
        "delivery_id": lambda w: w.values["referral"].deliveries.first().pk
    },
    "referrals:partner_outcome": {
        "outcome_token": lambda w: _link_token(outcome_link(w.values["referral"]))
    },
    "referrals:partner_package": {
        "package_token": lambda w: _link_token(package_link(w.values["referral"]))
    },
    "quality:case": {"pk": lambda w: w.values["second_review"].pk},
    "quality:case_evidence": {
        "pk": lambda w: w.values["second_review"].pk,
        "evidence_id": lambda w: w.values["second_review"].report.evidence.get().pk,
    },
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield (name or f"<unnamed {route}>"), route, entry


def _params(entry: URLPattern) -> list[str]:
    pattern = entry.pattern
    if hasattr(pattern, "converters") and pattern.converters:
        return list(pattern.converters)
    return list(getattr(pattern, "regex", None).groupindex) if hasattr(pattern, "regex") else []


def all_urls(world: World) -> list[tuple[str, str]]:
    """(key, path) of every non-admin URL, with parameters filled; fails on unknown ones."""
    problems, urls, seen = [], [], set()
    for key, route, entry in _walk(get_resolver().url_patterns):
        if key.startswith("admin:") or route.startswith("admin/") or key in seen:
            continue
        seen.add(key)
        if key not in EXPECTED:
            problems.append(
                f"{key!r} ({route}) is not in EXPECTED: say which roles may use it in "
                "tests/security/test_access_matrix.py"
            )
            continue
        # Prefix parameters (an include() with parameters) are not used in this project.
        params = _params(entry)
        kwargs = {}
        for param in params:
            maker = URL_PARAMS.get(key, {}).get(param) or PARAMS.get(param)
            if maker is None:
                problems.append(
                    f"{key!r} ({route}): no value for path parameter {param!r}: add it to "
                    "PARAMS or URL_PARAMS in tests/security/test_access_matrix.py"
                )
                break
            kwargs[param] = maker(world)
        else:
            if key.startswith("<unnamed"):
                path = "/" + route.split("^")[0] + "no-such-endpoint/"
            else:
                path = reverse(key, kwargs=kwargs or None)
            urls.append((key, path))
    assert not problems, "\n".join(problems)
    stale = set(EXPECTED) - seen
    assert not stale, f"EXPECTED lists URLs that no longer exist: {sorted(stale)}"
    return urls


# --- the world -----------------------------------------------------------------------------


@pytest.fixture
def world(company, other_company, settings):
    settings.SECOND_REVIEW_SHARE = 0.0  # no random sampling; the one case is made below
    volunteer = factories.make_user(
        Role.VOLUNTEER, email="wanda.w@example.org", display_name="Wanda Whistleblower"
    )
    other_volunteer = factories.make_user(
        Role.VOLUNTEER, email="oscar.o@example.org", display_name="Oscar Otherperson"
    )
    expert = factories.make_user(Role.EXPERT, email="erin.e@example.org", display_name="Erin E")
    other_expert = factories.make_user(Role.EXPERT, email="ed.e@example.org", display_name="Ed E")
    staff = factories.make_user(Role.COMPANY_STAFF, company=company, email="sam.s@example.org")
    other_staff = factories.make_user(
        Role.COMPANY_STAFF, company=other_company, email="olga.s@example.org"
    )
    admin = factories.make_user(Role.ADMIN, email="ada.a@example.org", display_name="Ada Admin")
    report = factories.make_confirmed_report(volunteer=volunteer, expert=expert)
    other_report = factories.make_report(other_volunteer)
    values = {
        "evidence": report.evidence.get(),
        "delivery": Delivery.objects.filter(report=report, channel=Channel.EMAIL).first()
        or Delivery.objects.filter(report=report).first(),
    }
    values.update(_training(volunteer))
    values["second_review"] = _second_review(other_volunteer, other_expert)
    values["api_token"] = _api_token(volunteer)
    values["staged"] = _staged(volunteer)
    values["identifier"] = _seller_identifier(report)
    values["term"] = _term(volunteer, expert, report)
    values["referral"] = _referral(volunteer, expert)
    return World(
        volunteer,
        other_volunteer,
        expert,
        other_expert,
        staff,
        other_staff,
        admin,
        report,
        other_report,
        values,
    )


def _round(world: World):
    """rounds: an open round running today, R's volunteer taking part in a team (made once)."""
    from rounds import services as round_services

    if "round" not in world.values:
        today = timezone.localdate()
        round = round_services.create_round(
            actor=world.admin,
            data=round_services.RoundData(
                title="Matrix round",
                starts_on=today - timedelta(days=3),
                ends_on=today + timedelta(days=24),
            ),
        )
        team = round_services.create_team(actor=world.admin, round=round, name="Matrix team")
        participant = round_services.join(volunteer=world.volunteer, round=round)
        round_services.assign_team(actor=world.admin, participant=participant, team=team)
        world.values["round"] = round
    return world.values["round"]


def _training(volunteer) -> dict:
    from training import services as training_services
    from training.models import Choice, Lesson, Module, Question

    module = Module.objects.create(slug="pangolins-101", title="Pangolins", order=99)
    Lesson.objects.create(module=module, order=1, title="Scales", body_markdown="Scales.")
    for n in range(module.questions_per_quiz):
        question = Question.objects.create(module=module, prompt=f"Q{n}?", explanation=".")
        for c in range(3):
            Choice.objects.create(question=question, text=f"c{c}", is_correct=c == 0, order=c)
    attempt = training_services.start_attempt(user=volunteer, module=module)
    training_services.submit_attempt(attempt=attempt, user=volunteer, answers={})
    return {"module": module, "attempt": attempt}


def _second_review(volunteer, first_expert):
    """A pending blind second review of a decision by ``first_expert`` (so ``expert`` may take
    it)."""
    from quality.models import SecondReview

    decided = factories.make_report(volunteer, url="https://www.example-shop.com/item/second")
    report_services.claim_report(report=decided, expert=first_expert)
    report_services.reject_report(report=decided, expert=first_expert, reason="not_wildlife")
    return SecondReview.objects.create(
        report=decided, first_verdict="rejected", first_expert=first_expert
    )


def _term(volunteer, expert, report):
    """An approved term the volunteer proposed from R: its page must not show R to others."""
    from keywords import services as keyword_services

    term = keyword_services.propose_term(
        actor=volunteer, text="scales pangolin", language="en", report=report
    )
    return keyword_services.approve_term(actor=expert, term=term)


def _referral(volunteer, expert):
    """referrals: a third report of the volunteer, on a non-member platform, referred."""
    from referrals.models import PartnerKind, ReferralPartner
    from referrals.services import route_report

    ReferralPartner.objects.create(
        name="Matrix NGO", kind=PartnerKind.NGO, worldwide=True, email="ngo@partner.invalid"
    )
    report = factories.make_confirmed_report(
        volunteer=volunteer, expert=expert, url="https://www.non-member-bazaar.com/item/1"
    )
    return route_report(report_id=report.pk)[0]


def _link_token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def _staged(user):
    from reports import staging
    from reports.evidence import process_image

    return staging.stage(user, [process_image(factories.png_bytes())], ["kept.png"])[0]


def _seller_identifier(report):
    """R's seller handle, indexed as the after-commit task would (tests never commit)."""
    from sellers.indexing import index_report
    from sellers.models import SellerIdentifier

    index_report(report.pk)
    return SellerIdentifier.objects.get(report_links__report=report)


def _api_token(user):
    from api.tokens import create_token

    token, _raw = create_token(user=user, name="matrix")
    return token


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != "anon":
        user = world.admin if role == "admin" else getattr(world, role)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _secrets(world: World, role: str) -> list[str]:
    """What ``role`` must never see, on any page."""
    v, ov = world.volunteer, world.other_volunteer
    identity = [v.email, v.display_name]
    other_identity = [ov.email, ov.display_name]
    if role == "admin":
        return []
    if role == "volunteer":
        return [*other_identity, ov.pseudonym, world.other_report.reference]
    if role == "other_volunteer":
        return [*identity, v.pseudonym, world.report.reference]
    if role == "expert":
        return [*identity, *other_identity]
    if role == "staff":
        return [*identity, *other_identity, v.pseudonym, ov.pseudonym, world.other_report.reference]
    return [  # other_staff, anon
        *identity,
        *other_identity,
        v.pseudonym,
        ov.pseudonym,
        world.report.reference,
        world.other_report.reference,
    ]


def _snapshot():
    return (
        sorted(Report.objects.values_list("reference", "status", "outcome")),
        AuditEvent.objects.filter(action__startswith="report.")
        .exclude(action="report.package_downloaded")
        .count(),
    )


def _check(response, expected, role: str, key: str, path: str) -> list[str]:
    problems = []
    status = response.status_code
    if expected == LOGIN:
        if status != 302 or "/accounts/login/" not in response.get("Location", ""):
            problems.append(f"{key} {path} as {role}: {status}, expected a redirect to login")
    elif status not in expected:
        problems.append(f"{key} {path} as {role}: {status}, expected {sorted(expected)}")
    return problems


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_every_url_for_every_role(world):
    urls = all_urls(world)
    assert len(urls) >= 60, urls
    problems: list[str] = []
    before = _snapshot()
    clients = {role: _client(world, role) for role in ROLES}
    for key, path in urls:
        rule = EXPECTED[key]
        for role in ROLES:
            response = clients[role].get(path)
            problems += _check(response, rule.get[role], role, key, path)
            body = _body(response)
            for secret in _secrets(world, role):
                if secret and secret.encode() in body:
                    problems.append(f"{key} {path} as {role}: body shows {secret!r}")
            content_type = response.get("Content-Type", "")
            if content_type.startswith("image/"):
                if response.get("X-Content-Type-Options") != "nosniff":
                    problems.append(f"{key} {path} as {role}: image without nosniff")
                if not response.get("Content-Disposition"):
                    problems.append(f"{key} {path} as {role}: image without Content-Disposition")
            if response.status_code == 200 and content_type.startswith("text/html"):
                finder = _InlineFinder()
                finder.feed(body.decode("utf-8", "replace"))
                problems += [f"{key} {path} as {role}: {p}" for p in finder.problems]
        if rule.post_only:
            for role in rule.refused:
                response = clients[role].post(path, {}, content_type="application/json")
                if rule.api:
                    ok = response.status_code in (401, 403, 404)
                elif role == "anon":
                    ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
                else:
                    ok = response.status_code in DENIED
                if not ok:
                    problems.append(f"POST {key} {path} as {role}: {response.status_code}")
    assert _snapshot() == before, "a refused request changed a report"
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


ADMIN_PAGES = [
    "admin:index",
    "admin:reports_report_changelist",
    "admin:spotter_user_changelist",
    "admin:spotter_auditevent_changelist",
    "admin:reports_membercompany_changelist",
]


def test_admin_site(world):
    change = reverse("admin:reports_report_change", args=[world.report.pk])
    for role in ROLES:
        client = _client(world, role)
        for url in [reverse(name) for name in ADMIN_PAGES] + [change]:
            response = client.get(url)
            if role == "admin":
                assert response.status_code == 200, url
            elif role == "anon":
                assert response.status_code == 302 and response["Location"].startswith(
                    reverse("admin:login")
                ), url
            elif role == "expert":
                # Experts edit training content in the admin, and nothing else.
                expected = 200 if url == reverse("admin:index") else 403
                assert response.status_code == expected, (url, response.status_code)
            else:
                assert response.status_code == 302, (role, url)
                refused = client.get(response["Location"])
                assert refused.status_code == 403, (role, url)
            for secret in _secrets(world, role):
                assert secret.encode() not in response.content, (role, url, secret)
