"""Scorecard reads, always scoped to the viewer (org/scoping.py): the team board, the
executive roll-up, the personal scorecard and the leaderboard. The pages, the API and
the `accountable scorecard` command all read through these functions.

A scorecard covers one period (`2026-Q3`) as of one day: the actuals run from the
period's start through the as-of day (so a period label plus a day gives week, month,
quarter or year to date); pace, projections and the required weekly run rate are
measured in the organisation's working days (`scorecards.formulas`).

Money is Decimal; ratios are floats, None where undefined (win rate with no closed
deal, coverage with nothing left to go); `as_dict()` gives the JSON form (money as
strings with two decimals).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from accountable.crm import deal_history
from accountable.org.calendar import Period
from accountable.org.models import Person, Role, Team, path_ids
from accountable.org.scoping import SEES_EVERYONE, team_shared_people, visible_people, visible_teams
from accountable.scorecards import formulas as f
from accountable.scorecards import metrics as m
from accountable.scorecards import personal
from accountable.scorecards.cache import cached
from accountable.scorecards.rows import (
    FunnelStep,
    MetricSummary,
    MetricTile,
    PersonScorecard,
    ScoreRow,
    TeamSummary,
)
from accountable.targets.catalogue import metric_get

__all__ = [
    "FunnelStep",
    "MetricSummary",
    "MetricTile",
    "PersonScorecard",
    "ScoreRow",
    "TeamSummary",
    "exec_rollup",
    "leaderboard",
    "person_scorecard",
    "scorecard_rows",
    "team_summary",
]

SCORED_ROLES = (Role.REP,)  # whose rows a board shows unless asked for a person


# --- who is on a scorecard -------------------------------------------------------------


def _in_period(people: QuerySet[Person], period: Period) -> QuerySet[Person]:
    """People still with the organisation at the period's start (leavers keep their rows
    for the periods they worked in)."""
    return people.filter(Q(left_on__isnull=True) | Q(left_on__gte=period.start))


def scorecard_people(
    viewer: Person, *, period: Period, team: Team | None = None, person: Person | None = None
) -> list[Person]:
    """The people a board shows to the viewer: one person, a team's reps (its subtree),
    or every rep the viewer may see. Raises Http404 for what the viewer may not see."""
    visible = visible_people(viewer)
    if person is not None:
        if not visible.filter(pk=person.pk).exists():
            raise Http404("No such person among those you may see.")
        return [Person.objects.select_related("team").get(pk=person.pk)]
    people = visible.filter(role__in=SCORED_ROLES)
    if team is not None:
        if not visible_teams(viewer).filter(pk=team.pk).exists():
            raise Http404("No such team among those you may see.")
        people = people.filter(team__in=Team.objects.subtree_of([team]))
    return list(_in_period(people, period).select_related("team").order_by("name", "pk"))


# --- rows ----------------------------------------------------------------------------


def _to_date(period: Period, as_of: date) -> date:
    return min(as_of, period.end)


def _window(period: Period, as_of: date) -> tuple[date, date]:
    """The days open deals may still close in and count for the period: from the as-of
    day (or the period start, if later) to its end."""
    return max(as_of, period.start), period.end


def _revenue(
    won: Decimal,
    target: Decimal | None,
    period: Period,
    as_of: date,
    pipe: m.Pipeline,
    fraction: float,
) -> dict[str, Any]:
    expected = f.expected_to_date(target, fraction)
    return {
        "pace": fraction,
        "attainment": f.attainment(won, target),
        "expected_to_date": expected,
        "gap_to_pace": f.gap_to_pace(won, expected),
        "projected": f.projection(won, period, as_of, fraction),
        "run_rate_weekly": f.run_rate_weekly(won, period, as_of),
        "projected_with_pipeline": f.projection_with_pipeline(
            won, pipe.weighted_in_window, period, as_of
        ),
        "required_weekly": f.required_weekly(target, won, period, as_of),
        "coverage": f.coverage(pipe.in_window, target, won),
    }


def _activity(c: m.Counts) -> dict[str, Any]:
    return {
        "calls": c.calls,
        "emails": c.emails,
        "meetings": c.meetings,
        "first_meetings": c.first_meetings,
        "second_meetings": c.second_meetings,
        "prospecting_activities": c.prospecting,
        "activities": c.total,
        "opportunities_created": c.created_count,
        "pipeline_created": f.money(c.created_amount),
    }


def _rows(people: list[Person], period: Period, as_of: date) -> list[ScoreRow]:
    """ScoreRows for these people, reused until the data under them changes."""
    if not people:
        return []
    key = (_ids_key([p.pk for p in people]), period.label, as_of)
    return cached("rows", key, lambda: _rows_computed(people, period, as_of))


def _ids_key(ids: list[int]) -> str:
    return hashlib.blake2b(",".join(map(str, sorted(ids))).encode(), digest_size=12).hexdigest()


def _rows_computed(people: list[Person], period: Period, as_of: date) -> list[ScoreRow]:
    """ScoreRows for these people: a fixed number of queries whatever their number."""
    ids = [p.pk for p in people]
    end = _to_date(period, as_of)
    counted = m.counts(ids, period.start, end)
    pipes = m.pipeline(ids, _window(period, as_of), on=end)
    cycles = m.cycle_days(ids, period.start, end)
    flags = m.deal_flags(ids, period, as_of)
    targets = m.person_targets(ids, period)
    paces = m.person_paces(ids, period, as_of)
    cards = m.role_scorecards()
    rows = []
    for person in people:
        c = counted.get(person.pk) or m.Counts()
        pipe = pipes.get(person.pk) or m.Pipeline()
        cycle = cycles.get(person.pk, [])
        flag = flags.get(person.pk) or m.Flags()
        mine = targets.get(person.pk, {})
        rate = f.win_rate(c.won_count, c.lost_count)
        size = f.average_deal_size(c.won_amount, c.won_count)
        median_cycle = f.median(cycle)
        # Paced by the person's own working days: their time off is not expected of them.
        fraction = paces.fraction(person.pk)
        my_paces = paces.by_target.get(person.pk, {})
        scored = m.scores(cards.get(person.role, []), c, mine, fraction, cycle, my_paces)
        rows.append(
            ScoreRow(
                person=person.email,
                person_id=person.pk,
                name=person.name,
                team=person.team.name if person.team_id else "",
                role=person.role,
                period=period.label,
                as_of=as_of,
                target=mine.get("revenue"),
                won_amount=f.money(c.won_amount),
                won_count=c.won_count,
                won_units=c.won_units,
                lost_count=c.lost_count,
                win_rate=rate,
                win_rate_value=f.win_rate_value(c.won_amount, c.lost_amount),
                avg_deal_size=size,
                cycle_days_median=median_cycle,
                velocity=f.velocity(c.created_count, rate, size, median_cycle),
                open_pipeline=pipe.open_amount,
                pipeline_in_period=pipe.in_window,
                weighted_pipeline=pipe.weighted_in_window,
                **_revenue(
                    f.money(c.won_amount),
                    mine.get("revenue"),
                    paces.period_of(person.pk),
                    as_of,
                    pipe,
                    paces.of(person.pk, "revenue"),
                ),
                **_activity(c),
                first_to_second_meeting=f.ratio(c.second_meetings, c.first_meetings),
                activity_to_meeting=f.ratio(c.meetings, c.total - c.meetings),
                activity_target=scored.activity_target,
                activity_attainment=scored.activity_attainment,
                activity_score=scored.activity_score,
                outcome_score=scored.outcome_score,
                slipped_deals=flag.slipped,
                stale_deals=flag.stale,
                deals_missing_milestones=flag.missing_milestones,
            )
        )
    return rows


def scorecard_rows(
    viewer: Person,
    *,
    period: Period,
    as_of: date,
    team: Team | None = None,
    person: Person | None = None,
) -> list[ScoreRow]:
    """A row per person the viewer may see (reps; or one team's reps; or one person),
    ordered by name."""
    return _rows(scorecard_people(viewer, period=period, team=team, person=person), period, as_of)


# --- teams ----------------------------------------------------------------------------


def _team_summaries(
    teams: list[Team],
    people: QuerySet[Person] | None,
    period: Period,
    as_of: date,
    *,
    scope: str,
) -> list[TeamSummary]:
    """Summaries of `teams` over the people `scope` names (everyone, or those a viewer
    may see), reused until the data under them changes."""
    if not teams:
        return []
    key = (_ids_key([t.pk for t in teams]), scope, period.label, as_of)
    return cached("teams", key, lambda: _team_summaries_computed(teams, people, period, as_of))


def _scope(viewer: Person) -> tuple[QuerySet[Person] | None, str]:
    """Whose numbers a viewer's team totals add up: everyone's, or the people they see."""
    if viewer.role in SEES_EVERYONE:
        return None, "everyone"
    return visible_people(viewer), f"viewer-{viewer.pk}"


def _team_summaries_computed(
    teams: list[Team], people: QuerySet[Person] | None, period: Period, as_of: date
) -> list[TeamSummary]:
    """Summaries of `teams`, each over its whole subtree: the counts of each team's own
    people are added up by the database, their pipelines and targets here, and each
    team's sums are added into the teams above it (a person counts in each team above
    them). The people counted are those a board shows (reps), so a team's line adds up
    its board."""
    paths = {t.pk: t.path for t in teams}
    members: dict[int, list[int]] = defaultdict(list)  # team id -> person ids in subtree
    teams_of: dict[int, list[int]] = defaultdict(list)  # person id -> their teams here
    own_team: dict[int, list[int]] = defaultdict(list)  # team id -> its own people
    above: dict[int, list[int]] = {}  # a people's team id -> the teams shown it counts in
    person_ids: list[int] = []
    roster = _in_period(people if people is not None else Person.objects.all(), period).filter(
        Q(team__in=Team.objects.subtree_of(teams)), role__in=SCORED_ROLES
    )
    for pk, team_id, path in roster.order_by().values_list("pk", "team_id", "team__path"):
        person_ids.append(pk)
        own_team[team_id].append(pk)
        if team_id not in above:
            # The path holds the ids from the root down: its people count in each.
            above[team_id] = [i for i in path_ids(path) if i in paths]
        for shown in above[team_id]:
            members[shown].append(pk)
            teams_of[pk].append(shown)
    end = _to_date(period, as_of)
    everyone = people is None or len(person_ids) > 5000
    source = None if everyone else person_ids
    counted = m.counts_by_team(roster if everyone else person_ids, period.start, end)
    overlaps = m.team_overlaps(m.split_closes(source, period.start, end), teams_of)
    pipes = m.pipeline(source, _window(period, as_of), on=end)
    fraction = f.pace(period, as_of)
    # A team's target is its own, else the sum of its people's, each paced as theirs is.
    targets = m.team_targets_with_people(paths, source, period, as_of, "revenue")
    # Each team's own people are added up once, and that sum into the nearest team shown
    # above them; then each shown team's total into the nearest shown team above it,
    # the deepest first. Every sum is added once per level (they are exact: whole counts,
    # cents, and targets times their paces), not once for every team above it.
    gathered: dict[int, list[tuple[m.Counts, m.Pipeline, m.TargetsSum]]] = defaultdict(list)
    for team_id, theirs in own_team.items():
        gathered[above[team_id][-1]].append(
            (
                counted.get(team_id, m.Counts()),
                m.pipelines_sum(pipes[i] for i in theirs if i in pipes),
                m.targets_sum(targets.people[i] for i in theirs if i in targets.people),
            )
        )
    totals: dict[int, tuple[m.Counts, m.Pipeline, m.TargetsSum]] = {}
    for team in sorted(teams, key=lambda t: t.depth, reverse=True):
        parts = gathered.pop(team.pk, [])
        total = (
            m.counts_sum(part[0] for part in parts),
            m.pipelines_sum(part[1] for part in parts),
            sum((part[2] for part in parts), m.TargetsSum()),
        )
        totals[team.pk] = total
        shown_above = [i for i in path_ids(team.path)[:-1] if i in paths]
        if shown_above:
            gathered[shown_above[-1]].append(total)
    result = []
    for team in teams:
        ids = members.get(team.pk, [])
        c, pipe, people_targets = totals[team.pk]
        # A deal shared by several of the team's people is one deal won for the team.
        c = m.less_overlap(c, overlaps.get(team.pk))
        own_target, own_pace = targets.teams.get(team.pk, (None, fraction))
        target, pace = m.team_target_of(own_target, own_pace, people_targets, fraction)
        won = f.money(c.won_amount)
        result.append(
            TeamSummary(
                team=team.name,
                team_id=team.pk,
                period=period.label,
                as_of=as_of,
                people=len(ids),
                target=target,
                won_amount=won,
                won_count=c.won_count,
                lost_count=c.lost_count,
                win_rate=f.win_rate(c.won_count, c.lost_count),
                avg_deal_size=f.average_deal_size(c.won_amount, c.won_count),
                open_pipeline=pipe.open_amount,
                pipeline_in_period=pipe.in_window,
                weighted_pipeline=pipe.weighted_in_window,
                **_revenue(won, target, period, as_of, pipe, pace),
                **_activity(c),
            )
        )
    return result


def team_summary(viewer: Person, *, team: Team, period: Period, as_of: date) -> TeamSummary:
    """The team's totals for the board header (404 if the viewer may not see the team)."""
    if not visible_teams(viewer).filter(pk=team.pk).exists():
        raise Http404("No such team among those you may see.")
    people, scope = _scope(viewer)
    return _team_summaries([team], people, period, as_of, scope=scope)[0]


