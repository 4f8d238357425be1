"""The SMART check: each letter passing and failing, in the words the form shows."""

# The messages use the real multiplication sign ("2.6×"), so the expected text does too.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from accountable.goals.smart import Best, GoalDraft, SmartContext, smart_check
from accountable.targets.catalogue import Metric, Unit, metric_get

D = Decimal
TODAY = date(2026, 3, 10)
GOOD = GoalDraft(
    owner="Alex",
    metric="revenue",
    target=D("140000"),
    baseline=D("110000"),
    period="2026-Q2",
    objective="Grow EMEA revenue 20%",
)
CONTEXT = SmartContext(
    today=TODAY,
    person_best=Best(D("150000"), "2025-Q4"),
    team_best=Best(D("158000"), "2026-Q1"),
    team_median=D("95000"),
    period_start=date(2026, 4, 1),
    period_end=date(2026, 6, 30),
)


def letter(goal: GoalDraft, context: SmartContext = CONTEXT, which: str = "A"):
    results = smart_check(goal, context)
    assert [r.letter for r in results] == ["S", "M", "A", "R", "T"]
    return next(r for r in results if r.letter == which)


def test_a_good_goal_passes_every_letter():
    results = smart_check(GOOD, CONTEXT)
    assert [(r.letter, r.ok, r.warn) for r in results] == [
        ("S", True, False),
        ("M", True, False),
        ("A", True, False),
        ("R", True, False),
        ("T", True, False),
    ]
    assert [r.message for r in results] == [
        "Specific: Revenue (won amount) from 110,000 to 140,000.",
        "Measurable: Revenue (won amount) is computed from the deals and activities, "
        "so progress shows up by itself.",
        "Achievable: 140,000 is within Alex's best quarter (150,000 in 2025-Q4). "
        "The team median is 95,000.",
        'Relevant: it supports "Grow EMEA revenue 20%".',
        "Time-bound: 2026-Q2, ending 30 June 2026.",
    ]


# ---- S ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"metric": None, "target": None}, "Specific: choose one metric and one number."),
        ({"metric": None}, "Specific: choose the metric that 140,000 is counted in."),
        ({"target": None}, "Specific: set the one number to reach on Revenue (won amount)."),
        (
            {"metric": "happiness"},
            'Specific: "happiness" is not a metric Accountable knows. '
            "Choose one metric from the list and one number.",
        ),
    ],
)
def test_specific_fails_without_one_metric_and_one_number(changes, message):
    result = letter(replace(GOOD, **changes), which="S")
    assert (result.ok, result.message) == (False, message)


def test_specific_passes_without_a_baseline():
    result = letter(replace(GOOD, baseline=None), which="S")
    assert (result.ok, result.message) == (True, "Specific: Revenue (won amount), 140,000.")


# ---- M ------------------------------------------------------------------------------


def test_measurable_fails_on_a_metric_entered_by_hand():
    result = letter(replace(GOOD, metric="custom"), which="M")
    assert not result.ok
    assert result.message == (
        'Measurable: "Custom (entered by hand)" is entered by hand, so progress can\'t be '
        "checked against the data. Pick a computed metric or accept manual tracking."
    )


@pytest.mark.parametrize(
    "metric", ["new_accounts", "revenue_growth", "win_rate", "avg_deal_size", "cycle_days"]
)
def test_measurable_now_counts_new_accounts_growth_and_the_ratios(metric):
    """Goal progress is computed for these metrics too: the check says it shows by itself."""
    result = letter(replace(GOOD, metric=metric), which="M")
    assert result.ok
    assert "is computed from the deals and activities" in result.message


def test_measurable_says_plainly_what_goal_progress_cannot_follow(monkeypatch):
    """A catalogue metric goal progress does not compute must not promise that progress
    shows up by itself."""
    import accountable.goals.smart as smart

    monkeypatch.setattr(smart, "is_computed", lambda key: key != "win_rate")
    result = letter(replace(GOOD, metric="win_rate"), which="M")
    assert not result.ok
    assert result.message.startswith("Measurable: Accountable cannot yet follow ")
    assert "tracked by hand" in result.message


