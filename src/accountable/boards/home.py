"""The home page: the day's work (SPEC §6).

A manager's home says who is off pace and why, the new warnings, today's check-ins,
overdue commitments in the team and forecasts not called this week, each one click
from acting on it. A rep's home: their pace and the weekly rate still needed, what is
due (commitments and action items), and their next check-in. Everyone also sees their
place in the organisation (`org.selectors`), as before.
"""

from __future__ import annotations

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from accountable.checkins import selectors as checkins
from accountable.checkins import self_reports
from accountable.checkins.models import ActionState, CheckinState
from accountable.commitments import selectors as commitments
from accountable.forecasts import selectors as forecasts
from accountable.org import abilities, selectors
from accountable.org.calendar import Kind
from accountable.org.models import Role
from accountable.org.scoping import visible_people
from accountable.org.services import organisation_get
from accountable.scorecards import selectors as scorecards
from accountable.signals import selectors as signals
from accountable.signals.summaries import SEVERITY_ORDER

NEW_WARNING_DAYS = 7
SHOWN = 8


def home(request):
    user = request.user
    organisation = organisation_get()
    today = timezone.localdate()
    calendar = organisation.calendar
    quarter = calendar.period(Kind.QUARTER, today)
    context = {
        "organisation": organisation,
        "currency": organisation.currency,
        "today": today,
        "quarter": quarter,
        "week": calendar.period(Kind.WEEK, today),
        "quarter_week": quarter.week_of_period(today),
        "managers": selectors.person_managers(user),
        **_own_work(user, quarter, today),
    }
    if not abilities.may(user, abilities.SEE_TEAMS):  # a rep's home: their own place
        context["teammates"] = selectors.teammates(user)
        return render(request, "home/home_rep.html", context)
    context["roots"] = selectors.org_tree(user)
    context["role_counts"] = selectors.role_counts(user)
    context.update(_team_work(user, quarter, today))
    return render(request, "home/home.html", context)


def _own_work(user, quarter, today) -> dict:
    """The person's own: pace, what is due this week, their next check-in."""
    rows = scorecards.scorecard_rows(user, period=quarter, as_of=today, person=user)
    row = rows[0] if rows and user.role in (Role.REP, Role.MANAGER) else None
    if row is not None and user.role == Role.MANAGER and row.target is None and not row.won_amount:
        row = None  # a manager who carries no quota of their own: no "$0 won" line
    return {
        "own_row": row,
        "own_due": commitments.due_this_week(user, today),
        "own_actions": list(
            checkins.actions_visible(user)
            .filter(owner=user, state=ActionState.OPEN, due_on__lte=today + timedelta(days=7))
            .order_by("due_on")[:SHOWN]
        ),
        # The same next check-in as the board's and the scorecard's.
        "next_checkin": checkins.next_checkins(user, [user.pk], today).get(user.pk),
    }


def _team_work(user, quarter, today) -> dict:
    """A manager's (or an executive's) day: who is off pace, new warnings, today's
    check-ins, overdue commitments and forecasts not called this week."""
    reps = scorecards.scorecard_rows(user, period=quarter, as_of=today)
    behind = sorted(
        (r for r in reps if r.gap_to_pace is not None and r.gap_to_pace < 0),
        key=lambda r: r.gap_to_pace,
    )
    new = signals.warning_list(user).filter(
        first_seen_on__gte=today - timedelta(days=NEW_WARNING_DAYS)
    )
    # Why each is off pace: their most severe warning, in its own words.
    why, worst = {}, {}
    for warning in signals.warning_list(user):
        rank = SEVERITY_ORDER.get(warning.severity, len(SEVERITY_ORDER))
        if rank < worst.get(warning.person_id, len(SEVERITY_ORDER) + 1):
            why[warning.person_id], worst[warning.person_id] = warning.message, rank
    # Someone off pace with no warning still has the diagnosis's cause, as the board says.
    quiet = [r.person_id for r in behind[:SHOWN] if r.person_id not in why]
    if quiet:
        found = signals.board_signals(user, quiet, period=quarter, as_of=today)
        for person_id, said in found.items():
            if said.names_cause:
                why[person_id] = f"Most likely cause: {said.cause_label}"
    meetings = (
        checkins.visible(user)
        .filter(starts_at__date=today, state=CheckinState.SCHEDULED)
        .exclude(person=user)
    )
    team_reps = [r for r in reps if r.person_id != user.pk]
    people = {p.pk: p for p in _people(user, [r.person_id for r in team_reps])}
    calls = forecasts.latest(user, list(people.values()), quarter) if people else []
    reps = [p for p in people.values() if p.role == Role.REP]
    lateness = self_reports.late_by_person(reps, today)
    late = [(p, lateness[p.pk]) for p in reps if p.pk in lateness]
    not_called = [row.person for row in calls if row.stale]
    return {
        "behind": [(r, why.get(r.person_id, "")) for r in behind[:SHOWN]],
        "late_reports": late[:SHOWN],
        "late_count": len(late),
        "late_more": max(len(late) - SHOWN, 0),
        "behind_count": len(behind),
        "behind_more": max(len(behind) - SHOWN, 0),
        "new_warnings": list(new.order_by("-first_seen_on")[:SHOWN]),
        "new_more": max(new.count() - SHOWN, 0),
        "todays_checkins": list(meetings.order_by("starts_at")),
        "team_overdue": commitments.overdue_in_team(user, today)[:SHOWN],
        "not_called": not_called[:SHOWN],
        "not_called_count": len(not_called),
        "not_called_more": max(len(not_called) - SHOWN, 0),
    }


def _people(user, ids):
    return visible_people(user).filter(pk__in=ids, is_active=True).order_by("name")
