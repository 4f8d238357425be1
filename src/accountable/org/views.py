"""Pages for the organisation: the tree, people, and the admin's settings."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accountable.org import abilities, selectors, services
from accountable.org.forms import (
    InvitationForm,
    OrganisationForm,
    PersonCreateForm,
    PersonEditForm,
    TeamForm,
    TimeOffForm,
)
from accountable.org.models import Role, Team
from accountable.org.scoping import ability_required, can_manage_person
from accountable.org.services import OrgError


@ability_required(abilities.SEE_TEAMS)
def org_tree(request):
    include_left = request.GET.get("left") == "1"
    roots = selectors.org_tree(request.user, include_left=include_left)
    return render(request, "org/tree.html", {"roots": roots, "include_left": include_left})


@ability_required(abilities.SEE_TEAMS)
def people(request):
    team_id = request.GET.get("team", "")
    team = selectors.team_get(request.user, int(team_id)) if team_id.isdigit() else None
    people = selectors.person_list(
        request.user,
        search=request.GET.get("q", "").strip(),
        team=team,
        role=request.GET.get("role", ""),
        include_left=request.GET.get("left") == "1",
    )
    context = {
        "people": people,
        "teams": selectors.team_list(request.user).order_by("path"),
        "roles": Role.choices,
        "filters": request.GET,
    }
    return render(request, "org/people.html", context)


def person_detail(request, pk: int):
    person = selectors.person_get(request.user, pk)
    context = {
        "person": person,
        "managers": selectors.person_managers(person),
        "history": selectors.person_history(person),
        "can_edit": can_manage_person(request.user, person)
        and abilities.may(request.user, abilities.ADMINISTER),
        # Where to go next about them: their numbers, their goals, their review packet.
        "has_scorecard": person.role in (Role.REP, Role.MANAGER),
        "can_packet": abilities.may(request.user, abilities.SEE_PACKETS, person),
    }
    return render(request, "org/person_detail.html", context)


@ability_required(abilities.ADMINISTER)
def person_edit(request, pk: int):
    person = selectors.person_get(request.user, pk)
    initial = {
        f: getattr(person, f) for f in ("name", "email", "role", "team", "start_date", "left_on")
    }
    form = PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_update(
                actor=request.user,
                person=person,
                effective_on=data.pop("effective_on"),
                reason=data.pop("reason"),
                is_active=data["left_on"] is None,
                **data,
            )
        except OrgError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved {person.name}.")
            return redirect("org:person", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "person": person})


@ability_required(abilities.ADMINISTER)
def person_new(request):
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invite = data.pop("send_invitation")
        try:
            person = services.person_create(actor=request.user, **data)
        except OrgError as error:
            form.add_error(None, str(error))
        else:
            if invite:
                invitation = InvitationForm({"email": person.email})
                if invitation.is_valid():
                    invitation.save(request=request, use_https=request.is_secure())
            messages.success(request, f"Added {person.name}.")
            return redirect("org:person", pk=person.pk)
    return render(request, "org/person_form.html", {"form": form, "person": None})


@ability_required(abilities.ADMINISTER)
def settings_page(request):
    form = OrganisationForm(request.POST or None, instance=services.organisation_get())
    if request.method == "POST" and form.is_valid():
        zone_before = form.initial.get("time_zone")
        try:
            services.organisation_update(actor=request.user, **form.cleaned_data)
        except OrgError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Organisation settings saved.")
            if form.cleaned_data.get("time_zone", zone_before) != zone_before:
                messages.info(
                    request,
                    "Days are now cut in the new time zone. The scorecards are being "
                    "recomputed in the background; they follow it within a few minutes.",
                )
            return redirect("org:settings")
    context = {
        "form": form,
        "teams": selectors.team_list(request.user).order_by("path"),
        "days_off": selectors.days_off_coming(services.organisation_get()),
    }
    return render(request, "org/settings.html", context)


@ability_required(abilities.ADMINISTER)
def team_new(request):
    return _team_form(request, team=None)


@ability_required(abilities.ADMINISTER)
def team_edit(request, pk: int):
    return _team_form(request, team=selectors.team_get(request.user, pk))


def _team_form(request, *, team: Team | None):
    initial = {}
    if team is not None:
        initial = {
            "name": team.name,
            "kind": team.kind,
            "parent": team.parent_id or "",
            "managers": list(team.managers.all()),
        }
    form = TeamForm(request.POST or None, initial=initial, team=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if team is None:
                team = services.team_create(actor=request.user, **data)
            else:
                services.team_update(actor=request.user, team=team, **data)
        except OrgError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved team {team.name}.")
            return redirect("org:settings")
    return render(request, "org/team_form.html", {"form": form, "team": team})


# Past time off the page still lists, so a mistake made last month can be corrected.
TIME_OFF_PAST_DAYS = 90


@require_http_methods(["GET", "POST"])
@ability_required(abilities.RECORD_TIME_OFF)
def time_off(request):
    """Time off: the viewer's own and, for a manager, their people's; a form to record more."""
    people = selectors.time_off_people(request.user)
    form = TimeOffForm(request.POST or None, people=people, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            span, status = services.time_off_record(actor=request.user, **form.cleaned_data)
        except OrgError as error:
            form.add_error(None, str(error))
        else:
            done = "Already recorded" if status == "unchanged" else "Recorded"
            messages.success(request, f"{done}: {span}.")
            return redirect("org:time_off")
    today = timezone.localdate()
    calendar = services.organisation_get().calendar
    rows = selectors.time_off_rows(
        request.user, since=today - timedelta(days=TIME_OFF_PAST_DAYS), calendar=calendar
    )
    context = {
        "form": form,
        "coming": [row for row in rows if row.last_day >= today],
        "past": [row for row in reversed(rows) if row.last_day < today],
        "past_days": TIME_OFF_PAST_DAYS,
        "today": today,
    }
    return render(request, "org/time_off.html", context)


@require_POST
@ability_required(abilities.RECORD_TIME_OFF)
def time_off_delete(request, pk: int):
    span = selectors.time_off_get(request.user, pk)
    services.time_off_delete(actor=request.user, time_off=span)
    messages.success(request, f"Removed: {span}. Those days are working days again.")
    return redirect("org:time_off")
