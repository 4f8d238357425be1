"""The plan pages: a plan written and submitted through its form, refused input said
plainly with nothing changed, what a rep of another team cannot reach, and the key
accounts shown in a pipeline review."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from accountable.checkins.models import PipelineReview
from accountable.plans import services
from accountable.plans.models import Plan, PlanState
from tests.crm.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_16_november():
    with time_machine.travel(datetime(2026, 11, 16, 9, tzinfo=UTC), tick=False):
        yield


def test_a_plan_is_started_written_and_submitted_through_its_pages(client, org):
    client.force_login(org.rep)
    refused = client.post(reverse("plans:list"), {"kind": "quarterly", "period": "2026-Q9"})
    assert "quarters run Q1 to Q4" in refused.content.decode()
    assert not Plan.objects.exists()
    started = client.post(reverse("plans:list"), {"kind": "quarterly", "period": "2027-Q1"})
    plan = Plan.objects.get()
    assert started["Location"] == reverse("plans:detail", args=[plan.pk])
    client.post(
        reverse("plans:update", args=[plan.pk]),
        {"summary": "Open the Nordics", "pipeline": "Two deals", "then": "submit"},
    )
    plan.refresh_from_db()
    assert (plan.state, plan.summary) == (PlanState.SUBMITTED, "Open the Nordics")
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Version 1" in page and "waiting for the manager" in page
    assert "Save and submit" not in page  # submitted: no longer editable
    changed = client.post(
        reverse("plans:update", args=[plan.pk]), {"summary": "behind their back"}, follow=True
    )
    assert "only once it is returned" in changed.content.decode()
    plan.refresh_from_db()
    assert plan.summary == "Open the Nordics"


def test_a_rep_of_another_team_reaches_none_of_it(client, org):
    plan = services.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period="2027-Q1")
    client.force_login(org.other_rep)
    for name in ("plans:detail", "plans:present", "plans:review"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404
    assert "Rita Rep" not in client.get(reverse("plans:list")).content.decode()
    assert client.post(reverse("plans:update", args=[plan.pk]), {"summary": "x"}).status_code == 404
    client.force_login(org.rep2)  # a teammate: still not theirs
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404


def test_the_manager_returns_a_plan_with_reasons_from_its_page(client, org):
    plan = services.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period="2027-Q1")
    services.plan_update(actor=org.rep, plan=plan, summary="s")
    services.plan_submit(actor=org.rep, plan=plan)
    client.force_login(org.manager)
    assert "Rita Rep" in client.get(reverse("plans:list")).content.decode()  # waiting
    url = reverse("plans:decide", args=[plan.pk])
    said = client.post(url, {"decision": "return", "reason": ""}, follow=True)
    assert "Say why it goes back" in said.content.decode()
    client.post(url, {"decision": "return", "reason": "Too thin"})
    plan.refresh_from_db()
    assert plan.state == PlanState.RETURNED
    client.force_login(org.rep)
    assert client.post(url, {"decision": "approve"}).status_code == 403


def test_a_pipeline_review_shows_the_key_accounts_and_what_needs_attention(client, org):
    planned = AccountFactory(owner=org.rep, tier="A", name="Globex")
    AccountFactory(owner=org.rep, tier="A", name="Initech")
    AccountFactory(owner=org.other_rep, tier="A", name="Southern")
    services.account_plan_save(
        actor=org.rep, account=planned, year=2026, tier="A", goal="Renew",
        next_action="Meet the CFO", next_action_on=date(2026, 11, 30),
    )  # fmt: skip
    review = PipelineReview.objects.create(
        person=org.rep, run_by=org.manager, since=date(2026, 11, 2), held_on=date(2026, 11, 16)
    )
    client.force_login(org.manager)
    page = client.get(reverse("checkins:review", args=[review.pk])).content.decode()
    assert "Meet the CFO" in page and "Renew" in page
    assert "Initech" in page and "an A account with no plan for 2026" in page
    assert "Southern" not in page
    account = client.get(reverse("plans:account", args=[planned.pk])).content.decode()
    assert "Meet the CFO" in account


def test_adding_an_action_keeps_the_words_typed_in_the_plan(client, org):
    plan = services.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period="2027-Q1")
    client.force_login(org.rep)
    url = reverse("plans:action_add", args=[plan.pk])
    refused = client.post(url, {"summary": "Typed", "text": "", "due_on": ""}, follow=True)
    assert "Write the action" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.summary == "" and not plan.actions.exists()  # refused: nothing saved
    client.post(url, {"summary": "Typed", "text": "Call Globex", "due_on": "2027-01-20"})
    plan.refresh_from_db()
    assert plan.summary == "Typed"
    assert [a.text for a in plan.actions.all()] == ["Call Globex"]


def test_a_comment_keeps_the_words_typed_in_the_plan(client, org):
    plan = services.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period="2027-Q1")
    client.force_login(org.rep)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    # The comment's fields belong to the plan's form, and its button sends them there.
    assert 'name="comment-text"' in page and 'form="plan-sections"' in page
    url = reverse("plans:comment", args=[plan.pk])
    refused = client.post(url, {"summary": "Typed", "comment-section": "summary"}, follow=True)
    assert "write the comment" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.summary == "" and not plan.comments.exists()  # refused: nothing saved
    # An action and a comment on the same form: each reads its own fields.
    answer = client.post(
        url,
        {"summary": "Typed", "text": "", "comment-section": "summary", "comment-text": "Why?"},
        follow=True,
    )
    assert "Comment added; the plan saved." in answer.content.decode()
    plan.refresh_from_db()
    assert plan.summary == "Typed"
    assert [c.text for c in plan.comments.all()] == ["Why?"]
