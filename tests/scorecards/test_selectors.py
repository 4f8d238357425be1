"""The scorecard selectors: the numbers of a row worked by hand, who sees which rows,
team totals, the executive roll-up, the leaderboard and the personal scorecard.

The `sales` fixture (conftest), in 2026-Q3, as of Monday 17 August (34 of 66 working
days gone): rep won W1 1,000 (created 1 Jul, closed 14 Aug: 44 days) and W2 2,000
(engaged 10 Jul: 35 days), lost L1 (500), has O1 open at 4,000 in Proposal (50 %)
expected 15 Sep, made 5 calls and 2 meetings (a first and a second); rep2 won W3
3,000 and sent one prospecting e-mail; other_rep (South) won X1 9,000.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.http import Http404

from accountable.crm.models import Deal, DealStatus, Stage
from accountable.crm.upsert import deals_upsert
from accountable.scorecards import metrics as m
from accountable.scorecards import selectors
from accountable.scorecards.services import role_scorecard_set
from accountable.targets.models import Target
from tests.factories import PersonFactory
from tests.scorecards.conftest import Q3, deal

pytestmark = pytest.mark.django_db
AUG17 = date(2026, 8, 17)
SEPT_30 = {"expected_close_on": date(2026, 9, 30)}


def target(owner, metric: str, value: str, period=Q3) -> Target:
    owner_field = {"team": owner} if owner.__class__.__name__ == "Team" else {"person": owner}
    return Target.objects.create(
        **owner_field,
        metric=metric,
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        value=Decimal(value),
    )


def row_of(viewer, person, **kw):
    rows = selectors.scorecard_rows(viewer, period=Q3, as_of=kw.pop("as_of", AUG17), person=person)
    assert len(rows) == 1
    return rows[0]


def test_a_row_worked_by_hand(sales):
    target(sales.rep, "revenue", "10000")
    row = row_of(sales.manager, sales.rep)
    assert (row.person, row.name, row.team, row.period) == (
        "rep@acme.test",
        "Rita Rep",
        "North Field",
        "2026-Q3",
    )
    assert (row.won_amount, row.won_count, row.lost_count) == (Decimal("3000.00"), 2, 1)
    assert row.win_rate == pytest.approx(2 / 3)
    assert row.win_rate_value == pytest.approx(3000 / 3500)
    assert row.avg_deal_size == Decimal("1500.00")
    assert row.cycle_days_median == 39.5  # median of 44 and 35
    assert row.target == Decimal("10000.00")
    assert row.attainment == pytest.approx(0.3)
    assert row.pace == pytest.approx(34 / 66)
    assert row.expected_to_date == Decimal("5151.52")  # 10,000 * 34/66
    assert row.gap_to_pace == Decimal("-2151.52")
    assert row.projected == Decimal("5823.53")  # 3,000 / 34 * 66
    assert row.open_pipeline == Decimal("4000.00")
    assert row.weighted_pipeline == Decimal("2000.00")  # 4,000 at 50 %
    assert row.projected_with_pipeline == Decimal("5000.00")
    assert row.required_weekly == Decimal("1093.75")  # 7,000 over 32 days = 6.4 weeks
    assert row.coverage == pytest.approx(4000 / 7000)
    assert (row.calls, row.emails, row.meetings) == (5, 0, 2)
    assert (row.first_meetings, row.second_meetings, row.prospecting_activities) == (1, 1, 0)
    assert row.first_to_second_meeting == 1.0
    assert row.opportunities_created == 4  # W1, W2, L1, O1 created 1 July
    # velocity: 4 opportunities * 2/3 * 1,500 / 39.5 days
    assert row.velocity == Decimal("101.27")
    assert (row.stale_deals, row.deals_missing_milestones, row.slipped_deals) == (1, 1, 0)
    as_json = row.as_dict()
    for key in (
        "person",
        "name",
        "team",
        "period",
        "target",
        "won_amount",
        "won_count",
        "lost_count",
        "win_rate",
        "avg_deal_size",
        "cycle_days_median",
        "open_pipeline",
        "weighted_pipeline",
        "coverage",
        "attainment",
        "expected_to_date",
        "projected",
        "required_weekly",
        "calls",
        "emails",
        "meetings",
        "first_meetings",
        "second_meetings",
        "prospecting_activities",
    ):
        assert key in as_json
    assert as_json["won_amount"] == "3000.00"
    assert as_json["as_of"] == "2026-08-17"


def test_undefined_ratios_are_none(org):
    row = row_of(org.manager, org.rep)
    assert row.win_rate is None and row.avg_deal_size is None and row.cycle_days_median is None
    assert row.coverage is None and row.attainment is None and row.required_weekly is None


def test_a_past_due_deal_has_slipped(sales):
    assert row_of(sales.manager, sales.rep, as_of=date(2026, 9, 20)).slipped_deals == 1


def test_split_credit_by_share(sales):
    deals_upsert(
        [{**deal("S1", sales.rep, amount="8000"), "splits": [(sales.rep, 25), (sales.rep2, 75)]}]
    )
    rep, rep2 = selectors.scorecard_rows(sales.manager, period=Q3, as_of=AUG17)
    assert rep.won_amount == Decimal("5000.00")  # 3,000 + 25 % of 8,000
    assert rep2.won_amount == Decimal("9000.00")  # 3,000 + 75 % of 8,000
    assert (rep.won_count, rep2.won_count) == (3, 2)  # a shared win counts for each
    summary = selectors.team_summary(sales.manager, team=sales.north_field, period=Q3, as_of=AUG17)
    assert summary.won_amount == Decimal("14000.00")  # never more than the deals' amounts


def test_who_sees_which_rows(sales):
    def emails(viewer, **kw):
        return [r.person for r in selectors.scorecard_rows(viewer, period=Q3, as_of=AUG17, **kw)]

    assert emails(sales.rep) == ["rep@acme.test"]
    assert emails(sales.manager) == ["rep@acme.test", "rep2@acme.test"]
    assert emails(sales.north_boss) == ["insiderep@acme.test", "rep@acme.test", "rep2@acme.test"]
    assert emails(sales.other_manager) == ["otherrep@acme.test"]
    assert len(emails(sales.executive)) == 4
    assert emails(sales.north_boss, team=sales.north_inside) == ["insiderep@acme.test"]
    with pytest.raises(Http404):
        emails(sales.manager, team=sales.south_field)
    with pytest.raises(Http404):
        emails(sales.manager, person=sales.other_rep)
    with pytest.raises(Http404):
        emails(sales.rep, person=sales.rep2)
    with pytest.raises(Http404):
        selectors.team_summary(sales.rep, team=sales.north_field, period=Q3, as_of=AUG17)


def test_leavers_drop_off_after_the_period_they_left_in(sales):
    sales.rep2.left_on = date(2026, 6, 30)
    sales.rep2.save()
    assert [r.person for r in selectors.scorecard_rows(sales.manager, period=Q3, as_of=AUG17)] == [
        "rep@acme.test"
    ]


def test_team_summary_target_is_the_teams_or_the_sum_of_its_people(sales):
    target(sales.rep, "revenue", "10000")
    target(sales.rep2, "revenue", "5000")
    summary = selectors.team_summary(sales.manager, team=sales.north_field, period=Q3, as_of=AUG17)
    assert summary.target == Decimal("15000.00")
    assert (summary.won_amount, summary.won_count, summary.lost_count) == (
        Decimal("6000.00"),
        3,
        1,
    )
    assert summary.attainment == pytest.approx(0.4)
    assert summary.coverage == pytest.approx(4000 / 9000)
    target(sales.north_field, "revenue", "20000")
    summary = selectors.team_summary(sales.manager, team=sales.north_field, period=Q3, as_of=AUG17)
    assert summary.target == Decimal("20000.00")


def test_exec_rollup_one_summary_per_visible_team(sales):
    teams = selectors.exec_rollup(sales.executive, period=Q3, as_of=AUG17)
    by_name = {t.team: t for t in teams}
    assert list(by_name) == ["Acme", "North", "North Field", "North Inside", "South", "South Field"]
    assert by_name["Acme"].won_amount == Decimal("15000.00")
    assert by_name["North"].won_amount == Decimal("6000.00")
    assert by_name["South Field"].won_amount == Decimal("9000.00")
    mine = selectors.exec_rollup(sales.manager, period=Q3, as_of=AUG17)
    assert [t.team for t in mine] == ["North Field"]
    assert selectors.exec_rollup(sales.rep, period=Q3, as_of=AUG17) == []


def test_leaderboard_is_shared_with_the_team_and_ranked(sales):
    board = selectors.leaderboard(sales.rep, period=Q3, as_of=AUG17, metric="calls")
    assert [(r.person, r.calls) for r in board] == [("rep@acme.test", 5), ("rep2@acme.test", 0)]
    board = selectors.leaderboard(sales.executive, period=Q3, as_of=AUG17)
    assert board[0].person == "otherrep@acme.test"  # 9,000 won
    with pytest.raises(ValueError, match="rank by one of"):
        selectors.leaderboard(sales.rep, period=Q3, as_of=AUG17, metric="shoe size")


def test_scores_against_pace_with_default_and_configured_scorecards(sales):
    target(sales.rep, "revenue", "10000")
    target(sales.rep, "calls", "10")
    row = row_of(sales.manager, sales.rep)
    # revenue: 3,000 against 5,151.52 expected = 0.5824 -> outcome score 58.24
    assert row.outcome_score == pytest.approx(100 * 3000 / (10000 * 34 / 66), rel=1e-4)
    # calls: 5 against 10 * 34/66 = 5.15 -> 97.06 (meetings and prospecting have no target)
    assert row.activity_score == pytest.approx(100 * 5 / (10 * 34 / 66), rel=1e-4)
    assert row.activity_target == Decimal("10.00")
    assert row.activity_attainment == pytest.approx(5 / (10 * 34 / 66))
    role_scorecard_set(
        actor=sales.admin,
        role="rep",
        items=[
            {"metric": "deals_won", "kind": "outcome", "weight": 1},
            {"metric": "calls", "kind": "activity", "weight": 1},
        ],
    )
    target(sales.rep, "deals_won", "1")
    row = row_of(sales.manager, sales.rep)
    assert row.outcome_score == 150.0  # 2 wins against 0.52 expected: capped at 150


def test_person_scorecard(sales):
    target(sales.rep, "calls", "10")
    card = selectors.person_scorecard(sales.manager, sales.rep, period=Q3, as_of=AUG17)
    assert card.row.person == "rep@acme.test"
    calls = next(t for t in card.tiles if t.metric == "calls")
    assert (calls.actual, calls.target) == (5, Decimal("10.00"))
    assert calls.attainment == 0.5
    assert len(calls.sparkline) == 13 and sum(calls.sparkline) == 5
    assert calls.sparkline_weeks[-1] == "2026-W34"  # the week of 17 August
    assert calls.team_median == 2.5  # rep 5, rep2 0
    assert calls.baseline == 0.0  # nothing in the four quarters before
    funnel = {s.step: s for s in card.funnel}
    assert (funnel["touches"].count, funnel["meetings"].count) == (5, 2)
    assert funnel["meetings"].rate == pytest.approx(0.4)
    assert (funnel["wins"].count, funnel["wins"].team_count) == (2, 3)
    assert card.pipeline_by_stage == [
        {
            "stage": "Proposal",
            "order": card.pipeline_by_stage[0]["order"],
            "probability": 50,
            "count": 1,
            "amount": Decimal("4000.00"),
            "weighted": Decimal("2000.00"),
        }
    ]
    assert [d["external_id"] for d in card.stale] == ["O1"]
    assert [d["external_id"] for d in card.missing_milestones] == ["O1"]
    assert card.slipped == []
    assert card.as_dict()["tiles"][0]["metric"] == "revenue"
    with pytest.raises(Http404):
        selectors.person_scorecard(sales.other_manager, sales.rep, period=Q3, as_of=AUG17)


def test_board_queries_do_not_grow_with_people(sales, django_assert_max_num_queries):
    for _ in range(15):
        PersonFactory(team=sales.north_field)
    # 17 August is past: the pipeline from history; time off, one more.
    with django_assert_max_num_queries(19):
        rows = selectors.scorecard_rows(sales.manager, period=Q3, as_of=AUG17)
    assert len(rows) == 17
    with django_assert_max_num_queries(16):  # with the split deals a team counts once
        selectors.exec_rollup(sales.executive, period=Q3, as_of=AUG17)


def test_open_pipeline_split_by_share_to_the_cent(sales):
    deals_upsert(
        [
            {
                **deal(
                    "S2",
                    sales.rep,
                    stage_name="Proposal",
                    amount="4259",
                    expected_close_on=date(2026, 9, 1),
                ),
                "splits": [(sales.rep, 40), (sales.rep2, 60)],
            }
        ]
    )
    rep, rep2 = selectors.scorecard_rows(sales.manager, period=Q3, as_of=AUG17)
    # rep: O1 4,000 + 40 % of 4,259 = 1,703.60; weighted at 50 %: 2,000 + 851.80
    assert rep.open_pipeline == Decimal("5703.60")
    assert rep.weighted_pipeline == Decimal("2851.80")
    # rep2: 60 % of 4,259 = 2,555.40, weighted 1,277.70
    assert (rep2.open_pipeline, rep2.weighted_pipeline) == (
        Decimal("2555.40"),
        Decimal("1277.70"),
    )


def test_any_metric_for_a_person_or_a_team(sales):
    target(sales.rep, "deals_won", "4")
    won = selectors.metric_summary(
        sales.manager, metric="deals_won", period=Q3, as_of=AUG17, person=sales.rep
    )
    # 2 of 4 won; expected 4 * 34/66 = 2.06; run rate 2 / 34 * 66 = 3.88
    assert (won.actual, won.target, won.attainment) == (2, Decimal("4.00"), 0.5)
    assert won.expected == Decimal("2.06")
    assert won.gap == Decimal("-0.06")
    assert won.projected == Decimal("3.88")
    assert won.required_weekly == Decimal("0.31")  # 2 over 6.4 weeks = 0.3125
    rate = selectors.metric_summary(
        sales.manager, metric="Win_Rate", period=Q3, as_of=AUG17, team=sales.north_field
    )
    # team: 3 won, 1 lost = 75 %; a rate is not paced and has no projection
    assert (rate.actual, rate.pace, rate.projected, rate.unit) == (75.0, 1.0, None, "percent")
    target(sales.north_field, "revenue", "12000")
    revenue = selectors.metric_summary(
        sales.executive, metric="revenue", period=Q3, as_of=AUG17, team=sales.north
    )
    assert (revenue.actual, revenue.target, revenue.attainment) == (
        Decimal("6000.00"),
        None,  # North has no target of its own, nor do its people
        None,
    )
    growth = selectors.metric_summary(
        sales.manager, metric="revenue_growth", period=Q3, as_of=AUG17, person=sales.rep
    )
    assert growth.actual is None  # nothing won in 2025-Q3 to grow from
    with pytest.raises(KeyError, match="Known metrics"):
        selectors.metric_summary(
            sales.manager, metric="mood", period=Q3, as_of=AUG17, person=sales.rep
        )
    with pytest.raises(Http404):
        selectors.metric_summary(
            sales.manager, metric="revenue", period=Q3, as_of=AUG17, team=sales.south_field
        )


def test_revenue_growth_against_the_same_stretch_of_last_year(sales):
    deals_upsert(
        [
            deal("LY1", sales.rep, amount="1500", closed_on=date(2025, 8, 1)),
            deal("LY2", sales.rep, amount="9999", closed_on=date(2025, 9, 1)),  # after 17 Aug
        ]
    )
    growth = selectors.metric_summary(
        sales.manager, metric="revenue_growth", period=Q3, as_of=AUG17, person=sales.rep
    )
    assert growth.actual == pytest.approx(100.0)  # 3,000 against 1,500 by 17 August 2025


def test_the_personal_scorecard_reads_a_bounded_number_of_queries(
    sales, django_assert_max_num_queries
):
    for _ in range(10):
        PersonFactory(team=sales.north_field)
    with django_assert_max_num_queries(47):  # time off: one read for the row, one the tiles
        selectors.person_scorecard(sales.manager, sales.rep, period=Q3, as_of=AUG17)


def test_a_deal_pushed_out_during_the_period_has_slipped(sales):
    with time_machine.travel(datetime(2026, 8, 10, 9, tzinfo=UTC)):
        deals_upsert(
            [
                deal(
                    "O1",
                    sales.rep,
                    stage_name="Proposal",
                    amount="4000",
                    expected_close_on=date(2026, 9, 28),
                )
            ]
        )
    assert row_of(sales.manager, sales.rep).slipped_deals == 1
    card = selectors.person_scorecard(sales.manager, sales.rep, period=Q3, as_of=AUG17)
    assert [(d["external_id"], d["reason"]) for d in card.slipped] == [
        ("O1", "expected close moved later")
    ]
    # as of 9 August, the day before it was pushed, it had not slipped
    assert row_of(sales.manager, sales.rep, as_of=date(2026, 8, 9)).slipped_deals == 0


def test_open_pipeline_as_of_a_past_day_is_the_pipeline_of_that_day(sales):
    # On 20 August O1 (4,000 in Proposal at 50 %) grows to 6,000 and moves to Negotiation,
    # and a deal created on 1 July in Engaging is won: as of 17 August both were open.
    with time_machine.travel(datetime(2026, 8, 20, 12, tzinfo=UTC)):
        deals_upsert([deal("E1", sales.rep, stage_name="Engaging", amount="800", **SEPT_30)])
        deals_upsert(
            [
                deal("O1", sales.rep, stage_name="Negotiation", amount="6000"),
                deal("E1", sales.rep, amount="800", closed_on=date(2026, 8, 20), **SEPT_30),
            ],
            today=date(2026, 8, 20),
        )
    engaging = Stage.objects.get(name="Engaging").probability
    then = row_of(sales.manager, sales.rep)  # as of 17 August
    assert then.open_pipeline == Decimal("4800.00")
    assert then.weighted_pipeline == Decimal("2000.00") + Decimal(8 * engaging).quantize(
        Decimal("0.01")
    )
    card = selectors.person_scorecard(sales.manager, sales.rep, period=Q3, as_of=AUG17)
    assert [(s["stage"], s["amount"]) for s in card.pipeline_by_stage] == [
        ("Engaging", Decimal("800.00")),
        ("Proposal", Decimal("4000.00")),
    ]
    summaries = selectors.exec_rollup(sales.executive, period=Q3, as_of=AUG17)
    pipelines = {s.team: s.open_pipeline for s in summaries}
    assert pipelines["North Field"] == pipelines["Acme"] == Decimal("4800.00")
    # The day after the change: O1 at its new amount and stage, E1 won.
    later = row_of(sales.manager, sales.rep, as_of=date(2026, 8, 21))
    negotiation = Stage.objects.get(name="Negotiation").probability
    assert later.open_pipeline == Decimal("6000.00")
    assert later.weighted_pipeline == Decimal(60 * negotiation).quantize(Decimal("0.01"))


def test_stage_conversion_as_of_a_day_leaves_out_later_moves(sales):
    with time_machine.travel(datetime(2026, 8, 20, 12, tzinfo=UTC)):
        deals_upsert([deal("O1", sales.rep, stage_name="Negotiation", amount="4000")])

    def went_on(as_of):
        card = selectors.person_scorecard(sales.manager, sales.rep, period=Q3, as_of=as_of)
        step = next(c for c in card.stage_conversion if c["from_stage"] == "Proposal")
        return step["advanced"], step["entered"]

    # W1, W2 (won) and O1 reached Proposal; by 17 August only the won deals went on.
    assert went_on(AUG17) == (2, 3)
    assert went_on(date(2026, 8, 21)) == (3, 3)


def test_split_deals_closed_in_the_span_are_found_for_anyone_or_some_people(sales):
    both = [(sales.rep, 50), (sales.rep2, 50)]
    deals_upsert(
        [
            {**deal("SW", sales.rep, amount="800"), "splits": both},  # won 14 Aug
            {**deal("SL", sales.rep, stage_name="Lost", amount="600"), "splits": both},
            {**deal("SOLD", sales.rep, closed_on=date(2026, 6, 30)), "splits": both},
            {**deal("SOPEN", sales.rep, stage_name="Proposal"), "splits": both},
        ]
    )
    ids = {d.external_id: d.pk for d in Deal.objects.filter(external_id__startswith="S")}
    expected = {
        ids["SW"]: (DealStatus.WON, {sales.rep.pk, sales.rep2.pk}),
        ids["SL"]: (DealStatus.LOST, {sales.rep.pk, sales.rep2.pk}),
    }
    start, end = date(2026, 7, 1), date(2026, 9, 30)
    for people in (None, [sales.rep.pk, sales.rep2.pk]):
        found = m.split_closes(people, start, end)
        assert {k: (status, set(who)) for k, (status, who) in found.items()} == expected
    # One person asked for: only they are listed among those each deal credits.
    found = m.split_closes([sales.rep2.pk], start, end)
    assert {k: who for k, (_, who) in found.items()} == {
        ids["SW"]: [sales.rep2.pk],
        ids["SL"]: [sales.rep2.pk],
    }
