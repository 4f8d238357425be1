"""The performance review pages: the list (with the form an admin opens a cycle with),
and a review — the person's or the manager's assessment form, both side by side with
the gaps highlighted once both are in, the outcome agreed and its acknowledgment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accountable.org import abilities
from accountable.org.calendar import PeriodError
from accountable.org.scoping import ability_required
from accountable.org.services import organisation_get
from accountable.reviews import selectors, services
from accountable.reviews.errors import ReviewError
from accountable.reviews.forms import AcknowledgeForm, AssessmentForm, CycleForm, OutcomeForm
from accountable.reviews.models import ReviewState, Side


@ability_required(abilities.SEE_PERSON)
def review_list(request):
    user = request.user
    may_open = abilities.may(user, abilities.RUN_REVIEW_CYCLES)
    form = CycleForm(request.POST or None) if may_open else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only an admin opens a review cycle.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                period = organisation_get().calendar.parse(data["period"])
                cycle = services.cycle_open(
                    actor=user,
                    period=period,
                    people=data["people"],
                    as_of=data["as_of"],
                    self_due_on=data["self_due_on"],
                    manager_due_on=data["manager_due_on"],
                )
            except (PeriodError, ReviewError) as error:
                form.add_error(None, str(error))
            else:
                count = cycle.reviews.count()
                messages.success(request, f"{cycle.name} opened: {count} to review.")
                return redirect("reviews:list")
    today = timezone.localdate()
    context = {
        "form": form,
        "reviews": selectors.review_list(user),
        "today": today,
        "follow_up": "performance",
    }
    return render(request, "reviews/list.html", context)


@ability_required(abilities.SEE_PERSON)
def review_detail(request, pk: int):
    user = request.user
    review = selectors.review_get(user, pk)
    shown = selectors.review_shown(user, review)
    mine = shown.mine()
    writing = review.state == ReviewState.WRITING and shown.side and not (mine and mine.submitted)
    context = {
        "r": review,
        "shown": shown,
        "snapshot": review.snapshot,
        "form": AssessmentForm(items=shown.items, initial=AssessmentForm.initial_from(mine))
        if writing
        else None,
        "outcome_form": OutcomeForm(initial={"discussed_on": timezone.localdate()})
        if shown.side == Side.MANAGER and review.state == ReviewState.DISCUSSING
        else None,
        "ack_form": AcknowledgeForm()
        if shown.side == Side.SELF and review.state == ReviewState.AGREED
        else None,
        "is_person": user.pk == review.person_id,
        "today": timezone.localdate(),
    }
    return render(request, "reviews/detail.html", context)


def _back(request, pk: int, change):
    review = selectors.review_get(request.user, pk)
    try:
        said = change(review)
    except (ReviewError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, said)
    return redirect("reviews:detail", pk=review.pk)


@require_POST
@ability_required(abilities.SELF_ASSESS, abilities.ASSESS_PEOPLE)
def assessment_save(request, pk: int):
    def change(review):
        side = selectors.side_of(request.user, review)
        if side is None:
            raise PermissionDenied("You write no assessment in this review.")
        form = AssessmentForm(
            request.POST, items=selectors.review_shown(request.user, review).items
        )
        if not form.is_valid():
            first = next(iter(form.errors.values()))[0]
            raise ReviewError(f"Nothing was saved: {first}")
        submit = "send" in request.POST
        services.assessment_save(
            actor=request.user,
            review=review,
            side=side,
            ratings=form.ratings(),
            strengths=form.cleaned_data["strengths"],
            improve=form.cleaned_data["improve"],
            needs=form.cleaned_data["needs"],
            submit=submit,
        )
        return "Assessment sent." if submit else "Draft saved: send it when it is ready."

    return _back(request, pk, change)


@require_POST
@ability_required(abilities.ASSESS_PEOPLE)
def outcome_record(request, pk: int):
    def change(review):
        form = OutcomeForm(request.POST)
        if not form.is_valid():
            first = next(iter(form.errors.values()))[0]
            raise ReviewError(f"Nothing was recorded: {first}")
        services.outcome_record(actor=request.user, review=review, **form.cleaned_data)
        return f"Outcome recorded: {review.person.first_name} is asked to acknowledge it."

    return _back(request, pk, change)


@require_POST
@ability_required(abilities.SELF_ASSESS)
def outcome_acknowledge(request, pk: int):
    def change(review):
        form = AcknowledgeForm(request.POST)
        if not form.is_valid():
            raise ReviewError("Nothing was recorded: keep the response shorter.")
        services.outcome_acknowledge(
            actor=request.user, review=review, response=form.cleaned_data["response"]
        )
        return "Acknowledged."

    return _back(request, pk, change)