def exec_rollup(
    viewer: Person, *, period: Period, as_of: date, teams: list[Team] | None = None
) -> list[TeamSummary]:
    """One summary per team the viewer may see, in tree order: teams compared. `teams`:
    those teams (`visible_teams(viewer)` in path order), when the caller has them."""
    if teams is None:
        teams = list(visible_teams(viewer).order_by("path"))
    people, scope = _scope(viewer)
    return _team_summaries(teams, people, period, as_of, scope=scope)


# --- leaderboard ------------------------------------------------------------------------

LEADERBOARD_FIELDS = {
    "revenue": "won_amount",
    "deals_won": "won_count",
    "units": "won_units",
    "win_rate": "win_rate",
    "avg_deal_size": "avg_deal_size",
    "attainment": "attainment",
    "pipeline_created": "pipeline_created",
    "opportunities_created": "opportunities_created",
    "calls": "calls",
    "emails": "emails",
    "meetings": "meetings",
    "first_meetings": "first_meetings",
    "second_meetings": "second_meetings",
    "prospecting_activities": "prospecting_activities",
    "activity_score": "activity_score",
    "outcome_score": "outcome_score",
}


# Teammates share their results on the leaderboard, not their quotas. For a person the
# viewer may not otherwise see (a rep's teammates), every figure a target decides is
# left out of their row, and the board is not ranked by attainment, so that no shown
# figure divided by another gives a teammate's quota back (revenue ÷ attainment).
TARGET_FIGURES = (
    "target",
    "attainment",
    "expected_to_date",
    "gap_to_pace",
    "required_weekly",
    "coverage",
    "activity_target",
    "activity_attainment",
)
TARGET_RANKED = frozenset({"attainment"})


