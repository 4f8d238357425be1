"""The forecast pages: a person's weekly call (with what they have to go on, their past
calls and how accurate they were) and a manager's team view (every call, their own
adjusted call, the rule-based projection, who has not submitted)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accountable.crm import credit
from accountable.crm.models import Deal
from accountable.crm.movement import KINDS, movement
from accountable.forecasts import selectors, services, weeks
from accountable.forecasts.errors import ForecastError
from accountable.forecasts.forms import AdjustForm, SubmitForm
from accountable.org import abilities
from accountable.org.calendar import Kind, PeriodError
from accountable.org.models import Person, Role, Team
from accountable.org.scoping import ability_required, visible_teams
from accountable.org.services import organisation_get

PAST_QUARTERS = 4


def _period(request):
    calendar = organisation_get().calendar
    label = request.GET.get("period", "").strip()
    if label:
        try:
            found = calendar.parse(label)
            if found.kind in services.FORECAST_KINDS:
                return found
        except PeriodError:
            pass
        messages.error(
            request, f'Showing this quarter: "{label[:20]}" is not a month, quarter or year.'
        )
    return calendar.period(Kind.QUARTER, timezone.localdate())


def _past(period, count: int):
    calendar = organisation_get().calendar
    found, day = [], period.start
    for _ in range(count):
        day -= timedelta(days=1)
        before = calendar.period(period.kind, day)
        found.append(before)
        day = before.start
    return found


@ability_required(abilities.SEE_PERSON)
def mine(request):
    """The viewer's own forecast of the period: this week's form, the calls so far, and
    the accuracy of past periods."""
    user = request.user
    period = _period(request)
    today = timezone.localdate()
    may_submit = abilities.may(user, abilities.SUBMIT_FORECASTS, user)
    week = weeks.open_week()
    closing = selectors.open_deals_closing(user, period, today) if may_submit else None
    form = SubmitForm(request.POST or None, deals=closing) if may_submit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Your role does not submit forecasts.")
        if form.is_valid():
            try:
                services.forecast_submit(
                    actor=user, person=user, period=period.label, **form.cleaned_data
                )
            except ForecastError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Forecast for {period.label} submitted for the week of {week.day} {week:%b}.",
                )
                return redirect(f"{reverse('forecasts:mine')}?period={period.label}")
    calls = list(
        selectors.visible(user)
        .filter(person=user, period=period.label)
        .prefetch_related("deals")
        .order_by("-week_of")
    )
    this_week = next((c for c in calls if c.week_of == week), None)
    if form is not None and not form.is_bound and this_week is not None:
        form.initial = {
            "commit": this_week.commit,
            "best_case": this_week.best_case,
            "note": this_week.note,
            "deals": [deal.pk for deal in this_week.deals.all()],
        }
    locked = {week: weeks.is_locked(week) for week in {c.week_of for c in calls}}  # once a week
    past = _past(period, PAST_QUARTERS)
    accuracy = [(p, selectors.accuracy([user.pk], p, today).get(user.pk)) for p in past]
    context = {
        "period": period,
        "form": form,
        "week": week,
        "deadline": weeks.deadline(week),
        "this_week": this_week,
        "calls": [(c, locked[c.week_of]) for c in calls],
        "guide": selectors.guidance([user.pk], period, today),
        "accuracy": accuracy,
        "may_see_team": abilities.may(user, abilities.SEE_TEAMS),
        "currency": organisation_get().currency,
    }
    return render(request, "forecasts/mine.html", context)


@ability_required(abilities.SEE_TEAMS)
def team(request):
    """A team's forecast: each person's latest call beside the manager's, the sums, the
    rule-based projection, and who is stale."""
    user = request.user
    period = _period(request)
    today = timezone.localdate()
    teams = list(visible_teams(user).order_by("path"))
    chosen = next((t for t in teams if str(t.pk) == request.GET.get("team")), None)
    chosen = chosen or next((t for t in teams if user.managed_teams.filter(pk=t.pk).exists()), None)
    chosen = chosen or (teams[0] if teams else None)
    people = []
    if chosen is not None:
        under = Team.objects.subtree_of([chosen])
        people = Person.objects.filter(team__in=under, role=Role.REP, is_active=True)
    rows = selectors.latest(user, people.order_by("name") if people else [], period)
    ids = [row.person.pk for row in rows]
    submitted = [row.submission for row in rows if row.submission]
    context = {
        "period": period,
        "teams": teams,
        "team": chosen,
        "rows": [(row, _adjust_form(user, row)) for row in rows],
        "submitted": sum((s.commit for s in submitted), start=Decimal(0)),
        "best": sum((s.best_case for s in submitted), start=Decimal(0)),
        "called": sum((row.called for row in rows if row.called is not None), start=Decimal(0)),
        "stale": [row for row in rows if row.stale],
        "guide": selectors.guidance(ids, period, today),
        "accuracy": [
            (p, selectors.team_accuracy(ids, p, today)) for p in _past(period, PAST_QUARTERS)
        ],
        "week": weeks.open_week(),
        "currency": organisation_get().currency,
        **_since_lock(ids, today),
    }
    return render(request, "forecasts/team.html", context)


# What a forecast call hangs on: deals that came, moved in or out of the period, or went.
SINCE_LOCK = ("new", "pulled_in", "pushed", "won", "lost")


def _since_lock(ids: list[int], today) -> dict:
    """What moved in the people's deals since last week's calls locked."""
    locked = weeks.deadline(weeks.open_week() - timedelta(days=7)).date()
    if not ids:
        return {"locked_on": locked, "moved": []}
    deals = Deal.objects.filter(credit.credits_people(ids))
    found = movement(deals, locked, today, organisation_get().calendar)
    labels = dict(KINDS)
    return {
        "locked_on": locked,
        "moved": [(labels[key], found[key]) for key in SINCE_LOCK if found[key]],
    }


def _adjust_form(user, row: selectors.Latest) -> AdjustForm | None:
    """The manager's form on a person's latest call, while its week is open."""
    if row.submission is None or row.locked:
        return None
    if not abilities.may(user, abilities.ADJUST_FORECASTS, row.person):
        return None
    adjusted = getattr(row.submission, "adjustment", None)
    initial = (
        {"commit": adjusted.commit, "best_case": adjusted.best_case, "note": adjusted.note}
        if adjusted
        else {"commit": row.submission.commit, "best_case": row.submission.best_case}
    )
    return AdjustForm(prefix=f"a{row.submission.pk}", initial=initial)


@require_POST
@ability_required(abilities.ADJUST_FORECASTS)
def adjust(request, pk: int):
    submission = selectors.submission_get(request.user, pk)
    form = AdjustForm(request.POST, prefix=f"a{submission.pk}")
    team = str(request.POST.get("team", ""))
    query = urlencode({"period": submission.period, **({"team": team} if team.isdigit() else {})})
    back = f"{reverse('forecasts:team')}?{query}"
    if not form.is_valid():
        messages.error(request, "Give your commit and best case as amounts, and say why.")
        return redirect(back)
    try:
        services.forecast_adjust(actor=request.user, submission=submission, **form.cleaned_data)
    except (ForecastError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Your call on {submission.person.name}'s forecast is kept beside theirs."
        )
    return redirect(back)
