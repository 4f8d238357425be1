"""Scorecard endpoints: the rows of the team board and the executive roll-up, scoped to
the caller, read through the same selectors as the pages and `accountable scorecard`.

Money is a decimal string ("4821.00"); ratios are numbers (0.25 = 25 %), null where
undefined (a win rate with no closed deal, coverage with nothing left to go).
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import types
from datetime import date
from decimal import Decimal
from typing import Any, get_args, get_type_hints

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import create_model

from accountable.org.calendar import parse_date
from accountable.org.scoping import visible_people, visible_teams
from accountable.org.services import organisation_get
from accountable.scorecards import selectors

router = Router(tags=["scorecards"])


def _json_type(kind: Any) -> Any:
    """The JSON form of a field's type: money and dates travel as strings."""
    if isinstance(kind, types.UnionType):
        return functools.reduce(operator.or_, [_json_type(arg) for arg in get_args(kind)])
    return str if kind in (Decimal, date) else kind


def _schema(name: str, source: type) -> type[Schema]:
    """An API schema with the fields of a selectors dataclass, in the same order."""
    hints = get_type_hints(source)
    fields = {f.name: (_json_type(hints[f.name]), ...) for f in dataclasses.fields(source)}
    return create_model(name, __base__=Schema, **fields)


ScoreRowOut = _schema("ScoreRowOut", selectors.ScoreRow)
TeamSummaryOut = _schema("TeamSummaryOut", selectors.TeamSummary)


def _period_and_day(period: str, as_of: str):
    calendar = organisation_get().calendar
    chosen = calendar.parse(period) if period else calendar.period("quarter", timezone.localdate())
    day = (
        parse_date(as_of) if as_of else selectors.period_default_as_of(chosen, timezone.localdate())
    )
    return chosen, day


@router.get(
    "/scorecards",
    response=list[ScoreRowOut],
    summary="Scorecard rows: one per person the caller may see",
)
def scorecards(
    request: HttpRequest, period: str = "", as_of: str = "", team: str = "", person: str = ""
):
    """`period` as 2026-Q3 (default: this quarter), `as_of` as YYYY-MM-DD (default: today,
    or the last day of a past period); narrow to a `team` (its name) or a `person` (an
    e-mail). The keys are those of `accountable scorecard --format json`."""
    chosen, day = _period_and_day(period, as_of)
    team_obj = person_obj = None
    if team:
        team_obj = visible_teams(request.user).filter(name__iexact=team.strip()).first()
        if team_obj is None:
            raise Http404(f'No team "{team}" among those you may see.')
    if person:
        person_obj = visible_people(request.user).filter(email__iexact=person.strip()).first()
        if person_obj is None:
            raise Http404(f'No person "{person}" among those you may see.')
    rows = selectors.scorecard_rows(
        request.user, period=chosen, as_of=day, team=team_obj, person=person_obj
    )
    return [row.as_dict() for row in rows]


@router.get(
    "/scorecards/teams",
    response=list[TeamSummaryOut],
    summary="The executive roll-up: one summary per team the caller may see",
)
def scorecard_teams(request: HttpRequest, period: str = "", as_of: str = ""):
    chosen, day = _period_and_day(period, as_of)
    return [s.as_dict() for s in selectors.exec_rollup(request.user, period=chosen, as_of=day)]