def leaderboard_private(viewer: Person) -> frozenset[int]:
    """The people on the viewer's leaderboard whose targets the viewer may not see."""
    shared = team_shared_people(viewer).filter(role__in=SCORED_ROLES)
    return frozenset(shared.exclude(pk__in=visible_people(viewer)).values_list("pk", flat=True))


def leaderboard_fields(viewer: Person) -> dict[str, str]:
    """The measures the viewer's leaderboard ranks by (attainment only where the viewer
    may see every target on the board)."""
    if not leaderboard_private(viewer):
        return dict(LEADERBOARD_FIELDS)
    return {k: v for k, v in LEADERBOARD_FIELDS.items() if k not in TARGET_RANKED}


def leaderboard(
    viewer: Person, *, period: Period, as_of: date, metric: str = "revenue"
) -> list[ScoreRow]:
    """The reps the viewer shares a leaderboard with (their team, or all they may see),
    best first on `metric`; people with no value last. Raises ValueError for a metric
    that cannot be ranked (the message lists those that can). Rows of people whose
    targets the viewer may not see carry none of the figures a target decides."""
    fields = leaderboard_fields(viewer)
    key = fields.get(metric)
    if key is None:
        known = ", ".join(fields)
        raise ValueError(f'Cannot rank by "{metric}"; rank by one of {known}.')
    private = leaderboard_private(viewer)
    people = _in_period(team_shared_people(viewer).filter(role__in=SCORED_ROLES), period)
    rows = _rows(list(people.select_related("team").order_by("name", "pk")), period, as_of)
    rows = [
        replace(row, **dict.fromkeys(TARGET_FIGURES)) if row.person_id in private else row
        for row in rows
    ]
    return sorted(rows, key=lambda r: (getattr(r, key) is None, -(getattr(r, key) or 0), r.name))


