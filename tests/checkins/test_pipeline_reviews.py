"""Pipeline reviews: what moved since the last review, stale deals, missing milestones,
decisions with next steps as action items; the next review starts from this one."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accountable.checkins import pipeline_review as reviews
from accountable.checkins.errors import CheckinError
from accountable.checkins.models import ActionItem, PipelineReview
from accountable.crm.models import DealChange, DealStageChange
from tests.crm.factories import DealFactory, ensure_pipeline, stage

pytestmark = pytest.mark.django_db

TODAY = date(2026, 8, 20)


@pytest.fixture(autouse=True)
def _thursday():
    with time_machine.travel(datetime(2026, 8, 20, 8, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def pipeline(org):
    ensure_pipeline()
    advanced = DealFactory(
        owner=org.rep, name="Acme", stage=stage("Proposal"), created_on=date(2026, 7, 1)
    )
    DealStageChange.objects.create(
        deal=advanced,
        from_stage=stage("Engaging"),
        to_stage=stage("Proposal"),
        changed_on=date(2026, 8, 12),
    )
    pushed = DealFactory(
        owner=org.rep,
        name="Globex",
        created_on=date(2026, 7, 1),
        expected_close_on=date(2026, 10, 15),
    )
    DealChange.objects.create(
        deal=pushed, field="expected_close_on", old_value="2026-09-20", new_value="2026-10-15",
        changed_at=datetime(2026, 8, 14, 9, tzinfo=UTC),
    )  # fmt: skip
    DealChange.objects.create(
        deal=pushed, field="amount", old_value="10000.00", new_value="8000.00",
        changed_at=datetime(2026, 8, 14, 9, tzinfo=UTC),
    )  # fmt: skip
    DealFactory(owner=org.rep, name="Initech", created_on=date(2026, 8, 17))
    DealFactory(owner=org.rep, name="Umbrella", stage=stage("Won"), closed_on=date(2026, 8, 18))
    DealFactory(owner=org.rep, name="Hooli", stage=stage("Lost"), closed_on=date(2026, 8, 19))
    DealFactory(owner=org.rep, name="Old win", stage=stage("Won"), closed_on=date(2026, 7, 2))
    DealFactory(owner=org.rep2, name="Not hers", created_on=date(2026, 8, 17))
    return advanced


def test_a_review_shows_what_moved_since_the_last_one(org, pipeline):
    review = reviews.review_start(actor=org.manager, person=org.rep)
    assert review.since == date(2026, 8, 6)  # the first looks back two weeks
    content = reviews.contents(org.manager, review)
    moved = {key: [m.deal.name for m in items] for key, _, items in content.groups}
    assert moved == {
        "new": ["Initech"],
        "advanced": ["Acme"],
        "slipped_back": [],
        "pushed": ["Globex"],
        "pulled_in": [],
        "resized": ["Globex"],
        "won": ["Umbrella"],
        "lost": ["Hooli"],
    }
    assert {d.name for d in content.missing} >= {"Acme"}  # Proposal's checklist not done
    with time_machine.travel(datetime(2026, 8, 27, 8, tzinfo=UTC), tick=False):
        following = reviews.review_start(actor=org.manager, person=org.rep)
    assert following.since == date(2026, 8, 20)
    assert not any(reviews.contents(org.manager, following).moved.values())


def test_a_decision_and_its_next_step_become_an_action_item(org, pipeline):
    review = reviews.review_start(actor=org.manager, person=org.rep)
    made = reviews.decision_add(
        actor=org.manager, review=review, deal=pipeline, decision="Push for a signature this month",
        next_step="Book the legal call", owner=org.rep, due_on=date(2026, 8, 25),
    )  # fmt: skip
    action = ActionItem.objects.get()
    assert (
        made.action == action
        and action.owner == org.rep
        and action.text == "Acme: Book the legal call"
    )
    with pytest.raises(CheckinError, match="has an owner and a day"):
        reviews.decision_add(
            actor=org.manager, review=review, deal=pipeline, decision="x", next_step="y"
        )
    other = DealFactory(owner=org.other_rep)
    with pytest.raises(CheckinError, match="not in this pipeline"):
        reviews.decision_add(actor=org.manager, review=review, deal=other, decision="x")
    with pytest.raises(PermissionDenied):
        reviews.decision_add(actor=org.rep, review=review, deal=pipeline, decision="mine")


def test_who_reviews_whose_pipeline(org, pipeline):
    with pytest.raises(PermissionDenied):
        reviews.review_start(actor=org.rep, person=org.rep)
    with pytest.raises(PermissionDenied):
        reviews.review_start(actor=org.other_manager, person=org.rep)
    team_review = reviews.review_start(actor=org.manager, team=org.north_field)
    assert {m.deal.name for m in reviews.contents(org.manager, team_review).moved["new"]} == {
        "Initech",
        "Not hers",
    }
    mine = reviews.review_start(actor=org.manager, person=org.rep)
    assert set(reviews.reviews_visible(org.rep)) == {mine}  # their own, not the team's
    assert set(reviews.reviews_visible(org.manager)) == {mine, team_review}
    assert not reviews.reviews_visible(org.other_manager).exists()


def test_the_review_pages(client, org, pipeline):
    client.force_login(org.manager)
    started = client.post(reverse("checkins:reviews"), {"person": org.rep.pk})
    review = PipelineReview.objects.get()
    assert started["Location"] == reverse("checkins:review", args=[review.pk])
    page = client.get(started["Location"])
    assert "Pipeline of Rita Rep" in page.content.decode()
    form = page.context["form"]
    assert pipeline.pk in dict(form.fields["deal"].choices)
    client.post(
        reverse("checkins:review_decide", args=[review.pk]),
        {"decide-deal": pipeline.pk, "decide-decision": "Close it this month"},
    )
    assert review.decisions.get().decision == "Close it this month"
    refused = client.post(
        reverse("checkins:review_decide", args=[review.pk]),
        {"decide-deal": pipeline.pk},
        follow=True,
    )
    assert "Nothing recorded" in refused.content.decode()
