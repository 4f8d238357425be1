"""The scorecard pages: the team board, the personal scorecard, the executive roll-up,
the leaderboard (and its TV mode), and the admin's role scorecards.

Each page reads one selector of `scorecards.selectors`, which decides who may see
what (org/scoping.py); ``?format=csv`` downloads the page's table from the same rows.
Every page takes ``?period=2026-Q3&as_of=2026-08-17`` (default: this quarter, today).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accountable.boards import tables
from accountable.boards.charts import Bar, FunnelStage, bar_chart, funnel_bars
from accountable.boards.csv_export import csv_response, wants_csv
from accountable.boards.forms import PeriodForm, RoleScorecardForm
from accountable.boards.rollup_rows import rollup_rows
from accountable.checkins import selectors as checkins
from accountable.checkins.models import ActionState
from accountable.commitments import selectors as commitments
from accountable.crm import deal_history
from accountable.forecasts import selectors as forecasts
from accountable.org import abilities
from accountable.org.calendar import Period
from accountable.org.models import Person, Role, Team
from accountable.org.scoping import ability_required, visible_teams
from accountable.org.services import organisation_get
from accountable.scorecards import formulas as f
from accountable.scorecards import metrics, selectors, services
from accountable.scorecards.cache import cached_page
from accountable.signals import selectors as signals
from accountable.signals.summaries import board_csv_fields

SCORED_ROLES = (Role.REP, Role.MANAGER)


def _page(request, tab: str) -> dict:
    """What every scorecard page shows at the top: the period picker and the tabs."""
    today = timezone.localdate()
    organisation = organisation_get()
    form = PeriodForm(request.GET, calendar=organisation.calendar, today=today)
    period, as_of, error = form.chosen()
    if error:
        messages.error(request, f"Showing {period} instead: {error}")
    keep = {k: request.GET[k] for k in ("period", "as_of") if request.GET.get(k) and not error}
    if as_of < period.start:
        state, week = "ahead", None
    elif as_of >= period.end:
        state, week = "done", None
    else:
        state, week = "running", period.week_of_period(as_of)
    return {
        "tab": tab,
        "period": period,
        "as_of": as_of,
        "today": today,
        "period_state": state,
        "period_week": week,
        "period_gone": f.pace(period, as_of),  # its working days; a target may pace otherwise
        "period_choices": form.choices(period),
        "keep": "?" + urlencode(keep) if keep else "",
        "keep_params": keep,
        "csv_base": "?" + urlencode({**keep, "format": "csv"}),
        "currency": organisation.currency,
        "can_board": abilities.may(request.user, abilities.SEE_TEAMS),
        "can_rollup": abilities.may(request.user, abilities.SEE_TEAMS),
    }


def _sorted(request, rows, columns, default: str, ctx: dict, extra: dict) -> list:
    column = tables.column_get(columns, request.GET.get("sort"), default)
    descending = request.GET.get("dir", "desc" if column.numeric else "asc") != "asc"
    query = {**ctx["keep_params"], **extra}
    ctx["headers"] = tables.headers(columns, column, descending, query)
    ctx["csv_query"] = urlencode({**query, "sort": column.key, "format": "csv"})
    return tables.sort_rows(rows, column, descending)


def _csv_context(ctx: dict) -> dict:
    return {"period": ctx["period"], "as_of": ctx["as_of"]}


def _csv(name: str, rows, ctx: dict, **context):
    return csv_response(name, [r.as_dict() for r in rows], **context, **_csv_context(ctx))


# ---- the team board ----------------------------------------------------------------------


def _board_team(request, teams: list[Team]) -> Team | None:
    chosen = request.GET.get("team", "")
    by_id = {str(t.pk): t for t in teams}
    if chosen in by_id:
        return by_id[chosen]
    own = by_id.get(str(request.user.team_id))
    return own or next((t for t in teams if t.kind == "team"), teams[0] if teams else None)


def _indented(teams: list[Team]) -> list[tuple[int, str]]:
    """(id, name) for a team select, each name indented by its depth in the tree."""
    base = min((t.depth for t in teams), default=0)
    return [(t.pk, "\u2002\u2002" * (t.depth - base) + t.name) for t in teams]


@ability_required(abilities.SEE_TEAMS)
@cached_page
def board(request):
    """The team board: a row per person, attainment against pace, what it takes."""
    ctx = _page(request, "board")
    teams = list(visible_teams(request.user).order_by("path"))
    team = _board_team(request, teams)
    if team is None:
        return render(request, "scorecards/board.html", {**ctx, "teams": teams, "team": None})
    args = {"period": ctx["period"], "as_of": ctx["as_of"]}
    if wants_csv(request) and request.GET.get("table") == "team":
        summary = selectors.team_summary(request.user, team=team, **args)
        return _csv("board-team", [summary], ctx)
    rows = selectors.scorecard_rows(request.user, team=team, **args)
    found = signals.board_signals(request.user, [r.person_id for r in rows], **args)
    columns = tables.board_columns(found)
    rows = _sorted(request, rows, columns, "attainment", ctx, {"team": team.pk})
    # The next 1:1 is from today on, whatever day the numbers are shown as of.
    meets = checkins.next_checkins(request.user, [r.person_id for r in rows], timezone.localdate())
    if wants_csv(request):
        lines = [
            {
                **r.as_dict(),
                **board_csv_fields(found.get(r.person_id)),
                "next_checkin": _moment(meets.get(r.person_id)),
            }
            for r in rows
        ]
        return csv_response("board", lines, team=team.name, **_csv_context(ctx))
    ctx.update(
        teams=teams,
        team=team,
        summary=selectors.team_summary(request.user, team=team, **args),
        lines=[(row, tables.projected_share(row), meets.get(row.person_id)) for row in rows],
        team_options=_indented(teams),
        board_signals=found,
        open_warnings=sum(s.open_count for s in found.values()),
        signals_judged=any(s.judged_on for s in found.values()),
    )
    return render(request, "scorecards/board.html", ctx)


def _moment(checkin) -> str:
    """A check-in's start in the organisation's time, for a CSV ("" for none)."""
    if checkin is None:
        return ""
    return timezone.localtime(checkin.starts_at).isoformat(timespec="minutes")


# ---- the personal scorecard ----------------------------------------------------------------

FUNNEL_WORDS = {
    "touches": "Touches",
    "meetings": "Meetings",
    "opportunities": "Opportunities",
    "wins": "Wins",
}
CARD_TABLES = {
    "row": "row",
    "tiles": "tiles",
    "funnel": "funnel",
    "stages": "pipeline_by_stage",
    "categories": "pipeline_by_category",
    "conversion": "stage_conversion",
    "slipped": "slipped",
    "stale": "stale",
    "missing": "missing_milestones",
}


def scorecard(request, pk: int | None = None):
    """A person's scorecard: their own at /scorecard/, others' (if visible) by id."""
    if pk is None and request.GET.get("person", "").isdigit():
        return redirect(reverse("scorecards:person", args=[request.GET["person"]]) + _keep(request))
    ctx = _page(request, "scorecard")
    person = request.user if pk is None else get_object_or_404(Person, pk=pk)
    card = selectors.person_scorecard(
        request.user, person, period=ctx["period"], as_of=ctx["as_of"]
    )  # 404 for anyone the viewer may not see
    if wants_csv(request):
        return _card_csv(card, request.GET.get("table", ""), person, ctx)
    ctx.update(
        person=person,
        card=card,
        is_own=person.pk == request.user.pk,
        partial_week=_week_running(ctx["period"], ctx["as_of"]),
        pipeline_day=_past_day(ctx["period"], ctx["as_of"]),
        stale_days=metrics.stale_days(),
        funnel_empty=not any(s.count or s.team_count for s in card.funnel),
        has_conversion=any(c["entered"] for c in card.stage_conversion),
        funnel_chart=_funnel_chart(card, person, ctx["period"]),
        people=_people_to_pick(request.user, person, ctx["period"]),
        card_signals=signals.scorecard_signals(
            request.user, person, period=ctx["period"], as_of=ctx["as_of"]
        ),
        kept=commitments.kept_record([person.pk], ctx["as_of"]).get(person.pk),
        calls=forecasts.last_quarter_accuracy(person, ctx["period"].calendar, ctx["as_of"]),
        kept_days=commitments.KEPT_WINDOW_DAYS,
        can_packet=abilities.may(request.user, abilities.SEE_PACKETS, person),
        follow_up=_follow_up(request.user, person),
    )
    return render(request, "scorecards/scorecard.html", ctx)


def _follow_up(viewer: Person, person: Person) -> dict:
    """What the person has open, as of today whatever day the numbers are shown as of:
    commitments still to be decided, action items about them (soonest due first), and
    their next check-in — each scoped to the viewer."""
    today = timezone.localdate()
    actions = checkins.actions_visible(viewer).filter(about=person, state=ActionState.OPEN)
    return {
        "today": today,
        "commitments": commitments.still_open(viewer, person, today),
        "actions": list(actions.order_by("due_on", "pk")),
        "next": checkins.next_checkins(viewer, [person.pk], today).get(person.pk),
    }


def _card_csv(card, table: str, person: Person, ctx: dict):
    """One table of the scorecard as CSV: the goal tiles unless another is asked for."""
    table = CARD_TABLES.get(table, "tiles")
    found = [card.row] if table == "row" else getattr(card, table)
    items = [i.as_dict() if hasattr(i, "as_dict") else i for i in found]
    return csv_response(
        f"scorecard-{table}", items, person=person.email, period=ctx["period"], as_of=ctx["as_of"]
    )


def _funnel_chart(card, person: Person, period: Period):
    stages = [
        FunnelStage(FUNNEL_WORDS.get(s.step, s.step), s.count, s.team_count) for s in card.funnel
    ]
    return funnel_bars(stages, subject=f"{person} against the team, {period}")


def _people_to_pick(viewer: Person, person: Person, period: Period) -> list[Person]:
    """Whom a manager (or above) can switch to from here: the person on screen first if
    they are not among the reps (a manager's own scorecard), then the reps in reach."""
    if not abilities.may(viewer, abilities.SEE_TEAMS):
        return []
    people = selectors.scorecard_people(viewer, period=period)
    return people if person in people else [person, *people]


def _past_day(period: Period, as_of: date) -> date | None:
    """The past day whose pipeline the scorecard shows (None: today's)."""
    day = min(as_of, period.end)
    return day if deal_history.is_past(day) else None


def _week_running(period: Period, as_of: date) -> bool:
    """Whether the sparkline's last week stops before its end (a week so far)."""
    end = min(as_of, period.end)
    return end < period.calendar.period("week", end).end


def _keep(request) -> str:
    keep = {k: request.GET[k] for k in ("period", "as_of") if request.GET.get(k)}
    return "?" + urlencode(keep) if keep else ""


# ---- the executive roll-up ---------------------------------------------------------------


@ability_required(abilities.SEE_TEAMS)
@cached_page
def rollup(request):
    """Every team the viewer may see, compared: executives and admins all, managers theirs."""
    ctx = _page(request, "rollup")
    shown = list(visible_teams(request.user).order_by("path"))
    summaries = selectors.exec_rollup(
        request.user, period=ctx["period"], as_of=ctx["as_of"], teams=shown
    )
    if wants_csv(request):
        return _csv("rollup", summaries, ctx)
    teams = {t.pk: t for t in shown}
    base = min((t.depth for t in teams.values()), default=0)
    sort = request.GET.get("sort")
    ordered = _sorted(request, summaries, tables.ROLLUP, "team", ctx, {})
    rows = ordered if sort else summaries  # unsorted: tree order, indented
    leaves = [s for s in summaries if teams[s.team_id].kind == "team"] or summaries
    lines = [(s, teams[s.team_id].depth - base, tables.projected_share(s)) for s in rows]
    ctx.update(
        rows=rollup_rows(
            lines, tree_order=not sort, keep=ctx["keep_params"], currency=ctx["currency"]
        ),
        chart=bar_chart(
            [Bar(s.team, s.attainment, s.pace) for s in leaves],
            subject=f"Revenue attainment by team, {ctx['period']}",
        ),
        tree_order=not sort,
    )
    return render(request, "scorecards/rollup.html", ctx)


# ---- the leaderboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    key: str
    label: str
    kind: str  # money, count, fraction or score: how to write the figure


RANKED = [
    Ranked("revenue", "Revenue won", "money"),
    Ranked("attainment", "Attainment", "fraction"),
    Ranked("deals_won", "Deals won", "count"),
    Ranked("win_rate", "Win rate", "fraction"),
    Ranked("avg_deal_size", "Average deal size", "money"),
    Ranked("pipeline_created", "Pipeline created", "money"),
    Ranked("opportunities_created", "Opportunities created", "count"),
    Ranked("meetings", "Meetings", "count"),
    Ranked("first_meetings", "First meetings", "count"),
    Ranked("calls", "Calls", "count"),
    Ranked("emails", "E-mails", "count"),
    Ranked("prospecting_activities", "Prospecting activities", "count"),
    Ranked("activity_score", "Activity score", "score"),
    Ranked("outcome_score", "Outcome score", "score"),
]


def _leaderboard(request, tab: str) -> dict:
    ctx = _page(request, tab)
    choices = {r.key: r for r in RANKED if r.key in selectors.leaderboard_fields(request.user)}
    metric = choices.get(request.GET.get("metric", "revenue"))
    if metric is None:
        messages.error(request, "Showing revenue: that is not something the board ranks by.")
        metric = choices["revenue"]
    rows = selectors.leaderboard(
        request.user, period=ctx["period"], as_of=ctx["as_of"], metric=metric.key
    )
    field = selectors.LEADERBOARD_FIELDS[metric.key]
    values = [getattr(r, field) for r in rows]
    ctx.update(
        metric=metric,
        metrics=list(choices.values()),
        field=field,
        rows=rows,
        lines=list(zip(tables.ranks(values), rows, values, strict=True)),
        private=selectors.leaderboard_private(request.user),
        query=urlencode({**ctx["keep_params"], "metric": metric.key}),
    )
    return ctx


def leaderboard(request):
    """The people the viewer shares a board with, best first on one metric."""
    ctx = _leaderboard(request, "leaderboard")
    if wants_csv(request):
        # What the board shows and no more: a rep sees teammates' ranks and the one
        # figure ranked, never their targets or attainment (see
        # selectors.TARGET_FIGURES; SPEC: the leaderboard is what a team shares).
        lines = [
            {
                "rank": rank,
                "person": row.person,
                "name": row.name,
                "team": row.team,
                "period": row.period,
                ctx["metric"].key: row.as_dict()[ctx["field"]],
            }
            for rank, row, _value in ctx["lines"]
        ]
        return csv_response("leaderboard", lines, metric=ctx["metric"].key, **_csv_context(ctx))
    return render(request, "scorecards/leaderboard.html", ctx)


def leaderboard_tv(request):
    """The leaderboard for a screen on the wall: large type, no menus, fresh every minute."""
    ctx = _leaderboard(request, "leaderboard")
    ctx["updated"] = timezone.localtime()
    return render(request, "scorecards/leaderboard_tv.html", ctx)


# ---- role scorecards (admin) -------------------------------------------------------------


@ability_required(abilities.ADMINISTER)
def scorecard_settings(request):
    """Which metrics make up each role's activity and outcome scores, and their weights."""
    role = request.POST.get("role") or request.GET.get("role") or Role.REP
    if role not in SCORED_ROLES:
        role = Role.REP
    current = metrics.role_scorecards().get(role, [])
    form = RoleScorecardForm(request.POST if request.method == "POST" else None, current=current)
    if request.method == "POST":
        try:
            items = [] if "reset" in request.POST else form.items()
            services.role_scorecard_set(actor=request.user, role=role, items=items)
        except services.NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except services.ScorecardError as error:
            form.error = f"Nothing was saved: {error}"
        else:
            what = "back on the default" if "reset" in request.POST else "saved"
            messages.success(request, f"The {Role(role).label.lower()} scorecard is {what}.")
            return redirect(reverse("scorecards:settings") + "?" + urlencode({"role": role}))
    context = {
        "form": form,
        "role": role,
        "role_label": Role(role).label,
        "roles": [(r, Role(r).label) for r in SCORED_ROLES],
        "is_default": current == list(metrics.DEFAULT_SCORECARDS.get(role, [])),
    }
    return render(request, "scorecards/settings.html", context)
