"""The commitment pages: the list (one's own and one's people's, with a form to make
one) and a commitment's page (report, confirm, withdraw). Each view parses input,
calls one service or selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accountable.commitments import judge, selectors, services
from accountable.commitments.errors import CommitmentError
from accountable.commitments.forms import CommitmentForm, ReportForm, WithdrawForm
from accountable.commitments.models import State
from accountable.core.changes_from_pages import change_then_back
from accountable.org import abilities
from accountable.org.scoping import ability_required, visible_people

SHOWN = 100  # rows a list shows; the filters narrow the rest down

STANDINGS = [
    (judge.OVERDUE, "Overdue"),
    (judge.DUE_SOON, "Due soon"),
    (State.OPEN, "Open"),
    (State.REPORTED, "Reported"),
    (State.MET, "Met"),
    (State.PARTLY, "Partly met"),
    (State.MISSED, "Missed"),
    (State.WITHDRAWN, "Withdrawn"),
]


@ability_required(abilities.SEE_PERSON)
def commitment_list(request):
    """The viewer's commitments and their people's — those still to be decided first,
    soonest due first, then the decided, latest first; a form to make one."""
    today = timezone.localdate()
    may_make = abilities.may(request.user, abilities.MAKE_COMMITMENTS)
    form = CommitmentForm(request.POST or None, actor=request.user) if may_make else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Your role does not record commitments.")
        if form.is_valid():
            try:
                made = services.commitment_add(
                    actor=request.user,
                    person=form.cleaned_data["person"],
                    due_on=form.cleaned_data["due_on"],
                    **form.bound_to(),
                )
            except CommitmentError as error:
                form.add_error(None, str(error))
            else:
                due = f"{made.due_on:%a} {made.due_on.day} {made.due_on:%b}"
                messages.success(request, f"Committed: {made.what()} by {due}.")
                return redirect("commitments:list")
    people = visible_people(request.user).filter(is_active=True).order_by("name")
    person = people.filter(pk=_int(request.GET.get("person"))).first()
    wanted = [s for s, _ in STANDINGS if s in request.GET.getlist("state")]
    listed = selectors.waiting_first(
        selectors.commitment_list(request.user, as_of=today, person=person, standings=wanted)
    )
    theirs = [item for item in listed if item.commitment.person_id != request.user.pk]
    context = {
        "form": form,
        "listed": listed,
        "mine": [item for item in listed if item.commitment.person_id == request.user.pk][:SHOWN],
        "theirs": theirs[:SHOWN],
        "theirs_count": len(theirs),
        "shown": SHOWN,
        "people": people if people.exclude(pk=request.user.pk).exists() else None,
        "person": person,
        "standings": STANDINGS,
        "wanted": wanted,
        "today": today,
    }
    return render(request, "commitments/list.html", context)


@ability_required(abilities.SEE_PERSON)
def commitment_detail(request, pk: int):
    commitment = selectors.commitment_get(request.user, pk)
    today = timezone.localdate()
    user = request.user
    context = {
        "c": commitment,
        "standing": judge.standing(commitment, today),
        "verdict": judge.verdict(commitment, today),
        "may_report": user.pk == commitment.person_id
        and commitment.state not in (State.MET, State.PARTLY, State.MISSED, State.WITHDRAWN),
        "may_confirm": commitment.kind == "text"
        and commitment.state in (State.OPEN, State.REPORTED)
        and abilities.may(user, abilities.CONFIRM_COMMITMENTS, commitment.person),
        "may_withdraw": commitment.state in (State.OPEN, State.REPORTED)
        and abilities.may(user, abilities.MAKE_COMMITMENTS, commitment.person),
        "report_form": ReportForm(
            initial={
                "note": commitment.report,
                "done": {True: "yes", False: "no"}.get(commitment.reported_done, ""),
            }
        ),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "commitments/detail.html", context)


def _change(request, pk: int, change) -> object:
    commitment = selectors.commitment_get(request.user, pk)
    return change_then_back(
        request, commitment, change, refusals=(CommitmentError,), to="commitments:detail"
    )


@require_POST
@ability_required(abilities.MAKE_COMMITMENTS)
def commitment_report(request, pk: int):
    form = ReportForm(request.POST)

    def report(commitment) -> str:
        if not form.is_valid():
            raise CommitmentError("Write at most 2,000 characters, and say done or not.")
        services.commitment_report(
            actor=request.user,
            commitment=commitment,
            note=form.cleaned_data["note"],
            done=form.cleaned_data["done"],
        )
        return "Reported. Your manager confirms it." if commitment.kind == "text" else "Noted."

    return _change(request, pk, report)


@require_POST
@ability_required(abilities.CONFIRM_COMMITMENTS)
def commitment_confirm(request, pk: int):
    done = request.POST.get("done") == "yes"

    def confirm(commitment) -> str:
        services.commitment_confirm(actor=request.user, commitment=commitment, done=done)
        return f"Confirmed: {'met' if done else 'missed'}."

    return _change(request, pk, confirm)


@require_POST
@ability_required(abilities.MAKE_COMMITMENTS)
def commitment_withdraw(request, pk: int):
    form = WithdrawForm(request.POST)

    def withdraw(commitment) -> str:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.commitment_withdraw(actor=request.user, commitment=commitment, reason=reason)
        return "Withdrawn. It counts neither as kept nor as missed."

    return _change(request, pk, withdraw)


def _int(value: object) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 12 else None
