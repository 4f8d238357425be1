"""The check-in pages: the list with a form to schedule one, and the meeting's page —
its prepared agenda, notes, outcomes and invite. Each view parses input, calls one
service or selector, and renders."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accountable.checkins import ics, selectors, services
from accountable.checkins.errors import CheckinError
from accountable.checkins.forms import (
    ActionForm,
    AgendaItemForm,
    CommitmentOutcomeForm,
    NotesForm,
    RescheduleForm,
    ScheduleForm,
)
from accountable.checkins.models import CheckinState
from accountable.commitments.errors import CommitmentError
from accountable.commitments.services import commitment_add
from accountable.core.changes_from_pages import change_then_back
from accountable.org import abilities
from accountable.org.scoping import ability_required
from accountable.org.services import organisation_get

PAST_SHOWN = 30


@ability_required(abilities.SEE_PERSON)
def checkin_list(request):
    user = request.user
    may_schedule = abilities.may(user, abilities.RUN_CHECKINS)
    form = ScheduleForm(request.POST or None, actor=user) if may_schedule else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Your role does not schedule check-ins.")
        if form.is_valid():
            try:
                made = services.checkin_schedule(actor=user, **form.cleaned_data)
            except CheckinError as error:
                form.add_error(None, str(error))
            else:
                when = timezone.localtime(made.starts_at)
                said = f"{when:%a} {when.day} {when:%b, %H:%M}"
                messages.success(request, f"Check-in with {made.person.name} on {said}.")
                return redirect("checkins:detail", pk=made.pk)
    recent = timezone.now() - timedelta(hours=12)  # a meeting of this morning is still coming
    rows = list(selectors.visible(user).order_by("starts_at"))
    coming = [c for c in rows if c.state == CheckinState.SCHEDULED and c.starts_at >= recent]
    context = {
        "form": form,
        "coming": coming,
        "past": [c for c in reversed(rows) if c not in coming][:PAST_SHOWN],
        "actions": list(
            selectors.actions_visible(user).filter(state="open").order_by("due_on")[:50]
        ),
        "today": timezone.localdate(),
    }
    context["may_change"] = services.actions_changeable(user, context["actions"])
    return render(request, "checkins/list.html", context)


@ability_required(abilities.SEE_PERSON)
def checkin_detail(request, pk: int):
    user = request.user
    checkin = selectors.checkin_get(user, pk)
    runs = services.may_run(user, checkin.person) and user.pk != checkin.person_id
    scheduled = checkin.state == CheckinState.SCHEDULED
    is_person = user.pk == checkin.person_id
    when = timezone.localtime(checkin.starts_at)
    context = {
        "c": checkin,
        "agenda": selectors.agenda(user, checkin),
        "runs": runs,
        "scheduled": scheduled,
        "is_person": is_person,
        "private": selectors.may_see_private(user, checkin),
        "notes_form": NotesForm(initial=_notes(checkin)) if runs else None,
        "item_form": AgendaItemForm() if scheduled and (runs or is_person) else None,
        "action_form": ActionForm(checkin=checkin) if runs else None,
        "commitment_form": CommitmentOutcomeForm() if runs else None,
        "reschedule_form": RescheduleForm(initial={"starts_at": when})
        if runs and scheduled
        else None,
        "actions": list(checkin.actions.select_related("owner", "about")),
        "today": timezone.localdate(),
        "currency": organisation_get().currency,
    }
    context["may_change"] = services.actions_changeable(
        user, [*context["actions"], *context["agenda"].actions]
    )
    return render(request, "checkins/detail.html", context)


def _notes(checkin) -> dict[str, str]:
    return {"shared_notes": checkin.shared_notes, "private_notes": checkin.private_notes}


def _change(request, pk: int, change):
    checkin = selectors.checkin_get(request.user, pk)
    return change_then_back(
        request, checkin, change, refusals=(CheckinError, CommitmentError), to="checkins:detail"
    )


def _invalid(form) -> CheckinError:
    first = next(iter(form.errors.items()))
    label = form.fields[first[0]].label if first[0] in form.fields else ""
    return CheckinError(f"{label}: {first[1][0]}" if label else first[1][0])


@require_POST
@ability_required(abilities.SEE_PERSON)
def checkin_agenda(request, pk: int):
    form = AgendaItemForm(request.POST)

    def add(checkin) -> str:
        if not form.is_valid():
            raise _invalid(form)
        services.agenda_add(actor=request.user, checkin=checkin, text=form.cleaned_data["text"])
        return "Added to the agenda."

    return _change(request, pk, add)


@require_POST
@ability_required(abilities.RUN_CHECKINS)
def checkin_notes(request, pk: int):
    form = NotesForm(request.POST)

    def save(checkin) -> str:
        if not form.is_valid():
            raise _invalid(form)
        services.checkin_notes(
            actor=request.user, checkin=checkin,
            shared=form.cleaned_data["shared_notes"], private=form.cleaned_data["private_notes"],
        )  # fmt: skip
        return "Notes saved."

    return _change(request, pk, save)


@require_POST
@ability_required(abilities.RUN_CHECKINS)
def checkin_hold(request, pk: int):
    def hold(checkin) -> str:
        following = services.checkin_hold(actor=request.user, checkin=checkin)
        if following is None:
            return "Marked as held."
        when = timezone.localtime(following.starts_at)
        return f"Marked as held. The next is on {when:%a} {when.day} {when:%b, %H:%M}."

    return _change(request, pk, hold)


@require_POST
@ability_required(abilities.RUN_CHECKINS)
def checkin_reschedule(request, pk: int):
    form = RescheduleForm(request.POST)

    def move(checkin) -> str:
        if not form.is_valid():
            raise _invalid(form)
        starts_at = form.cleaned_data["starts_at"]
        services.checkin_reschedule(actor=request.user, checkin=checkin, starts_at=starts_at)
        return "Moved. Send the updated invite: it replaces the old one."

    return _change(request, pk, move)


@require_POST
@ability_required(abilities.RUN_CHECKINS)
def checkin_cancel(request, pk: int):
    def cancel(checkin) -> str:
        services.checkin_cancel(actor=request.user, checkin=checkin)
        return "Cancelled. Send the cancellation: calendars remove the meeting."

    return _change(request, pk, cancel)


@require_POST
@ability_required(abilities.RUN_CHECKINS)
def checkin_action(request, pk: int):
    checkin = selectors.checkin_get(request.user, pk)
    form = ActionForm(request.POST, checkin=checkin)

    def add(checkin) -> str:
        if not form.is_valid():
            raise _invalid(form)
        services.action_add(
            actor=request.user, checkin=checkin, owner=form.owner_chosen(),
            text=form.cleaned_data["text"], due_on=form.cleaned_data["due_on"],
        )  # fmt: skip
        return "Action item recorded."

    return _change(request, pk, add)


@require_POST
@ability_required(abilities.RUN_CHECKINS)
def checkin_commitment(request, pk: int):
    form = CommitmentOutcomeForm(request.POST)

    def add(checkin) -> str:
        if not form.is_valid():
            raise _invalid(form)
        if not services.may_run(request.user, checkin.person):
            raise PermissionDenied("You do not run this person's check-ins.")
        made = commitment_add(
            actor=request.user, person=checkin.person,
            text=form.cleaned_data["text"], due_on=form.cleaned_data["due_on"],
        )  # fmt: skip
        return f"Commitment recorded: {made.what()}."

    return _change(request, pk, add)


@require_POST
@ability_required(abilities.SEE_PERSON)
def action_state(request, pk: int):
    action = selectors.actions_visible(request.user).filter(pk=pk).first()
    if action is None:
        raise PermissionDenied("No such action item among those you may see.")
    state = request.POST.get("state", "")
    try:
        services.action_set(actor=request.user, action=action, state=state)
    except (CheckinError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{action.text}” is {action.get_state_display().lower()}.")
    back = request.POST.get("back", "")
    return redirect(back if back.startswith("/checkins/") else "checkins:list")


@ability_required(abilities.SEE_PERSON)
def checkin_invite(request, pk: int):
    checkin = selectors.checkin_get(request.user, pk)
    response = HttpResponse(ics.invite(checkin), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="checkin-{checkin.pk}.ics"'
    return response
