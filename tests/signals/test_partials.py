"""The partials the board and the scorecard include: legible without colour, escaped."""

from __future__ import annotations

from datetime import date

from django.template import Context, Template
from django.template.loader import render_to_string

from accountable.signals.summaries import (
    BoardSignals,
    DiagnosisSummary,
    Flag,
    RightMark,
    ScorecardSignals,
    evidence_rows,
    undecided_rows,
)

EVIL = '<script>alert("x")</script>'
RIGHTS = (
    RightMark("thing", "Right thing", "pass", "57% of touches are prospecting."),
    RightMark("way", "Right way", "warn", f"Phone share low {EVIL}", (("Phone share", "0.2"),)),
    RightMark("time", "Right time", "fail", "Open pipeline covers 0.4 times a quarter's target."),
)


def board(**changes) -> BoardSignals:
    values = dict(
        person_id=7,
        flags=(
            Flag(11, "low_activity", "high", "open", "2026-Q3"),
            Flag(12, "complaints", "medium", "acknowledged", "2026-Q3"),
            Flag(13, "channel_mix", "low", "open", "2026-Q3"),
        ),
        rights=RIGHTS,
        cause="prospecting",
        effort="low",
        judged_on=date(2026, 8, 17),
    )
    return BoardSignals(**{**values, **changes})


def test_board_rights_are_three_shapes_with_words():
    html = render_to_string("signals/_board_rights.html", {"signals": board()})
    assert html.count('aria-hidden="true"') == 3
    assert "●" in html and "◐" in html and "○" in html
    assert "Right thing: pass; Right way: warn; Right time: fail" in html  # screen readers
    assert 'title="Right way: warn: Phone share low &lt;script&gt;' in html
    assert EVIL not in html
    assert "judged 17 Aug" in html


def test_board_rights_without_a_judgement_say_so():
    for signals in (None, board(rights=(), judged_on=None)):
        html = render_to_string("signals/_board_rights.html", {"signals": signals})
        assert "—" in html and "not judged yet" in html


def test_board_flags_link_each_warning_with_its_severity_in_words_and_shape():
    html = render_to_string("signals/_board_flags.html", {"signals": board()})
    links = [html.index(f"/watchlist/{pk}/") for pk in (11, 12, 13)]
    assert links == sorted(links)
    assert "▲" in html and "△" in html and "▿" in html
    for words in ("High severity: ", "Medium severity: ", "Low severity: "):
        assert words in html
    assert "(acknowledged)" in html and "✓" in html
    assert "activity" in html and "complaints" in html and "channels" in html
    assert "why: prospecting, low effort" in html


def test_board_flags_can_leave_the_cause_out_and_show_a_dash_when_empty():
    template = Template(
        '{% include "signals/_board_flags.html" with signals=signals show_cause=False %}'
    )
    html = template.render(Context({"signals": board(flags=())}))
    assert "why:" not in html and "No open warnings" in html
    assert "No open warnings" in render_to_string("signals/_board_flags.html", {"signals": None})


def test_the_lookup_filter_finds_a_person_by_id():
    template = Template(
        "{% load signals_tags %}"
        '{% include "signals/_board_flags.html" with signals=found|signals_for:pk %}'
    )
    assert "/watchlist/11/" in template.render(Context({"found": {7: board()}, "pk": "7"}))
    assert "No open warnings" in template.render(Context({"found": {7: board()}, "pk": 8}))


def card(**changes) -> ScorecardSignals:
    values = dict(
        person_id=7,
        name="Gus <b>Berg</b>",
        flags=(
            Flag(
                11,
                "low_activity",
                "high",
                "open",
                "2026-Q3",
                message=f"31 touches a week against a team median of 54 {EVIL}",
                evidence=(("Touches per week", "31"), ("Team median", "54")),
                first_seen_on=date(2026, 8, 3),
            ),
            Flag(12, "complaints", "medium", "acknowledged", "2026-Q3", message="2 complaints"),
        ),
        diagnosis=DiagnosisSummary(
            "prospecting",
            "low",
            "Too few meetings: 1.5 first meetings a week against a team median of 4.2.",
            "Accountability conversation: agree a weekly number of touches.",
            (("Touches per week", "31"),),
        ),
        rights=RIGHTS,
        period="2026-Q3",
        judged_on=date(2026, 8, 17),
        can_handle=True,
    )
    return ScorecardSignals(**{**values, **changes})


def test_scorecard_panels_say_the_diagnosis_with_numbers_and_next_step():
    html = render_to_string("signals/_scorecard_panels.html", {"signals": card()})
    assert "Accountability conversation: lack of effort" in html
    assert "Prospecting: too few meetings" in html
    assert "1.5 first meetings a week against a team median of 4.2" in html
    assert "Next step:" in html and "agree a weekly number of touches" in html
    assert "Judged on the numbers to 17 Aug 2026, 2026-Q3." in html


def test_normal_effort_with_a_cause_is_a_coaching_opportunity():
    diagnosis = DiagnosisSummary("conversion", "normal", "Enough meetings but…", "Review.")
    html = render_to_string(
        "signals/_scorecard_panels.html", {"signals": card(diagnosis=diagnosis)}
    )
    assert "Coaching opportunity: effort is normal, results are weak" in html
    calm = DiagnosisSummary("none", "normal", "No funnel problem found.", "Keep it up.")
    html = render_to_string("signals/_scorecard_panels.html", {"signals": card(diagnosis=calm)})
    assert "On track" in html


