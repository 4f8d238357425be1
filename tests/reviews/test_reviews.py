"""Performance reviews: a cycle freezes each person's figures as of the review day; each
side writes the same form; both are shown side by side once in, the gaps highlighted;
the outcome is recorded and acknowledged; a rep never sees another rep's."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.crm.upsert import deals_upsert
from accountable.packets.selectors import packet_get
from accountable.reviews import selectors, services
from accountable.reviews.errors import ReviewError
from accountable.reviews.items import Item, Row, rating_of
from accountable.reviews.models import Review, ReviewState, Side
from accountable.reviews.reminders import review_reminders
from accountable.scorecards import selectors as scorecards
from tests.reviews.conftest import OPENED, ratings_all
from tests.scorecards.conftest import Q3, deal

pytestmark = pytest.mark.django_db


def _rep_review(cycle, org) -> Review:
    return cycle.reviews.get(person=org.rep)


def test_the_cycle_freezes_the_scorecards_figures_as_of_the_review_day(cycle, packet_org):
    org = packet_org
    review = _rep_review(cycle, org)
    card = scorecards.person_scorecard(org.admin, org.rep, period=Q3, as_of=date(2026, 9, 30))
    kept = {m["metric"]: m["actual"] for m in review.snapshot["metrics"]}
    assert kept == {t.metric: t.as_dict()["actual"] for t in card.tiles}
    assert review.snapshot["row"]["won_amount"] == "3000.00"
    # A late import of a Q3 win changes the scorecard, never the review.
    deals_upsert([deal("LATE", org.rep, amount="5000", closed_on=date(2026, 9, 2))])
    review.refresh_from_db()
    assert review.snapshot["row"]["won_amount"] == "3000.00"
    later = scorecards.person_scorecard(org.admin, org.rep, period=Q3, as_of=date(2026, 9, 30))
    assert later.row.won_amount == 8000
    assert AuditEntry.objects.filter(action="review.cycle_open").count() == 1


def test_opening_a_cycle_checks_who_and_when(cycle, packet_org):
    org = packet_org
    args = {
        "period": Q3, "people": [org.rep2], "as_of": date(2026, 9, 30),
        "self_due_on": date(2026, 10, 9), "manager_due_on": date(2026, 10, 14),
    }  # fmt: skip
    with time_machine.travel(OPENED, tick=False):
        with pytest.raises(PermissionDenied):
            services.cycle_open(actor=org.manager, **args)
        for bad, said in [
            ({"people": [org.rep]}, "already have a 2026-Q3 review"),
            ({"people": []}, "Choose who"),
            ({"as_of": date(2026, 10, 2)}, "after today"),
            ({"as_of": date(2026, 6, 1)}, "before 2026-Q3 starts"),
            ({"manager_due_on": date(2026, 10, 8)}, "same day or after"),
            ({"self_due_on": date(2026, 9, 1)}, "due today or later"),
        ]:
            with pytest.raises(ReviewError, match=said):
                services.cycle_open(actor=org.admin, **{**args, **bad})
    assert Review.objects.count() == 2  # bad input changed nothing


def test_both_sides_write_then_see_each_other_with_the_gaps(cycle, packet_org):
    org = packet_org
    review = _rep_review(cycle, org)
    # A draft of the rep's: theirs alone.
    services.assessment_save(
        actor=org.rep, review=review, side=Side.SELF, ratings=ratings_all(review, 5),
        strengths="Closing", improve="",
    )  # fmt: skip
    assert selectors.review_shown(org.manager, review).own is None
    with pytest.raises(ReviewError, match="Say at least one strength"):
        services.assessment_save(
            actor=org.rep, review=review, side=Side.SELF, ratings=ratings_all(review, 5),
            submit=True,
        )  # fmt: skip
    services.assessment_save(
        actor=org.rep, review=review, side=Side.SELF, ratings=ratings_all(review, 5, "great"),
        strengths="Closing", improve="Prospecting", submit=True,
    )  # fmt: skip
    with pytest.raises(ReviewError, match="sent"):
        services.assessment_save(
            actor=org.rep, review=review, side=Side.SELF, ratings=ratings_all(review, 1)
        )
    # The manager reads it once sent; the rep does not see the manager's until both are in.
    assert selectors.review_shown(org.manager, review).own.submitted
    services.assessment_save(
        actor=org.manager, review=review, side=Side.MANAGER, ratings=ratings_all(review, 2),
        strengths="Persistent", improve="Pipeline",
    )  # fmt: skip
    assert selectors.review_shown(org.rep, review).manager is None
    services.assessment_save(
        actor=org.manager, review=review, side=Side.MANAGER, ratings=ratings_all(review, 2),
        strengths="Persistent", improve="Pipeline", submit=True,
    )  # fmt: skip
    review.refresh_from_db()
    assert review.state == ReviewState.DISCUSSING
    shown = selectors.review_shown(org.rep, review)
    assert shown.manager is not None and shown.own is not None
    assert all(r.highlighted for r in shown.rows)  # 5 against 2 everywhere
    revenue = next(r for r in shown.rows if r.item.key == "metric:revenue")
    assert revenue.item.data_rating == 1  # half the target by the quarter's end
    assert revenue.gap_words == "rates themself 3 higher than the manager; 4 higher than the data"


def test_only_the_person_writes_their_own_and_only_the_chain_the_managers(cycle, packet_org):
    org = packet_org
    review = _rep_review(cycle, org)
    for actor, side in [
        (org.manager, Side.SELF),
        (org.rep2, Side.SELF),
        (org.rep, Side.MANAGER),
        (org.other_manager, Side.MANAGER),
        (org.executive, Side.MANAGER),
    ]:
        with pytest.raises(PermissionDenied):
            services.assessment_save(actor=actor, review=review, side=side, ratings={})
    assert selectors.side_of(org.north_boss, review) == Side.MANAGER  # up the chain
    assert selectors.side_of(org.admin, review) == Side.MANAGER
    assert selectors.side_of(org.executive, review) is None


def test_a_rep_never_sees_another_reps_review(cycle, packet_org):
    org = packet_org
    theirs = cycle.reviews.get(person=org.other_rep)
    with pytest.raises(Http404):
        selectors.review_get(org.rep, theirs.pk)
    with pytest.raises(Http404):
        selectors.review_get(org.manager, theirs.pk)
    assert [r.person for r in selectors.review_list(org.rep)] == [org.rep]
    assert {r.person for r in selectors.review_list(org.executive)} == {org.rep, org.other_rep}


def test_bad_ratings_change_nothing(cycle, packet_org):
    org = packet_org
    review = _rep_review(cycle, org)
    for ratings, said in [
        ({"metric:revenue": {"rating": 6}}, "from 1 to 5"),
        ({"metric:revenue": {"rating": "lots"}}, "from 1 to 5"),
        ({"nonsense": {"rating": 3}}, "asks nothing about nonsense"),
        ({"teamwork": {"rating": 3, "comment": "x" * 1001}}, "keep it to 1,000"),
    ]:
        with pytest.raises(ReviewError, match=said):
            services.assessment_save(actor=org.rep, review=review, side=Side.SELF, ratings=ratings)
    assert not review.assessments.exists()


def _both_in(review, org):
    for actor, side, value in ((org.rep, Side.SELF, 4), (org.manager, Side.MANAGER, 3)):
        services.assessment_save(
            actor=actor, review=review, side=side, ratings=ratings_all(review, value),
            strengths="s", improve="i", submit=True,
        )  # fmt: skip


def test_the_outcome_is_recorded_acknowledged_and_in_the_packet(cycle, packet_org):
    org = packet_org
    review = _rep_review(cycle, org)
    with pytest.raises(ReviewError, match="once both assessments are in"):
        services.outcome_record(
            actor=org.manager, review=review, kind="coaching", text="x",
            discussed_on=date(2026, 10, 1),
        )  # fmt: skip
    _both_in(review, org)
    with pytest.raises(PermissionDenied):
        services.outcome_record(
            actor=org.rep, review=review, kind="nothing", text="", discussed_on=OPENED
        )
    with time_machine.travel(date(2026, 10, 20), tick=False):
        with pytest.raises(ReviewError, match="Say what was agreed"):
            services.outcome_record(
                actor=org.manager, review=review, kind="coaching", text=" ",
                discussed_on=date(2026, 10, 19),
            )  # fmt: skip
        services.outcome_record(
            actor=org.manager, review=review, kind="coaching",
            text="Weekly role-play of first calls until December.",
            discussed_on=date(2026, 10, 19),
        )  # fmt: skip
    packet = packet_get(org.manager, org.rep, period=Q3, as_of=date(2026, 9, 30))
    assert packet.section("review").data["review"].pk == review.pk
    with pytest.raises(PermissionDenied):
        services.outcome_acknowledge(actor=org.manager, review=review)
    services.outcome_acknowledge(actor=org.rep, review=review, response="Read; fair.")
    review.refresh_from_db()
    assert review.state == ReviewState.ACKNOWLEDGED and review.response == "Read; fair."
    other = packet_get(org.admin, org.other_rep, period=Q3, as_of=date(2026, 9, 30))
    assert other.section("review").data["review"] is None


def test_the_datas_rating_and_the_gap_rule():
    assert [rating_of(a) for a in (None, 1.3, 1.0, 0.9, 0.75, 0.2)] == [None, 5, 4, 3, 2, 1]
    item = Item("teamwork", "Teamwork", "behaviour", "", data_rating=None)
    assert not Row(item, 4, "", 3, "").highlighted
    assert Row(item, 5, "", 3, "").highlighted
    assert not Row(item, 5, "", None, "").highlighted


def test_reminders_before_and_after_each_due_day(cycle, packet_org):
    org = packet_org
    review = _rep_review(cycle, org)
    day_before_self = review_reminders(date(2026, 10, 8))
    assert "self-assessment for 2026-Q3 performance reviews is due tomorrow" in " ".join(
        day_before_self[org.rep.pk]
    )
    after_manager = review_reminders(date(2026, 10, 15))
    assert any(
        "Rita Rep" in line and "was due yesterday" in line for line in after_manager[org.manager.pk]
    )
    assert org.north_boss.pk not in after_manager  # the nearest managers
    _both_in(review, org)
    assert org.rep.pk not in review_reminders(date(2026, 10, 10))  # sent: nothing to remind
    from accountable.checkins.reminders import reminders_for

    with_rest = reminders_for(date(2026, 10, 8))
    assert any("self-assessment" in line for line in with_rest.get(org.other_rep, []))


def test_the_pages_show_both_sides_only_when_both_are_in(client, cycle, packet_org):
    org = packet_org
    review = _rep_review(cycle, org)
    url = reverse("reviews:detail", args=[review.pk])
    client.force_login(org.rep)
    response = client.post(
        reverse("reviews:assessment", args=[review.pk]),
        {**{f"r-{k}": "5" for k in ratings_all(review, 5)}, "strengths": "Closing", "send": "1"},
    )
    assert response.status_code == 302
    assert review.assessments.get(side=Side.SELF).submitted
    client.force_login(org.manager)
    page = client.get(url).text
    assert "Your assessment of Rita" in page and "gap" in page
    client.post(
        reverse("reviews:assessment", args=[review.pk]),
        {**{f"r-{k}": "2" for k in ratings_all(review, 2)}, "improve": "Pipeline", "send": "1"},
    )
    client.force_login(org.rep)
    page = client.get(url).text
    assert "rates themself 3 higher than the manager" in page
    assert "Pipeline" in page  # the manager's words, now both are in
    client.force_login(org.rep2)
    assert client.get(url).status_code == 404
