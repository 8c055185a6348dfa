"""Round pages: list, create/edit (admins), the round page (briefing, progress, my week, join /
leave), invitations and teams (admins), and the printable round report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports.forms import add_errors
from spotter.decorators import role_required
from spotter.errors import SpotterError
from spotter.models import Role

from . import permissions, selectors, services
from .forms import AssignForm, InviteForm, RoundForm, TeamForm
from .models import Participant, ParticipantStatus, Round


def access_round(user, round_slug: str) -> Round:
    """The round, if ``user`` may see it (an invited-only round of others is a 404)."""
    round = get_object_or_404(Round, slug=round_slug)
    if not permissions.can_view_round(user, round):
        raise Http404
    return round


def _admin_round(user, round_slug: str) -> Round:
    if not permissions.can_manage_rounds(user):
        raise PermissionDenied
    return get_object_or_404(Round, slug=round_slug)


@role_required(Role.VOLUNTEER, Role.ADMIN)
def round_list(request):
    mine = Participant.objects.filter(round=OuterRef("pk"), volunteer=request.user)
    rounds = selectors.visible_rounds(request.user).annotate(
        taking_part=Count("participants", filter=Q(participants__status=ParticipantStatus.ACTIVE)),
        my_status=Subquery(mine.values("status")[:1]),
    )
    today = timezone.localdate()
    groups = {"running": [], "upcoming": [], "over": []}
    for round in rounds:
        if round.starts_on > today:
            groups["upcoming"].append(round)
        elif round.ends_on < today:
            groups["over"].append(round)
        else:
            groups["running"].append(round)
    return render(
        request,
        "rounds/list.html",
        {"groups": groups, "can_manage": permissions.can_manage_rounds(request.user)},
    )


def _round_form_page(request, round: Round | None):
    form = RoundForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            if round is None:
                round = services.create_round(actor=request.user, data=form.round_data())
                messages.success(request, _("Round created."))
            else:
                round = services.update_round(
                    actor=request.user, round=round, data=form.round_data()
                )
                messages.success(request, _("Round saved."))
        except SpotterError as exc:
            add_errors(form, exc)
        else:
            return redirect("rounds:detail", round_slug=round.slug)
    return render(request, "rounds/form.html", {"form": form, "round": round})


@role_required(Role.ADMIN)
def round_create(request):
    return _round_form_page(request, None)


@role_required(Role.ADMIN)
def round_edit(request, round_slug):
    return _round_form_page(request, _admin_round(request.user, round_slug))


@role_required(Role.VOLUNTEER, Role.ADMIN)
def round_detail(request, round_slug):
    round = access_round(request.user, round_slug)
    participant = selectors.participation(round, request.user)
    is_admin = permissions.can_manage_rounds(request.user)
    by_volunteer = selectors.figures_by_volunteer(round)
    context = {
        "round": round,
        "participant": participant,
        "is_admin": is_admin,
        "figures": sum(by_volunteer.values(), selectors.Figures()),
        "week": selectors.current_week(round),
        "mine": selectors.my_week(round, request.user) if participant else None,
        "join_problem": permissions.join_problem(request.user, round, participant),
        "can_leave": permissions.can_leave(request.user, participant),
        "can_view_report": is_admin or selectors.took_part(round, request.user),
        "teams": selectors.team_lines(round, by_volunteer),
        "weeks": selectors.weekly_progress(round),
        "species_groups": list(round.focus_species_groups.all()),
        "companies": list(round.focus_companies.all()),
    }
    if is_admin:
        people = list(
            Participant.objects.filter(round=round)
            .select_related("volunteer", "team")
            .order_by("status", "volunteer__email")
        )
        week = context["week"]
        counts = selectors.week_counts(round, week) if week else {}
        for person in people:  # this week against the target, for the admin's eye
            person.this_week = (
                selectors.MyWeek(
                    week, counts.get(person.volunteer_id, 0), round.weekly_target_listings
                )
                if week and person.status == ParticipantStatus.ACTIVE
                else None
            )
        context["people"] = people
        context["team_choices"] = list(round.teams.all())
    return render(request, "rounds/detail.html", context)


@require_POST
@role_required(Role.VOLUNTEER)
def round_join(request, round_slug):
    round = access_round(request.user, round_slug)
    try:
        services.join(volunteer=request.user, round=round)
    except SpotterError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("Welcome to the round! Read the briefing below."))
    return redirect("rounds:detail", round_slug=round.slug)


@require_POST
@role_required(Role.VOLUNTEER)
def round_leave(request, round_slug):
    round = access_round(request.user, round_slug)
    try:
        services.leave(volunteer=request.user, round=round)
    except SpotterError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("You left the round. You can join again while it runs."))
    return redirect("rounds:detail", round_slug=round.slug)


@role_required(Role.ADMIN)
def round_invite(request, round_slug):
    round = _admin_round(request.user, round_slug)
    form = InviteForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            emails = services.parse_emails(form.cleaned_data["emails"])
            result = services.invite(actor=request.user, round=round, emails=emails)
        except SpotterError as exc:
            add_errors(form, exc)
        else:
            form = InviteForm()
    return render(request, "rounds/invite.html", {"round": round, "form": form, "result": result})


@role_required(Role.ADMIN)
def round_teams(request, round_slug):
    round = _admin_round(request.user, round_slug)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_team(actor=request.user, round=round, name=form.cleaned_data["name"])
        except SpotterError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Team created."))
            return redirect("rounds:teams", round_slug=round.slug)
    teams = round.teams.annotate(
        size=Count("members", filter=~Q(members__status=ParticipantStatus.INVITED))
    )
    return render(
        request,
        "rounds/teams.html",
        {"round": round, "form": form, "teams": teams, "assign_form": AssignForm(round=round)},
    )


@require_POST
@role_required(Role.ADMIN)
def round_assign(request, round_slug):
    round = _admin_round(request.user, round_slug)
    form = AssignForm(request.POST, round=round)
    if form.is_valid():
        try:
            services.assign_team(
                actor=request.user,
                participant=form.cleaned_data["participant"],
                team=form.cleaned_data["team"],
            )
        except SpotterError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Team saved."))
    else:
        messages.error(request, _("Choose a participant and a team of this round."))
    return redirect("rounds:detail", round_slug=round.slug)


@role_required(Role.VOLUNTEER, Role.ADMIN)
def round_report(request, round_slug):
    round = get_object_or_404(Round, slug=round_slug)
    if not permissions.can_view_report(request.user, round):
        raise PermissionDenied
    report = selectors.round_report(round, viewer=request.user)
    return render(
        request,
        "rounds/report.html",
        {
            "round": round,
            "report": report,
            "is_admin": permissions.can_manage_rounds(request.user),
            "species_groups": list(round.focus_species_groups.all()),
            "companies": list(round.focus_companies.all()),
            "today": timezone.localdate(),
        },
    )