def test_measurable_uses_the_lookup_it_is_given():
    own = Metric("nps", "Customer NPS", Unit.COUNT, manual=True)

    def lookup(key: str) -> Metric:
        return own if key == "nps" else metric_get(key)

    context = replace(CONTEXT, metric_lookup=lookup)
    result = letter(replace(GOOD, metric="nps"), context, which="M")
    assert not result.ok
    assert result.message.startswith('Measurable: "Customer NPS" is entered by hand')
    assert letter(GOOD, context, which="M").ok


def test_measurable_fails_without_a_metric():
    result = letter(replace(GOOD, metric=None), which="M")
    assert not result.ok
    assert result.message == (
        "Measurable: choose a metric the system computes (revenue, meetings, calls…), "
        "so progress is counted from the data rather than typed in."
    )


def test_measurable_passes_on_a_computed_metric():
    result = letter(replace(GOOD, metric="meetings"), which="M")
    assert result.ok
    assert result.message == (
        "Measurable: Meetings booked is computed from the deals and activities, "
        "so progress shows up by itself."
    )


# ---- A ------------------------------------------------------------------------------


def test_achievable_fails_far_beyond_anyone_on_the_team():
    result = letter(replace(GOOD, target=D("410000")))
    assert not result.ok
    assert result.message.startswith(
        "Achievable: 410,000 is 2.6× the best quarter anyone on this team has had "
        "(158,000 in 2026-Q1)"
    )
    assert result.message == (
        "Achievable: 410,000 is 2.6× the best quarter anyone on this team has had "
        "(158,000 in 2026-Q1). Bring it to 237,000 or less (1.5× that best), "
        "or agree why 2026-Q2 will be different."
    )


def test_achievable_limit_is_a_parameter():
    goal = replace(GOOD, target=D("300000"))  # 1.9× the team's best
    assert not letter(goal).ok
    relaxed = smart_check(goal, CONTEXT, stretch_limit=D(2))
    assert relaxed[2].ok and relaxed[2].warn
    assert relaxed[2].message.endswith("within the 2.0× limit. The team median is 95,000.")


def test_a_ratio_just_over_the_limit_does_not_read_as_the_limit():
    result = letter(replace(GOOD, target=D("243000")))  # 1.538× → "1.54×", not "1.5×"
    assert not result.ok
    assert result.message.startswith("Achievable: 243,000 is 1.54× the best quarter")


def test_achievable_warns_above_the_persons_own_best():
    result = letter(replace(GOOD, target=D("155000")))
    assert (result.ok, result.warn) == (True, True)
    assert result.message == (
        "Achievable: a stretch — 155,000 is beyond Alex's best quarter (150,000 in 2025-Q4), "
        "but someone on the team has done 158,000 (2026-Q1). The team median is 95,000."
    )


def test_achievable_warns_above_the_teams_best_within_the_limit():
    result = letter(replace(GOOD, target=D("200000")))
    assert (result.ok, result.warn) == (True, True)
    assert result.message == (
        "Achievable: a stretch — 200,000 is 1.3× the best quarter anyone on this team has had "
        "(158,000 in 2026-Q1), within the 1.5× limit. The team median is 95,000."
    )


def test_achievable_passes_without_history_but_says_so():
    context = replace(CONTEXT, person_best=None, team_best=None, team_median=None)
    result = letter(GOOD, context)
    assert (result.ok, result.warn) == (True, False)
    assert result.message == (
        "Achievable: there is no history on Revenue (won amount) yet, so 140,000 can't be "
        "compared with what anyone has done. Check it by hand."
    )


def test_achievable_against_the_team_when_the_owner_is_new():
    context = replace(CONTEXT, person_best=None, team_median=None)
    result = letter(GOOD, context)
    assert result.ok
    assert result.message == (
        "Achievable: 140,000 is within the best quarter anyone on this team has had "
        "(158,000 in 2026-Q1); Alex has no history on Revenue (won amount) yet."
    )


def test_achievable_counts_the_owners_record_as_the_teams_best():
    # The owner holds the record (the team figure passed in is lower): 1.5× of 300,000.
    context = replace(CONTEXT, person_best=Best(D("300000"), "2025-Q3"))
    assert letter(replace(GOOD, target=D("440000")), context).ok
    assert not letter(replace(GOOD, target=D("460000")), context).ok