# --- the personal scorecard ---------------------------------------------------------------


def person_scorecard(
    viewer: Person, person: Person, *, period: Period, as_of: date
) -> PersonScorecard:
    """The personal scorecard: the person's row, goal tiles with trend and benchmarks,
    the funnel against the team, the pipeline and the deals that need attention."""
    row = scorecard_rows(viewer, period=period, as_of=as_of, person=person)[0]
    team_ids = (
        list(
            _in_period(
                Person.objects.filter(team_id=person.team_id, role__in=SCORED_ROLES), period
            ).values_list("pk", flat=True)
        )
        if person.team_id
        else [person.pk]
    )
    end = _to_date(period, as_of)
    if person.pk not in team_ids:
        team_ids.append(person.pk)
    counted = m.counts(team_ids, period.start, end)
    team_counts = {pk: counted.get(pk) or m.Counts() for pk in team_ids}
    team_cycles = m.cycle_days(team_ids, period.start, end)
    own = team_counts[person.pk]
    team_total = sum(team_counts.values(), m.Counts())
    deals = m.open_deals_of(person.pk)  # what needs attention: the deals as they are now
    then = m.open_deals_of(person.pk, on=end) if deal_history.is_past(end) else deals
    by_stage, by_category = personal.pipeline_breakdown(then)
    return PersonScorecard(
        row=row,
        tiles=personal.tiles(person, period, as_of, team_counts, team_cycles),
        funnel=personal.funnel(own, team_total),
        pipeline_by_stage=by_stage,
        pipeline_by_category=by_category,
        stage_conversion=personal.stage_conversion(person, period, as_of),
        **personal.deals_needing_attention(person, deals, period, as_of),
    )


