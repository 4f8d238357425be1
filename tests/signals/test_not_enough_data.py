"""Missing data is not a pass: with too little history the rights are `unknown` and the
diagnosis says so; just enough, and the person is judged as usual. No sentence ever
carries "—" where a number should be."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.template.loader import render_to_string

from accountable.signals.diagnosis import UNKNOWN, diagnose
from accountable.signals.engine import findings_for
from accountable.signals.evidence import not_enough_data
from accountable.signals.rights import rights_assess
from accountable.signals.summaries import BoardSignals, DiagnosisSummary, rights_from
from accountable.signals.thresholds import DEFAULTS, Thresholds
from tests.signals.builders import benchmarks, figures

NOTHING = dict(
    touches_recent=None,
    touches_baseline=None,
    touches_quarter=None,
    prospecting_recent=None,
    prospecting_baseline=None,
    first_meetings_recent=None,
    first_meetings_baseline=None,
    opportunities_recent=None,
    opportunities_baseline=None,
    pipeline_created_recent=None,
    weeks_since_opportunity=None,
    phone_share=None,
    meetings_per_100_touches=None,
    win_rate_recent=None,
    closed_recent=0,
    win_rate_baseline=None,
    closed_baseline=0,
    deal_size_recent=None,
    won_recent=0,
    deal_size_baseline=None,
    won_baseline=0,
    cycle_recent=None,
    cycle_baseline=None,
    open_age=None,
    priority_share=None,
    won_half_year=0,
    open_pipeline=0.0,
    open_deals=0,
    quarter_target=0.0,
    coverage=None,
    quarters=[],
    touches_window=0,
    closed_window=0,
)
# A team where nobody has a figure either (a brand-new organisation).
EMPTY_TEAM = {name: None for name in benchmarks().team}


def new_rep(**changes):
    """Someone who started `weeks_employed` weeks ago with nothing logged yet."""
    return figures(**{**NOTHING, "in_ramp": True, "ramp_now": 0.25, "weeks_employed": 2, **changes})


# "—" where a number should be: after "of", "median", "top", "rate", "covers", … or before
# a unit; a dash as punctuation ("lack of effort — an accountability conversation") is fine.
DASH_FOR_NUMBER = re.compile(
    r"\b(of|median|top|rate|earlier|own|covers|performers|opportunity)\s+\(?—"
    r"|—\s*(%|weeks|days|a week)"
)


def assert_no_dash_for_a_number(text: str) -> None:
    assert not DASH_FOR_NUMBER.search(text), text


def all_text(found_rights, found_diagnosis) -> str:
    messages = [r["message"] for r in found_rights.as_dict().values()]
    return " ".join([*messages, found_diagnosis.message, found_diagnosis.next_step])


@pytest.mark.parametrize("bench", [benchmarks(), benchmarks(**EMPTY_TEAM)])
def test_a_new_rep_with_nothing_logged_is_not_enough_data_never_a_pass(bench):
    fig = new_rep()
    rights = rights_assess(fig, bench)
    assert [rights.thing.status, rights.way.status, rights.time.status] == [UNKNOWN] * 3
    found = diagnose(fig, bench)
    assert (found.cause, found.effort) == ("unknown", "unknown")
    assert found.message == (
        "Not enough history to judge yet: started 2 weeks ago, fewer than the 4 needed to judge."
    )
    assert "—" not in all_text(rights, found)
    assert_no_dash_for_a_number(all_text(rights, found))
    assert findings_for(fig, bench, DEFAULTS) == []


def test_weeks_since_start_at_the_edge():
    t = DEFAULTS
    data = dict(touches_window=40, touches_recent=12.0, prospecting_recent=6.0)
    assert not_enough_data(new_rep(weeks_employed=t.judge_min_weeks - 1, **data), t)
    assert not_enough_data(new_rep(weeks_employed=t.judge_min_weeks, **data), t) == ""
    judged = new_rep(weeks_employed=t.judge_min_weeks, **data)
    assert diagnose(judged, benchmarks()).cause != UNKNOWN
    # A ramping rep with some data is judged — against ramped figures, as before.
    assert rights_assess(judged, benchmarks()).thing.status == "pass"  # 50% prospecting


def test_no_touches_and_no_closed_deals_is_not_enough_data_one_of_either_is_enough():
    t = DEFAULTS
    idle = figures(**{**NOTHING, "weeks_employed": 30})
    quiet_team = benchmarks(**EMPTY_TEAM)
    gap = not_enough_data(idle, t, quiet_team)
    assert "no touches logged in the last 16 weeks and no deal closed" in gap
    assert rights_assess(idle, quiet_team).thing.status == UNKNOWN
    one_touch = replace(idle, touches_window=t.judge_min_touches)
    assert not_enough_data(one_touch, t, quiet_team) == ""
    one_deal = replace(idle, closed_window=t.judge_min_closed)
    assert not_enough_data(one_deal, t, quiet_team) == ""


def test_a_rep_idle_in_an_active_team_is_judged_and_found_idle():
    idle = figures(
        **{**NOTHING, "weeks_employed": 30, "touches_recent": 0.0, "touches_quarter": 0.0}
    )
    active = benchmarks()
    assert active.team["touches_recent"]
    assert not_enough_data(idle, DEFAULTS, active) == ""
    assert diagnose(idle, active).cause != UNKNOWN
    kinds = {finding.kind for finding in findings_for(idle, active, DEFAULTS)}
    assert "low_activity" in kinds


def test_the_minimums_are_thresholds():
    stricter = Thresholds.from_overrides({"judge_min_weeks": 10, "judge_min_touches": 50})
    busy = new_rep(weeks_employed=8, touches_window=49)
    assert not_enough_data(busy, DEFAULTS) == ""
    assert "started 8 weeks ago, fewer than the 10" in not_enough_data(busy, stricter)
    busy = replace(busy, weeks_employed=12)
    assert "only 49 touches logged" in not_enough_data(busy, stricter)


def test_complaints_still_count_without_a_history():
    fig = new_rep(complaints_recent=2)
    rights = rights_assess(fig, benchmarks(), {"complaints"})
    assert [rights.thing.status, rights.way.status, rights.time.status] == [
        UNKNOWN,
        "fail",
        UNKNOWN,
    ]
    assert rights.way.message.endswith("; 2 complaints in 91 days.")
    found = findings_for(replace(fig, complaints_dates=[fig.as_of]), benchmarks(), DEFAULTS)
    assert [f.kind for f in found] == ["complaints"]


def test_a_right_with_no_figure_is_unknown_and_says_what_is_missing():
    """Judged overall, but one right has nothing to go on: no target, no commitments."""
    fig = figures(coverage=None, quarter_target=0.0)
    rights = rights_assess(fig, benchmarks())
    assert rights.time.status == UNKNOWN
    assert rights.time.message.startswith("Not enough data to judge: no quarter's target")
    assert rights.thing.status == "pass"


def test_sentences_name_only_the_figures_that_are_known():
    # Ramping, so no own baseline yet; the team has no median for meetings.
    fig = figures(
        in_ramp=True,
        ramp_now=0.5,
        weeks_employed=6,
        first_meetings_baseline=None,
        touches_baseline=None,
        touches_recent=20.0,
        prospecting_recent=10.0,
        first_meetings_recent=1.0,
        opportunities_recent=0.5,
        priority_share=None,
        win_rate_recent=None,
        phone_share=None,
        meetings_per_100_touches=None,
        weeks_since_opportunity=None,
    )
    bench = benchmarks(first_meetings_recent=None, cycle_recent=None)
    found = diagnose(fig, bench, {"low_activity"})
    assert found.cause == "prospecting"
    assert found.message.startswith(
        "Too few meetings: 1.0 first meetings and 0.5 new opportunities a week over the "
        "last 4 weeks. 20 touches a week against a team median of 55: lack of effort"
    )
    rights = rights_assess(fig, bench)
    text = all_text(rights, found)
    assert_no_dash_for_a_number(text)
    # The check itself catches the old wording.
    assert DASH_FOR_NUMBER.search("— of won value in priority products against a team median of —")
    assert DASH_FOR_NUMBER.search("last new opportunity — weeks ago")
    assert "no deals won in the last 26 weeks to judge the product mix" in text
    assert "no new opportunity yet" in text and "median sales cycle" not in text


def test_the_board_and_the_scorecard_show_unknown_as_a_question_mark_not_a_pass():
    rights = rights_assess(new_rep(), benchmarks())
    marks = rights_from(rights.as_dict())
    assert [m.mark for m in marks] == ["?"] * 3
    signals = BoardSignals(person_id=1, rights=marks, cause="unknown", effort="unknown")
    html = render_to_string("signals/_board_rights.html", {"signals": signals})
    assert "sig-unknown" in html and "●" not in html
    assert 'title="Right thing: not enough data — Started 2 weeks ago' in html
    assert "Right thing: not enough data; Right way: not enough data" in html
    flags = render_to_string("signals/_board_flags.html", {"signals": signals})
    assert "why:" not in flags  # "not enough data" is not a cause
    summary = DiagnosisSummary("unknown", "unknown", "Not enough history to judge yet.", "")
    assert summary.conversation == "" and summary.conversation_label == "Not enough data"
    assert signals.rights_sort_key() == (0, 0, 3)
