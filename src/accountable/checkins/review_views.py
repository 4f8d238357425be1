"""The pipeline review pages: the reviews one may see with a form to start one, and a
review — coverage, what moved since the last one, stale deals, deals missing
milestones — with the decisions taken on its deals."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accountable.checkins import pipeline_review as reviews
from accountable.checkins.errors import CheckinError
from accountable.checkins.services import NOTES_LENGTH
from accountable.org import abilities
from accountable.org.forms import CalendarDateField, PersonChoiceField
from accountable.org.models import Person, Team
from accountable.org.scoping import ability_required, visible_people
from accountable.org.services import organisation_get
from accountable.plans import selectors as plan_selectors


class StartForm(forms.Form):
    person = PersonChoiceField(queryset=Person.objects.none(), required=False, label="A person's")
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, label="or a team's")

    def __init__(self, *args, actor: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        people = abilities.people(actor, abilities.RUN_CHECKINS).filter(is_active=True)
        self.fields["person"].queryset = people.exclude(pk=actor.pk).order_by("name")
        self.fields["team"].queryset = abilities.teams(actor, abilities.RUN_CHECKINS).order_by(
            "path"
        )


class DecisionForm(forms.Form):
    prefix = "decide"
    deal = forms.ChoiceField(label="Deal")
    decision = forms.CharField(max_length=300, label="Decision")
    next_step = forms.CharField(max_length=300, required=False, label="Next step (optional)")
    owner = forms.ChoiceField(required=False, label="Who")
    due_on = CalendarDateField(required=False, label="By")


@ability_required(abilities.SEE_PERSON)
def review_list(request):
    user = request.user
    may_start = abilities.may(user, abilities.RUN_CHECKINS)
    form = StartForm(request.POST or None, actor=user) if may_start else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Your role does not review pipelines.")
        if form.is_valid():
            try:
                review = reviews.review_start(
                    actor=user, person=form.cleaned_data["person"], team=form.cleaned_data["team"]
                )
            except CheckinError as error:
                form.add_error(None, str(error))
            else:
                return redirect("checkins:review", pk=review.pk)
    context = {"form": form, "reviews": list(reviews.reviews_visible(user)[:50])}
    return render(request, "checkins/reviews.html", context)


def _review(request, pk: int):
    found = reviews.reviews_visible(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such review among those you may see.")
    return found


def _decision_form(review, content, user, data=None) -> DecisionForm:
    form = DecisionForm(data)
    deals = {m.deal.pk: m.deal for _, _, moved in content.groups for m in moved}
    deals.update({d.pk: d for d in content.stale + content.missing})
    form.fields["deal"].choices = [
        (pk, f"{d.name or d.external_id} · {d.owner.name}") for pk, d in sorted(deals.items())
    ]
    owners = {user.pk: user.name}
    if review.person_id:
        owners[review.person_id] = review.person.name
    else:
        owners.update({d.owner_id: d.owner.name for d in deals.values()})
    form.fields["owner"].choices = [("", "—"), *owners.items()]
    return form


@ability_required(abilities.SEE_PERSON)
def review_detail(request, pk: int):
    review = _review(request, pk)
    content = reviews.contents(request.user, review)
    may_decide = reviews.may_review(request.user, review.person, review.team)
    context = {
        "r": review,
        "content": content,
        "may_decide": may_decide,
        "form": _decision_form(review, content, request.user) if may_decide else None,
        "decisions": list(review.decisions.select_related("deal", "action", "action__owner")),
        **_key_accounts(request.user, review),
    }
    return render(request, "checkins/review.html", context)


def _key_accounts(viewer, review) -> dict:
    """The subject's key account plans of the year, and those that need attention."""
    today = timezone.localdate()
    year = organisation_get().calendar.fiscal_year_of(today)
    ids = reviews.people_of(review.person, review.team)
    people = visible_people(viewer).filter(pk__in=ids)
    return {
        "account_plans": plan_selectors.account_plans(viewer, year, people=ids),
        "account_flags": plan_selectors.account_flags(people, year, today),
        "currency": organisation_get().currency,
        "today": today,
        "year": year,
    }


@require_POST
@ability_required(abilities.RUN_CHECKINS)
def review_decide(request, pk: int):
    review = _review(request, pk)
    content = reviews.contents(request.user, review)
    form = _decision_form(review, content, request.user, request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, f"Nothing recorded: {first}")
        return redirect("checkins:review", pk=review.pk)
    data = form.cleaned_data
    deal = next(d for d in _deals(content) if str(d.pk) == data["deal"])
    owner = Person.objects.filter(pk=data["owner"]).first() if data["owner"] else None
    try:
        reviews.decision_add(
            actor=request.user, review=review, deal=deal, decision=data["decision"],
            next_step=data["next_step"], owner=owner, due_on=data["due_on"],
        )  # fmt: skip
    except (CheckinError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Decision on {deal.name or deal.external_id} recorded.")
    return redirect("checkins:review", pk=review.pk)


def _deals(content):
    yield from (m.deal for _, _, moved in content.groups for m in moved)
    yield from content.stale
    yield from content.missing


@require_POST
@ability_required(abilities.RUN_CHECKINS)
def review_notes(request, pk: int):
    review = _review(request, pk)
    if not reviews.may_review(request.user, review.person, review.team):
        raise PermissionDenied("You do not review this pipeline.")
    if "notes" not in request.POST:
        messages.error(request, "There were no notes to save; nothing changed.")
        return redirect("checkins:review", pk=review.pk)
    notes = str(request.POST["notes"])
    if len(notes) > NOTES_LENGTH:
        messages.error(request, f"Keep notes to {NOTES_LENGTH:,} characters; nothing saved.")
    else:
        reviews.review_notes(actor=request.user, review=review, notes=notes)
        messages.success(request, "Notes saved.")
    return redirect("checkins:review", pk=review.pk)