def period_default_as_of(period: Period, today: date) -> date:
    """The as-of day a page shows by default: today, or the last day of a past period."""
    return min(today, period.end)


def metric_summary(
    viewer: Person,
    *,
    metric: str,
    period: Period,
    as_of: date,
    person: Person | None = None,
    team: Team | None = None,
) -> MetricSummary:
    """Any catalogue metric for one person or one team (its whole subtree) that the
    viewer may see: actual to date, target, attainment, pace, expected, gap, projection
    and required weekly run rate. Raises KeyError for an unknown metric (the message
    lists the known ones) and Http404 for a person or team out of reach."""
    meta = metric_get(metric)
    if (person is None) == (team is None):
        raise ValueError("Give a person or a team.")
    period_pace = f.pace(period, as_of)
    if person is not None:
        ids = [p.pk for p in scorecard_people(viewer, period=period, person=person)]
        targets = m.person_targets(ids, period).get(person.pk, {})
        target = targets.get(meta.key)
        paces = m.person_paces(ids, period, as_of)
        pace = paces.of(person.pk, meta.key)
        # Projected and still required in the person's own working days.
        period = paces.period_of(person.pk)
        owner = person.email
    else:
        if not visible_teams(viewer).filter(pk=team.pk).exists():
            raise Http404("No such team among those you may see.")
        people = _in_period(
            visible_people(viewer).filter(team__in=Team.objects.subtree_of([team])), period
        )
        ids = list(people.values_list("pk", flat=True))
        target = m.team_targets([team.pk], period).get(team.pk, {}).get(meta.key)
        people_targets: list[tuple[Decimal, float]] = []
        if target is None:  # the sum of its people's, paced as theirs are
            paces = m.person_paces(ids, period, as_of)
            people_targets = [
                (t[meta.key], paces.of(pid, meta.key))
                for pid, t in m.person_targets(ids, period).items()
                if meta.key in t
            ]
        own_paces = m.target_paces("team_id", [team.pk], period, as_of)
        target, pace = m.team_target(
            target,
            own_paces.get(team.pk, {}).get(meta.key, period_pace),
            people_targets,
            period_pace,
        )
        owner = team.name
    end = _to_date(period, as_of)
    # A team's shared deals once, its cycles each deal once (`metrics.counted_together`).
    counted, cycle = m.counted_together(ids, period.start, end)
    last_year = None
    if meta.key == "revenue_growth":
        before_start, before_end = m.same_stretch_last_year(period, end)
        last_year = sum(m.counts(ids, before_start, before_end).values(), m.Counts())
    actual = m.metric_value(meta.key, counted, cycle=cycle, last_year=last_year)
    paced = meta.key not in m.RATIO_METRICS and meta.unit in m.PACED_UNITS
    fraction = pace if paced else 1.0
    expected = f.expected_to_date(target, fraction) if actual is not None else None
    number = Decimal(str(actual)) if actual is not None else None
    return MetricSummary(
        metric=meta.key,
        label=meta.label,
        unit=str(meta.unit),
        higher_is_better=meta.higher_is_better,
        owner=owner,
        period=period.label,
        as_of=as_of,
        actual=actual,
        target=target,
        attainment=(
            f.attainment(number, target, meta.higher_is_better) if number is not None else None
        ),
        pace=fraction,
        expected=expected,
        gap=f.gap_to_pace(number, expected) if number is not None else None,
        projected=(
            f.projection(number, period, as_of, fraction) if paced and number is not None else None
        ),
        required_weekly=(
            f.required_weekly(target, number, period, as_of)
            if paced and number is not None
            else None
        ),
    )


__all__ += ["metric_summary", "period_default_as_of", "scorecard_people"]