def test_scorecard_panels_show_rights_and_warnings_with_evidence_escaped():
    html = render_to_string("signals/_scorecard_panels.html", {"signals": card()})
    assert EVIL not in html and "&lt;script&gt;" in html
    assert "Gus <b>Berg</b>" not in html
    assert 'Right way</strong> <span class="sig-status">warn' in html
    assert '<th scope="row">Phone share</th>' in html
    assert '<th scope="row">Touches per week</th>' in html
    assert html.count("#acknowledge") == 1  # the open one only
    assert "/watchlist/11/#acknowledge" in html
    assert "since 3 Aug" in html and "acknowledged" in html


def test_a_short_evidence_value_keeps_its_words_on_one_line():
    # The panel's column is narrow: "about 1 time in 50" broke after "about".
    quarters = "2026-Q1 73.6%; 2026-Q2 50%; 2026-Q3 55.5%; 2026-Q4 67.5%"
    flag = Flag(
        11,
        "quota_miss_streak",
        "high",
        "open",
        "2026-Q3",
        evidence=(("By chance alone", "about 1 time in 50"), ("Quarters", quarters)),
    )
    html = render_to_string("signals/_scorecard_panels.html", {"signals": card(flags=(flag,))})
    assert '<td class="num nowrap">about 1 time in 50</td>' in html
    assert f'<td class="num">{quarters}</td>' in html  # a list of quarters may wrap
    assert '<td class="num nowrap">31</td>' in html  # the diagnosis's numbers too


def test_scorecard_panels_without_acknowledge_rights_or_a_judgement():
    html = render_to_string(
        "signals/_scorecard_panels.html",
        {"signals": card(can_handle=False, diagnosis=None, rights=(), flags=(), judged_on=None)},
    )
    assert "#acknowledge" not in html
    assert html.count("Not judged yet") == 2
    assert "No open warnings" in html


def test_scorecard_panels_list_what_could_not_be_judged_and_why():
    undecided = undecided_rows(
        [
            {"kind": "deal_size_decline", "reason": "2 deals won in the last 26 weeks"},
            {"kind": "not_a_kind", "reason": "ignored"},
        ]
    )
    assert undecided == (("Deals shrinking", "2 deals won in the last 26 weeks"),)
    html = render_to_string(
        "signals/_scorecard_panels.html", {"signals": card(undecided=undecided)}
    )
    assert "Not enough data to judge" in html
    assert "<strong>Deals shrinking</strong>: 2 deals won in the last 26 weeks." in html
    assert "Not enough data to judge" not in render_to_string(
        "signals/_scorecard_panels.html", {"signals": card()}
    )
    # The chance of a change by luck alone is said in words.
    rows = dict(evidence_rows({"chance": 0.02, "confidence": 0.98}))
    assert rows == {"By chance alone": "about 1 time in 50", "Confidence asked for": "98%"}


def test_a_warnings_threshold_is_said_in_the_unit_of_its_setting():
    def threshold(kind: str, value: object) -> str:
        return dict(evidence_rows({"threshold": value}, kind))["Threshold"]

    assert threshold("activity_drop", 0.8) == "80%"  # a share of the usual week
    assert threshold("win_rate_decline", 0.675) == "67.5%"
    assert threshold("cycle_lengthening", 1.25) == "1.25\u00d7"  # a multiple
    assert threshold("low_coverage", 1.2) == "1.2\u00d7"  # pipeline against a quarter's target
    assert threshold("complaints", 2) == "2"  # a count
    # Without the kind, or for a kind without a threshold setting, the number as it is.
    assert dict(evidence_rows({"threshold": 0.8}))["Threshold"] == "0.8"
    assert threshold("unknown_kind", 0.8) == "0.8"


def test_the_evidence_says_its_windows_in_words():
    rows = dict(
        evidence_rows(
            {
                "touches_per_week_4w": 38.2,
                "weeks_recent": 4,
                "complaints_91d": 2,
                "team_cycle_days": 50.5,
                "due": 20,
                "missed": 17,
                "new_key": 1,
            }
        )
    )
    assert rows == {
        "Touches a week, last 4 weeks": "38.2",
        "Team median sales cycle in days": "50.5",
        "Commitments due, last 91 days": "20",
        "Not met on time": "17",
        "Weeks counted of the last 4": "4",
        "Complaints, last 91 days": "2",
        "New key": "1",  # a figure without a label still reads as words
    }


def test_shares_in_the_evidence_are_percentages():
    win_rate = {"win_rate_26w": 0.18, "own_baseline": 0.34, "team_median": 0.305, "won": 4}
    assert dict(evidence_rows(win_rate, "win_rate_decline")) == {
        "Win rate, last 26 weeks": "18%",
        "Own baseline": "34%",
        "Team median": "30.5%",
        "Won": "4",
    }
    # The same names are money in another warning's evidence: left as they are.
    deal_size = dict(
        evidence_rows({"own_baseline": 24_000.0, "team_median": 0.9}, "deal_size_decline")
    )
    assert deal_size == {"Own baseline": "24,000", "Team median": "0.9"}
    assert dict(evidence_rows({"phone_share": 0.2}))["Phone share"] == "20%"


def test_a_quota_streaks_quarters_read_as_the_warning_says_them():
    quarters = [
        {"period": "2026-Q2", "attainment": 0.53},
        {"period": "2026-Q3", "attainment": 0.37},
    ]
    assert dict(evidence_rows({"quarters": quarters}))["Quarters"] == "2026-Q2 53%; 2026-Q3 37%"
    # Something else stored under the name reads as it is.
    assert dict(evidence_rows({"quarters": ["2026-Q2"]}))["Quarters"] == "2026-Q2"
