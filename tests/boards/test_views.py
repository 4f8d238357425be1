"""The scorecard pages: the board, the personal scorecard, the roll-up, the leaderboard
and its TV mode, the admin's role scorecards; who sees what, the period picker, sorting,
CSV, bad input, and a query budget for the board.

The `sales` fixture (conftest): in 2026-Q3, as of Monday 17 August (week 7 of 13), Rita
(rep) won 3,000 against a 10,000 target set here, Rob (rep2) won 3,000, Olga (South)
9,000; see tests/scorecards/conftest.py.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.boards import tables
from accountable.checkins.services import action_add, checkin_schedule
from accountable.commitments.models import Commitment
from accountable.commitments.services import commitment_add
from accountable.crm.models import Feedback
from accountable.crm.upsert import deals_upsert
from accountable.org.models import Team
from accountable.scorecards.models import RoleScorecard
from accountable.signals.models import SignalSettings, WarningSign
from accountable.signals.services import signals_run, warning_acknowledge
from accountable.signals.summaries import BoardSignals, Flag, RightMark
from accountable.targets.models import Target
from tests.factories import PersonFactory
from tests.scorecards.conftest import Q3, deal

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 8, 17)


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(datetime(2026, 8, 17, 12, tzinfo=UTC), tick=False):
        yield


def target(owner, metric: str, value: str) -> Target:
    field = {"team": owner} if owner.__class__.__name__ == "Team" else {"person": owner}
    return Target.objects.create(
        **field,
        metric=metric,
        period=Q3.label,
        period_start=Q3.start,
        period_end=Q3.end,
        value=Decimal(value),
    )


@pytest.fixture
def targets(sales):
    target(sales.rep, "revenue", "10000")
    target(sales.rep2, "revenue", "4000")
    target(sales.north_field, "revenue", "14000")
    target(sales.rep, "calls", "20")
    return sales


def page(client, name: str, *args, **query) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def csv_rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# ---- the board ---------------------------------------------------------------------------


def test_the_board_as_a_manager_on_monday(client, targets):
    client.force_login(targets.manager)
    html = page(client, "scorecards:board")
    assert "North Field · 2026-Q3" in html
    assert "as of Mon 17 Aug, week 7 of 13" in html
    # the team line: 6,000 won of 14,000 (43%), 34 of 66 working days gone (52%)
    assert "$6,000" in html and "$14.0k" in html and "43%" in html and "52%" in html
    assert "open warnings" in html
    assert "Rita Rep" in html and "Rob Rep" in html and "Olga" not in html
    assert reverse("scorecards:person", args=[targets.rep.pk]) in html
    # nobody has a check-in scheduled: a dash that says so, not a made-up day
    assert html.count('<span class="faint" title="No check-in scheduled">—</span>') == 2
    # every chart is an accessible image; no inline styles (the CSP forbids them)
    assert 'role="img"' in html and 'aria-label="Rita Rep: 30% of target' in html
    assert 'style="' not in html


def test_the_board_shows_each_persons_next_1on1_and_keeps_it_fresh(client, targets):
    client.force_login(targets.manager)
    page(client, "scorecards:board")
    page(client, "scorecards:board")  # kept: the next request is served from the cache
    at = datetime(2026, 8, 20, 9, tzinfo=UTC)
    soon = checkin_schedule(actor=targets.manager, person=targets.rep, starts_at=at)
    checkin_schedule(actor=targets.manager, person=targets.rep, starts_at=at + timedelta(7))
    html = page(client, "scorecards:board")  # scheduling moved the fingerprint
    link = reverse("checkins:detail", args=[soon.pk])
    assert f'<td class="next-1on1" data-label="1:1"><a href="{link}"' in html
    assert ">Thu 20 Aug</a>" in html and "Thu 27 Aug" not in html
    assert html.count('title="No check-in scheduled"') == 1  # Rob has none
    # the next 1:1 is from today on, whatever day the numbers are shown as of
    assert ">Thu 20 Aug</a>" in page(client, "scorecards:board", as_of="2026-08-03")
    rows = csv_rows(client.get(reverse("scorecards:board"), {"format": "csv", "sort": "name"}))
    assert rows[0]["next_checkin"].startswith("2026-08-20T") and rows[1]["next_checkin"] == ""


def test_the_board_sorts_by_each_column(client, targets):
    client.force_login(targets.manager)
    html = page(client, "scorecards:board")  # attainment, best first: Rob 75%, Rita 30%
    assert html.index("Rob Rep") < html.index("Rita Rep")
    assert 'aria-sort="descending"' in html
    html = page(client, "scorecards:board", sort="attainment", dir="asc")
    assert html.index("Rita Rep") < html.index("Rob Rep")
    html = page(client, "scorecards:board", sort="name")
    assert html.index("Rita Rep") < html.index("Rob Rep")
    assert 'aria-sort="ascending"' in html
    for key in ("projected", "need", "coverage", "activity", "nonsense"):
        assert "Rita Rep" in page(client, "scorecards:board", sort=key)


def test_a_rep_without_a_target_reads_no_target_not_zero(client, targets):
    Target.objects.filter(person=targets.rep2).delete()
    client.force_login(targets.manager)
    html = page(client, "scorecards:board", sort="attainment")
    assert 'aria-label="Rob Rep: no target for this period"' in html
    body = html.split("<tbody>")[1]
    assert body.index("Rita Rep") < body.index("Rob Rep")  # no figure goes last


def test_the_board_offers_only_teams_in_reach(client, targets):
    client.force_login(targets.manager)
    html = page(client, "scorecards:board", team=targets.south_field.pk)
    assert "North Field · 2026-Q3" in html and "Olga" not in html  # back to their own
    assert f'value="{targets.south_field.pk}"' not in html
    client.force_login(targets.executive)
    html = page(client, "scorecards:board", team=targets.south_field.pk)
    assert "South Field · 2026-Q3" in html and "Olga Other" in html and "Rita" not in html


def test_a_region_manager_picks_a_team(client, targets):
    client.force_login(targets.north_boss)
    html = page(client, "scorecards:board", team=targets.north.pk)
    assert "North · 2026-Q3" in html and "Rita Rep" in html and "Ian Inside" in html
    assert f'value="{targets.north_inside.pk}"' in html


def test_a_manager_without_a_team_gets_a_plain_page(client, targets):
    client.force_login(PersonFactory(role="manager", team=None))
    assert "manage a team yet" in page(client, "scorecards:board")


def test_the_board_as_csv(client, targets):
    client.force_login(targets.manager)
    response = client.get(reverse("scorecards:board"), {"format": "csv", "sort": "name"})
    rows = csv_rows(response)
    assert [r["name"] for r in rows] == ["Rita Rep", "Rob Rep"]
    rita = rows[0]
    assert rita["team"] == "North Field" and rita["period"] == "2026-Q3"
    assert rita["as_of"] == "2026-08-17"
    assert Decimal(rita["won_amount"]) == Decimal("3000.00")
    assert float(rita["attainment"]) == pytest.approx(0.3, abs=1e-4)
    assert "required_weekly" in rita and "activity_score" in rita
    assert "north-field" in response["Content-Disposition"]
    team = client.get(reverse("scorecards:board"), {"format": "csv", "table": "team"})
    (line,) = csv_rows(team)
    assert line["team"] == "North Field" and Decimal(line["won_amount"]) == Decimal("6000.00")
    team = client.get(reverse("scorecards:board"), {"format": "csv", "table": "team"})
    (line,) = csv_rows(team)
    assert line["team"] == "North Field" and Decimal(line["won_amount"]) == Decimal("6000.00")


def complain(person, *days_ago: int) -> None:
    """Customer complaints about `person`, received `days_ago` before 17 Aug 2026."""
    for days in days_ago:
        Feedback.objects.create(
            person=person, kind=Feedback.Kind.COMPLAINT, received_on=AS_OF - timedelta(days)
        )


@pytest.fixture
def judged(targets):
    """The warning engine's run of 17 Aug: four complaints about Rita (a high-severity
    warning), two about Olga in the South (a medium one nobody in North may see)."""
    complain(targets.rep, 3, 30, 40, 50)
    complain(targets.other_rep, 3, 30)
    # An organisation of one segment (the deal-size band off): this small North team is
    # benchmarked against everyone, the South's larger deals included, as the board's
    # figures below were worked out.
    SignalSettings.objects.update_or_create(
        pk=1, defaults={"thresholds": {"peer_deal_size_band": 0}}
    )
    signals_run(as_of=AS_OF)
    return targets


def test_the_board_shows_rights_flags_and_open_warnings_of_the_managers_people(client, judged):
    rita = WarningSign.objects.get(person=judged.rep, kind="complaints")
    olga = WarningSign.objects.get(person=judged.other_rep, kind="complaints")
    client.force_login(judged.manager)
    html = page(client, "scorecards:board")
    watchlist = reverse("signals:watchlist") + f"?status=open&amp;team={judged.north_field.pk}"
    # Rita: the complaints (not Olga's). Rita's and Rob's pipelines are thin, but nobody
    # opened anything in the last four weeks: not refilling less than one's peers is no
    # "pipeline low against quota" warning.
    assert f'href="{watchlist}"' in html and "<strong>1</strong> open warning<" in html
    assert reverse("signals:warning", args=[rita.pk]) in html
    assert reverse("signals:warning", args=[olga.pk]) not in html
    assert html.count('class="sig-rights"') == 2  # Rita and Rob, each with three marks
    assert "Right way: fail" in html  # Rita's complaints
    assert "High severity: </span>complaints" in html
    assert "why: conversion" in html  # Rita's diagnosis: meetings, but too few wins
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert all('data-label="Rights"' in r and 'data-label="Flags"' in r for r in rows)

    warning_acknowledge(actor=judged.manager, warning=rita, note="Call the customers with her.")
    html = page(client, "scorecards:board")
    assert "<strong>0</strong> open warnings<" in html  # acknowledged: still shown, ticked
    assert "(acknowledged)" in html


def test_the_board_without_a_run_shows_dashes_not_zeroes(client, targets):
    client.force_login(targets.manager)
    html = page(client, "scorecards:board")
    assert "open warnings <strong>—</strong>" in html
    assert "Three rights not judged yet" in html and 'class="sig-rights"' not in html


def test_the_executive_sees_the_south_on_the_south_board_only(client, judged):
    olga = WarningSign.objects.get(person=judged.other_rep, kind="complaints")
    client.force_login(judged.executive)
    south = page(client, "scorecards:board", team=judged.south_field.pk)
    assert reverse("signals:warning", args=[olga.pk]) in south
    olgas = WarningSign.objects.filter(person=judged.other_rep, status="open").count()
    assert f"<strong>{olgas}</strong> open warning" in south
    north = page(client, "scorecards:board", team=judged.north_field.pk)
    assert reverse("signals:warning", args=[olga.pk]) not in north


def test_the_board_reads_a_fixed_number_of_queries(client, targets, django_assert_max_num_queries):
    complain(targets.rep, 3, 30)
    signals_run(as_of=AS_OF)
    client.force_login(targets.manager)
    client.get(reverse("scorecards:board"))  # warm: sessions, organisation

    def count() -> int:

        cache.clear()  # the board's answers are cached: count what computing them takes
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("scorecards:board")).status_code == 200
        return len(queries)

    few = count()
    for n in range(12):
        rep = PersonFactory(name=f"Extra {n}", team=targets.north_field)
        target(rep, "revenue", "5000")
        deals_upsert([deal(f"E{n}", rep, amount="700")])
        complain(rep, 3, 30)
    signals_run(as_of=AS_OF)  # twelve more reps, each with a warning, rights and a cause
    assert count() == few, "the board's queries must not grow with its people"
    cache.clear()
    # 42 with nothing cached, signals and the paces of split targets included: a
    # baseline, not a goal
    with django_assert_max_num_queries(45):  # 44, and the people's time off
        client.get(reverse("scorecards:board"))


# ---- the period picker -------------------------------------------------------------------


def test_the_period_picker_offers_each_grain_to_date_and_the_last_complete(client, targets):
    client.force_login(targets.manager)
    html = page(client, "scorecards:board")
    for words in (
        "Week to date · 2026-W34",
        "Month to date · 2026-08",
        "Quarter to date · 2026-Q3",
        "Year to date · 2026",
        "Last quarter · 2026-Q2",
        "Last month · 2026-07",
    ):
        assert words in html
    assert '<option value="2026-Q3" selected>' in html


def test_a_past_period_reads_complete_and_a_chosen_day_is_kept(client, targets):
    client.force_login(targets.manager)
    html = page(client, "scorecards:board", period="2026-Q2")
    assert "North Field · 2026-Q2" in html and "complete" in html
    html = page(client, "scorecards:board", period="2026-08", as_of="2026-08-07")
    assert "2026-08" in html and "as of Fri 7 Aug, week 1 of 4" in html
    assert 'value="2026-08-07"' in html
    # the tabs keep the period
    assert f"{reverse('scorecards:rollup')}?period=2026-08&amp;as_of=2026-08-07" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "2026-Q5"}, "quarters run Q1 to Q4"),
        ({"period": "soon"}, "Not a period"),
        ({"as_of": "17/08/2026"}, "Not a date"),
    ],
)
def test_a_bad_period_says_why_and_shows_this_quarter(client, targets, query, message):
    client.force_login(targets.manager)
    html = page(client, "scorecards:board", **query)
    assert "Showing 2026-Q3 instead" in html and message in html
    assert "North Field · 2026-Q3" in html


# ---- the personal scorecard --------------------------------------------------------------


def test_a_rep_reads_their_own_scorecard(client, targets):
    client.force_login(targets.rep)
    html = page(client, "scorecards:mine")
    assert "Rita Rep · 2026-Q3" in html and "North Field" in html
    assert "$3,000" in html and "of $10.0k" in html
    # the goal tiles of the rep scorecard, each with a 13-week sparkline and the team
    for label in ("Revenue (won amount)", "Calls", "Meetings booked", "Prospecting activities"):
        assert label in html
    assert html.count('class="chart spark') == 4
    assert "team median" in html
    assert 'class="chart funnel"' in html and "Touches" in html
    assert "Proposal" in html  # O1, open
    assert "Person" not in html.split("sc-head")[1].split("</form>")[0]  # no person picker


def test_the_scorecard_shows_what_is_open_and_the_next_1on1(client, targets):
    rep = targets.rep
    commitment_add(actor=rep, person=rep, text="Send the Globex proposal", due_on=date(2026, 8, 21))
    Commitment.objects.create(person=rep, text="Met long ago", due_on="2026-07-03", state="met")
    meeting = checkin_schedule(
        actor=targets.manager, person=rep, starts_at=datetime(2026, 8, 20, 9, tzinfo=UTC)
    )
    action_add(
        actor=targets.manager, checkin=meeting, owner=targets.manager, text="Ask legal",
        due_on=date(2026, 8, 25),
    )  # fmt: skip
    for viewer in (targets.manager, rep):
        client.force_login(viewer)
        html = page(client, "scorecards:person", rep.pk)
        follow_up = html[html.index('class="sig-panels sc-follow-up"') :]
        assert "Send the Globex proposal" in follow_up and "Met long ago" not in follow_up
        assert "Ask legal" in follow_up and "Done: Ask legal" not in follow_up  # read only
        assert reverse("checkins:detail", args=[meeting.pk]) in follow_up
        assert f"with {targets.manager.name}" in follow_up
    client.force_login(targets.rep2)
    assert "Next 1:1" in page(client, "scorecards:mine")  # their own: none scheduled
    assert "None scheduled." in page(client, "scorecards:mine")


def test_a_rep_cannot_open_another_reps_scorecard(client, targets):
    client.force_login(targets.rep)
    for other in (targets.rep2, targets.other_rep):
        assert client.get(reverse("scorecards:person", args=[other.pk])).status_code == 404
    assert client.get(reverse("scorecards:person", args=[targets.rep.pk])).status_code == 200


def test_a_manager_opens_their_reps_and_switches_person(client, targets):
    client.force_login(targets.manager)
    html = page(client, "scorecards:person", targets.rep2.pk)
    assert "Rob Rep · 2026-Q3" in html and 'id="f-person"' in html
    assert client.get(reverse("scorecards:person", args=[targets.other_rep.pk])).status_code == 404
    response = client.get(
        reverse("scorecards:mine"), {"person": targets.rep.pk, "period": "2026-Q3"}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("scorecards:person", args=[targets.rep.pk]) + "?period=2026-Q3"
    )


def test_the_scorecard_puts_the_diagnosis_rights_and_warnings_first(client, judged):
    rita = WarningSign.objects.get(person=judged.rep, kind="complaints")
    client.force_login(judged.manager)
    html = page(client, "scorecards:person", judged.rep.pk)
    panels = html.index('class="sig-panels"')
    assert html.index('class="card sc-headline') < panels < html.index('class="sc-tiles"')
    assert "Most likely cause:</span> <strong>Selling skill" in html
    assert "Coaching opportunity" in html and "Next step:" in html
    assert "Right way" in html and "4 customer complaints in the last 91 days" in html
    acknowledge = reverse("signals:warning", args=[rita.pk]) + "#acknowledge"
    assert f'href="{acknowledge}"' in html
    assert "Judged on the numbers to 17 Aug 2026" in html


def test_a_rep_reads_their_own_signals_but_cannot_acknowledge(client, judged):
    client.force_login(judged.rep)
    html = page(client, "scorecards:mine")
    assert "4 customer complaints in the last 91 days" in html
    assert "#acknowledge" not in html
    assert "Olga" not in html


def test_the_scorecard_shows_nothing_of_others_warnings(client, judged):
    client.force_login(judged.manager)
    html = page(client, "scorecards:person", judged.rep2.pk)
    rita_and_olga = WarningSign.objects.filter(kind="complaints")
    assert rita_and_olga.count() == 2
    for warning in rita_and_olga:
        assert reverse("signals:warning", args=[warning.pk]) not in html
    assert "customer complaints in the last 91 days" not in html
    assert "No open warnings" in html  # Rob has none of his own
    client.force_login(judged.other_manager)
    assert client.get(reverse("scorecards:person", args=[judged.rep.pk])).status_code == 404


@pytest.mark.parametrize(
    "table",
    ["row", "tiles", "funnel", "stages", "categories", "conversion", "slipped", "stale", "missing"],
)
def test_each_scorecard_table_downloads(client, targets, table):
    client.force_login(targets.rep)
    response = client.get(reverse("scorecards:mine"), {"format": "csv", "table": table})
    rows = csv_rows(response)
    assert all(r["person"] == "rep@acme.test" and r["period"] == "2026-Q3" for r in rows)
    if table == "tiles":
        assert rows[0]["metric"] == "revenue"
    if table == "funnel":
        assert [r["step"] for r in rows] == ["touches", "meetings", "opportunities", "wins"]


# ---- the roll-up -------------------------------------------------------------------------


def test_the_executive_compares_every_team(client, targets):
    client.force_login(targets.executive)
    html = page(client, "scorecards:rollup")
    for team in ("Acme", "North Field", "North Inside", "South Field"):
        assert team in html
    assert 'class="chart bars"' in html and "Revenue attainment by team" in html
    rows = csv_rows(client.get(reverse("scorecards:rollup"), {"format": "csv"}))
    north_field = next(r for r in rows if r["team"] == "North Field")
    assert Decimal(north_field["won_amount"]) == Decimal("6000.00")
    assert float(north_field["attainment"]) == pytest.approx(6000 / 14000, abs=1e-4)


def test_a_manager_compares_only_their_teams(client, targets):
    client.force_login(targets.manager)
    html = page(client, "scorecards:rollup")
    assert "North Field" in html and "South Field" not in html and "Acme" not in html


def test_the_roll_up_sorts(client, targets):
    client.force_login(targets.executive)
    for direction in ("desc", "asc"):
        html = page(client, "scorecards:rollup", sort="attainment", dir=direction)
        body = html.split("<tbody>")[1]
        # South Field has no target, so no attainment: last whichever way
        assert body.index("North Field") < body.index("South Field")
    html = page(client, "scorecards:rollup", sort="team", dir="desc")
    body = html.split("<tbody>")[1]
    assert body.index("South Field") < body.index("North Field") < body.index("Acme")


# ---- the leaderboard and TV mode ---------------------------------------------------------


def test_a_rep_sees_the_team_leaderboard_only(client, targets):
    client.force_login(targets.rep)
    html = page(client, "scorecards:leaderboard")
    assert "Rita Rep" in html and "Rob Rep" in html and "Olga" not in html
    assert 'class="me"' in html
    html = page(client, "scorecards:leaderboard", metric="calls")
    assert "Leaderboard · Calls" in html
    body = html.split("<tbody>")[1]
    assert body.index("Rita Rep") < body.index("Rob Rep")  # 5 calls against none


def test_an_unknown_measure_falls_back_to_revenue(client, targets):
    client.force_login(targets.rep)
    html = page(client, "scorecards:leaderboard", metric="golf_handicap")
    assert "Leaderboard · Revenue won" in html and "not something the board ranks by" in html


def test_the_leaderboard_as_csv(client, targets):
    client.force_login(targets.manager)
    response = client.get(reverse("scorecards:leaderboard"), {"format": "csv", "metric": "calls"})
    rows = csv_rows(response)
    assert rows[0]["name"] == "Rita Rep" and rows[0]["metric"] == "calls"
    assert rows[0]["rank"] == "1" and "calls" in rows[0]


def test_a_reps_leaderboard_csv_holds_ranks_not_teammates_scorecards(client, targets):
    client.force_login(targets.rep)
    response = client.get(reverse("scorecards:leaderboard"), {"format": "csv"})
    rows = csv_rows(response)
    assert {"Rita Rep", "Rob Rep"} <= {row["name"] for row in rows}
    for hidden in ("target", "open_pipeline", "coverage", "outcome_score", "calls"):
        assert hidden not in rows[0]


def test_a_rep_cannot_work_out_a_teammates_quota_from_the_leaderboard(client, targets):
    """Revenue ÷ attainment is the quota: a rep sees teammates' revenue, so never their
    attainment — not as a bar, not as a ranking, not in the CSV."""
    client.force_login(targets.rep)
    html = page(client, "scorecards:leaderboard", metric="revenue")
    body = html.split("<tbody>")[1]
    teammate = body[body.index("Rob Rep") :].split("</tr>")[0]
    assert "not shared" in teammate and "Revenue attainment" not in teammate
    own = body[body.index("Rita Rep") :].split("</tr>")[0]
    assert "not shared" not in own
    assert 'value="attainment"' not in html
    html = page(client, "scorecards:leaderboard", metric="attainment")
    assert "Leaderboard · Revenue won" in html and "not something the board ranks by" in html
    response = client.get(
        reverse("scorecards:leaderboard"), {"format": "csv", "metric": "attainment"}
    )
    assert all("attainment" not in row for row in csv_rows(response))
    client.force_login(targets.manager)
    assert 'value="attainment"' in page(client, "scorecards:leaderboard")


def test_tv_mode_has_no_menu_and_refreshes_itself(client, targets):
    client.force_login(targets.manager)
    html = page(client, "scorecards:leaderboard_tv", metric="revenue")
    assert 'class="tv"' in html and "site-header" not in html
    assert 'hx-trigger="every 60s"' in html and 'hx-select="#tv-board"' in html
    assert '<noscript><meta http-equiv="refresh" content="60"></noscript>' in html
    assert "vendor/htmx/htmx.min.js" in html
    assert "Rob Rep" in html and "Rita Rep" in html


# ---- role scorecards ---------------------------------------------------------------------


def post_card(client, role="rep", **fields):
    return client.post(reverse("scorecards:settings"), {"role": role, **fields})


def test_the_admin_sets_a_role_scorecard(client, targets):
    client.force_login(targets.admin)
    html = page(client, "scorecards:settings")
    assert "the default" in html and 'name="use:revenue" value="1" checked' in html
    response = post_card(
        client,
        **{
            "use:revenue": "1",
            "kind:revenue": "outcome",
            "weight:revenue": "70",
            "use:meetings": "1",
            "kind:meetings": "activity",
            "weight:meetings": "30",
        },
    )
    assert response.status_code == 302
    saved = set(RoleScorecard.objects.filter(role="rep").values_list("metric", "kind", "weight"))
    assert saved == {("revenue", "outcome", 70), ("meetings", "activity", 30)}
    assert AuditEntry.objects.filter(action="scorecards.role_scorecard").exists()
    html = page(client, "scorecards:settings")
    assert "The rep scorecard is saved." in html and "set by an admin" in html
    response = post_card(client, reset="1")
    assert response.status_code == 302 and not RoleScorecard.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"use:calls": "1", "kind:calls": "activity", "weight:calls": "-3"}, "from 1 to"),
        ({"use:calls": "1", "kind:calls": "activity", "weight:calls": "lots"}, "whole number"),
        ({"use:calls": "1", "kind:calls": "activity", "weight:calls": ""}, "whole number"),
        ({"use:calls": "1", "kind:calls": "sometimes", "weight:calls": "2"}, "activity or an"),
        ({"use:golf": "1", "kind:golf": "activity", "weight:golf": "2"}, "is not a metric"),
        ({}, "tick at least one metric"),
    ],
)
def test_bad_weights_change_nothing(client, targets, fields, message):
    RoleScorecard.objects.create(role="rep", metric="revenue", kind="outcome", weight=5)
    client.force_login(targets.admin)
    response = post_card(client, **fields)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in html and message in html.replace("&quot;", '"')
    assert list(RoleScorecard.objects.values_list("metric", "weight")) == [("revenue", 5)]
    # what was typed is still there to correct
    for key, value in fields.items():
        if key.startswith("weight:") and value and key != "weight:golf":
            assert f'value="{value}"' in html


def test_only_roles_with_a_scorecard_are_offered(client, targets):
    client.force_login(targets.admin)
    html = page(client, "scorecards:settings", role="admin")
    assert "Rep scorecard" in html  # an unknown or unscored role falls back to reps
    html = page(client, "scorecards:settings", role="manager")
    assert "Manager scorecard" in html


def test_a_manager_on_their_own_scorecard_keeps_themself_in_the_picker(client, targets):
    client.force_login(targets.manager)
    html = page(client, "scorecards:mine")
    assert "Max Manager · 2026-Q3" in html
    assert f'<option value="{targets.manager.pk}" selected>Max Manager</option>' in html


def test_the_board_sorts_by_rights_and_flags_worst_first(client, judged):
    client.force_login(judged.manager)
    # Rita: a high-severity complaints warning, and right way fails; Rob: no warning.
    # Worst first on the first click (descending); no warnings last either way.
    html = page(client, "scorecards:board", sort="flags")
    body = html.split("<tbody>")[1]
    assert body.index("Rita Rep") < body.index("Rob Rep")
    assert 'aria-sort="descending"' in html and "sort=flags&amp;dir=asc" in html
    body = page(client, "scorecards:board", sort="flags", dir="asc").split("<tbody>")[1]
    assert body.index("Rita Rep") < body.index("Rob Rep")
    body = page(client, "scorecards:board", sort="rights").split("<tbody>")[1]
    assert body.index("Rita Rep") < body.index("Rob Rep")
    body = page(client, "scorecards:board", sort="rights", dir="asc").split("<tbody>")[1]
    assert body.index("Rob Rep") < body.index("Rita Rep")
    # The headers are sort links like the others, and say how they sort.
    for key in ("rights", "flags"):
        assert f"sort={key}&amp;dir=desc" in page(client, "scorecards:board")
    assert "Sorted: most fails first, then warns" in html


def test_rights_and_flags_order_worst_first_and_the_unjudged_last():
    def rights(*statuses):
        return tuple(
            RightMark(n, n, s) for n, s in zip(("thing", "way", "time"), statuses, strict=True)
        )

    def flags(*severities):
        return tuple(Flag(i, "complaints", s, "open", "2026-Q3") for i, s in enumerate(severities))

    found = {
        1: BoardSignals(1, rights=rights("pass", "pass", "pass")),
        2: BoardSignals(2, rights=rights("warn", "warn", "pass"), flags=flags("high")),
        3: BoardSignals(3, rights=rights("fail", "pass", "pass"), flags=flags("medium", "low")),
        4: BoardSignals(4),  # not judged
        5: BoardSignals(5, rights=rights("unknown", "unknown", "unknown"), flags=flags("medium")),
    }
    rows = [SimpleNamespace(person_id=pk, name=str(pk)) for pk in (4, 1, 2, 3, 5)]
    columns = {c.key: c for c in tables.board_columns(found)}

    def order(key, descending):
        return [r.person_id for r in tables.sort_rows(rows, columns[key], descending)]

    # Rights: a fail before two warns, warns before not enough data, then passes.
    assert order("rights", True) == [3, 2, 5, 1, 4]
    assert order("rights", False) == [1, 5, 2, 3, 4]
    # Flags: the most severe first, then the most warnings; no warning last.
    assert order("flags", True) == [2, 3, 5, 4, 1]
    assert order("flags", False) == [5, 3, 2, 4, 1]


def test_the_board_csv_has_rights_warnings_cause_and_effort(client, judged):
    client.force_login(judged.manager)
    response = client.get(reverse("scorecards:board"), {"format": "csv", "sort": "flags"})
    rows = csv_rows(response)
    assert [r["name"] for r in rows] == ["Rita Rep", "Rob Rep"]  # the page's sort
    rita, rob = rows
    columns = ("rights_thing", "rights_way", "rights_time", "warnings", "cause", "effort")
    assert all(c in rita for c in columns)
    assert rita["rights_way"] == "fail"  # the complaints
    assert rita["warnings"].split(";")[0] == "complaints"  # most severe first
    assert set(rita["warnings"].split(";")) == {
        w.kind for w in WarningSign.objects.filter(person=judged.rep, status="open")
    }
    assert rita["cause"] == "conversion" and rita["effort"] in ("low", "normal")
    for row in rows:
        for right in ("rights_thing", "rights_way", "rights_time"):
            assert row[right] in ("pass", "warn", "fail", "unknown")
    assert rob["warnings"] == ";".join(
        sorted(w.kind for w in WarningSign.objects.filter(person=judged.rep2, status="open"))
    )


def test_the_board_csv_before_any_run_leaves_the_signals_empty(client, targets):
    client.force_login(targets.manager)
    rows = csv_rows(client.get(reverse("scorecards:board"), {"format": "csv"}))
    assert {(r["rights_thing"], r["warnings"], r["cause"], r["effort"]) for r in rows} == {
        ("", "", "", "")
    }


def test_a_new_rep_on_the_board_reads_not_enough_data(client, judged):
    rookie = PersonFactory(name="Nina New", team=judged.north_field, start_date=AS_OF)
    target(rookie, "revenue", "1000")
    signals_run(as_of=AS_OF)
    client.force_login(judged.manager)
    html = page(client, "scorecards:board", sort="name")
    row = next(r for r in html.split("<tr>") if "Nina New" in r)
    assert row.count('class="sig-right sig-unknown"') == 3 and "●" not in row
    assert "Right thing: not enough data" in row
    assert "why:" not in row
    line = next(
        r
        for r in csv_rows(client.get(reverse("scorecards:board"), {"format": "csv"}))
        if r["name"] == "Nina New"
    )
    assert (line["rights_thing"], line["cause"], line["effort"]) == ("unknown",) * 3


def test_the_roll_up_rows_link_each_team_board_and_escape_its_name(client, targets):
    team = Team.objects.get(name="North Field")
    team.name = 'North <b>"Field"</b>'
    team.save(update_fields=["name"])
    client.force_login(targets.executive)
    html = page(client, "scorecards:rollup", period="2026-Q3", as_of="2026-08-07")
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "<b>" not in body and "North &lt;b&gt;&quot;Field&quot;&lt;/b&gt;" in body
    link = f"{reverse('scorecards:board')}?team={team.pk}&amp;period=2026-Q3&amp;as_of=2026-08-07"
    assert f'href="{link}"' in body
    # In tree order each team is indented below the one above it.
    assert 'class="who depth-0"' in body and 'class="who depth-1"' in body


def test_the_roll_up_computed_afresh_reads_the_fingerprint_once(client, targets):
    client.force_login(targets.executive)
    client.get(reverse("scorecards:rollup"))  # warm: sessions, organisation, the CSRF cookie
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("scorecards:rollup")).status_code == 200
    reads = [q for q in queries if "MAX(id) FROM scorecards_activityrollup" in q["sql"]]
    assert len(reads) == 1  # the page's and its numbers' keys share it
    # Kept, the page asks for the fingerprint and nothing it computes.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("scorecards:rollup")).status_code == 200
    assert not any("scorecards_outcomerollup r" in q["sql"] for q in queries)