def test_achievable_for_a_lower_is_better_metric():
    goal = replace(GOOD, metric="cycle_days", target=D(20), baseline=None)
    context = replace(CONTEXT, person_best=None, team_best=Best(D(36), "2026-Q1"))
    result = letter(goal, context)
    assert not result.ok
    assert result.message == (
        "Achievable: 20 is 1.8× lower than the best (lowest) quarter anyone on this team has "
        "had (36 in 2026-Q1). Bring it to 24 or more (1.5× below it), or agree why 2026-Q2 "
        "will be different."
    )
    assert letter(replace(goal, target=D(30)), context).ok


def test_achievable_cannot_be_judged_without_a_number():
    result = letter(replace(GOOD, target=None))
    assert not result.ok
    assert result.message == (
        "Achievable: can't be judged until the goal has one metric and one number; "
        "then it is compared with Alex's history and the team's."
    )


# ---- R ------------------------------------------------------------------------------


@pytest.mark.parametrize("objective", [None, "", "   "])
def test_relevant_fails_without_an_objective(objective):
    result = letter(replace(GOOD, objective=objective), which="R")
    assert not result.ok
    assert result.message == (
        "Relevant: link it to a company objective or priority, so everyone can see why it matters."
    )


def test_relevant_passes_with_an_objective():
    result = letter(replace(GOOD, objective="  Win the mid-market  "), which="R")
    assert (result.ok, result.message) == (True, 'Relevant: it supports "Win the mid-market".')


# ---- T ------------------------------------------------------------------------------


def test_time_bound_fails_without_a_period_or_deadline():
    result = letter(replace(GOOD, period=None), replace(CONTEXT, period_end=None), which="T")
    assert not result.ok
    assert result.message == "Time-bound: pick a period (such as 2026-Q3) or a deadline date."


def test_time_bound_fails_on_something_that_is_not_a_period():
    goal = replace(GOOD, period="next quarter")
    result = letter(goal, replace(CONTEXT, period_start=None, period_end=None), which="T")
    assert not result.ok
    assert result.message == (
        'Time-bound: "next quarter" is not a period. Write it as 2026, 2026-Q3, 2026-08 '
        "or 2026-W32, or give a deadline date."
    )


def test_time_bound_fails_when_the_period_is_over():
    context = replace(CONTEXT, period_start=date(2025, 10, 1), period_end=date(2025, 12, 31))
    result = letter(replace(GOOD, period="2025-Q4"), context, which="T")
    assert not result.ok
    assert result.message == (
        "Time-bound: 2025-Q4 ended on 31 December 2025. Pick a current or future period."
    )


def test_time_bound_fails_when_the_deadline_has_passed():
    goal = replace(GOOD, period=None, deadline=date(2026, 3, 9))
    result = letter(goal, replace(CONTEXT, period_start=None, period_end=None), which="T")
    assert not result.ok
    assert result.message == (
        "Time-bound: the deadline, 9 March 2026, has passed. "
        "Pick today (10 March 2026) or a later date."
    )


def test_time_bound_fails_when_the_deadline_is_outside_the_period():
    result = letter(replace(GOOD, deadline=date(2026, 8, 1)), which="T")
    assert not result.ok
    assert result.message == (
        "Time-bound: the deadline, 1 August 2026, falls outside 2026-Q2 "
        "(1 April 2026 to 30 June 2026). Move the deadline or the period."
    )


def test_time_bound_passes_with_a_deadline_or_a_period():
    no_period = replace(CONTEXT, period_start=None, period_end=None)
    by_date = letter(replace(GOOD, period=None, deadline=TODAY), no_period, which="T")
    assert (by_date.ok, by_date.message) == (True, "Time-bound: due by 10 March 2026.")
    within = letter(replace(GOOD, deadline=date(2026, 5, 15)), which="T")
    assert (within.ok, within.message) == (True, "Time-bound: due by 15 May 2026, within 2026-Q2.")
    bare = letter(GOOD, no_period, which="T")
    assert (bare.ok, bare.message) == (True, "Time-bound: 2026-Q2.")
    # A period under way still counts.
    current = replace(CONTEXT, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31))
    assert letter(replace(GOOD, period="2026-Q1"), current, which="T").ok
