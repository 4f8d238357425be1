"""The sales pages: scoping, forms (success, refusal, bad input) and the checklist toggle."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accountable.crm.models import Activity, Deal, DealMilestone, Feedback, Milestone
from accountable.org.services import organisation_update
from tests.crm.factories import ActivityFactory, DealFactory, FeedbackFactory, stage

pytestmark = pytest.mark.django_db


def deal_form(**fields) -> dict:
    return {
        "name": "Globex rollout",
        "account_name": "Globex",
        "type": "new_business",
        "amount": "36500",
        "stage": stage("Proposal").pk,
        "created_on": "2026-08-01",
        "expected_close_on": "2026-10-30",
        **fields,
    }


def test_the_deal_list_is_scoped_with_totals_in_the_organisation_currency(client, org):
    organisation_update(actor=None, currency="EUR")
    DealFactory(owner=org.rep, name="Rita's deal", amount=Decimal("1234567"))
    DealFactory(owner=org.rep, name="Rita's win", amount=Decimal(5000), stage=stage("Won"))
    DealFactory(owner=org.other_rep, name="Olga's deal")
    client.force_login(org.rep)
    page = client.get(reverse("crm:deals")).content.decode()
    assert "Rita&#x27;s deal" in page and "Olga" not in page
    assert "€1,234,567" in page and "€1.24M" in page and "€5,000" in page
    assert 'name="owner"' not in page  # one choice is no choice


def test_deal_list_filters_and_bad_filter_input(client, org):
    DealFactory(owner=org.rep, name="Open deal")
    DealFactory(owner=org.rep2, name="Won deal", stage=stage("Won"))
    client.force_login(org.manager)
    page = client.get(reverse("crm:deals"), {"status": "won"}).content.decode()
    assert "Won deal" in page and "Open deal" not in page
    page = client.get(reverse("crm:deals"), {"owner": org.other_rep.pk}).content.decode()
    assert "Select a valid choice" in page  # someone out of reach is not a filter
    page = client.get(
        reverse("crm:deals"), {"closed_from": "2026-09-01", "closed_to": "2026-08-01"}
    ).content.decode()
    assert "The end date is before the start date" in page
    page = client.get(reverse("crm:deals"), {"search": "nothing like it"}).content.decode()
    assert "No deals match these filters" in page


def test_an_empty_deal_list_says_what_to_do(client, org):
    client.force_login(org.rep)
    page = client.get(reverse("crm:deals")).content.decode()
    assert "No deals yet — import them from your CRM or add one." in page


def test_the_deal_list_queries_do_not_grow_with_rows(client, org, django_assert_max_num_queries):
    for n in range(40):
        DealFactory(owner=org.rep if n % 2 else org.rep2)
    client.force_login(org.manager)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("crm:deals")).status_code == 200


def test_a_rep_adds_a_deal(client, org):
    client.force_login(org.rep)
    response = client.post(reverse("crm:deal_new"), deal_form())
    deal = Deal.objects.get(name="Globex rollout")
    assert response.status_code == 302 and response["Location"] == reverse(
        "crm:deal", args=[deal.pk]
    )
    assert deal.owner == org.rep and deal.amount == Decimal("36500")


def test_bad_deal_input_gets_a_message_and_changes_nothing(client, org):
    client.force_login(org.rep)
    response = client.post(
        reverse("crm:deal_new"), deal_form(amount="-3", expected_close_on="", split_share="20")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The amount cannot be negative" in page
    assert "An open deal needs the date it should close" in page
    assert "Choose who shares the credit" in page
    response = client.post(reverse("crm:deal_new"), deal_form(created_on="2026-11-01"))
    assert "A deal cannot be expected to close before it was created" in response.content.decode()
    assert not Deal.objects.exists()


def test_a_rep_cannot_assign_a_deal_to_someone_else(client, org):
    client.force_login(org.rep)
    client.post(reverse("crm:deal_new"), deal_form(owner=org.rep2.pk))
    assert Deal.objects.get().owner == org.rep  # the owner field is not theirs to set


def test_a_manager_edits_a_deal_and_moves_its_stage(client, org):
    deal = DealFactory(owner=org.rep, stage=stage("Proposal"), name="Deal", amount=Decimal(100))
    client.force_login(org.manager)
    form = client.get(reverse("crm:deal_edit", args=[deal.pk])).content.decode()
    assert 'value="Deal"' in form
    response = client.post(
        reverse("crm:deal_edit", args=[deal.pk]),
        deal_form(owner=org.rep2.pk, stage=stage("Negotiation").pk),
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.owner, deal.stage.name, deal.amount) == (org.rep2, "Negotiation", 36500)
    page = client.get(reverse("crm:deal", args=[deal.pk])).content.decode()
    assert "Proposal → <strong>Negotiation</strong>" in page
    assert '<span class="diff-before">$100</span> → ' in page


def test_editing_keeps_a_split_the_form_cannot_show(client, org):
    deal = DealFactory(owner=org.rep)
    for person, share in [(org.rep, 50), (org.rep2, 30), (org.inside_rep, 20)]:
        deal.splits.create(person=person, share=share)
    client.force_login(org.manager)
    page = client.get(reverse("crm:deal_edit", args=[deal.pk])).content.decode()
    assert "split between more than two people" in page
    client.post(reverse("crm:deal_edit", args=[deal.pk]), deal_form())
    assert deal.splits.count() == 3


def test_ticking_a_milestone_without_javascript_redirects(client, org):
    deal = DealFactory(owner=org.rep, stage=stage("Engaging"))
    milestone = Milestone.objects.get(name="Need confirmed")
    url = reverse("crm:deal_milestone", args=[deal.pk, milestone.pk])
    client.force_login(org.rep)
    response = client.post(url, {"done": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#checklist")
    assert DealMilestone.objects.filter(deal=deal, milestone=milestone).exists()
    client.post(url, {"done": "0"})
    assert not DealMilestone.objects.exists()


def test_ticking_a_milestone_with_htmx_returns_the_checklist(client, org):
    deal = DealFactory(owner=org.rep, stage=stage("Engaging"))
    milestone = Milestone.objects.get(name="Need confirmed")
    client.force_login(org.manager)
    response = client.post(
        reverse("crm:deal_milestone", args=[deal.pk, milestone.pk]),
        {"done": "1"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<div class="card checklist"')
    assert "1 of 4 done" in page and 'hx-swap-oob="true"' in page


def test_a_milestone_the_deal_has_not_reached_gets_a_message(client, org):
    deal = DealFactory(owner=org.rep, stage=stage("Prospecting"))
    milestone = Milestone.objects.get(name="Terms agreed")
    client.force_login(org.rep)
    url = reverse("crm:deal_milestone", args=[deal.pk, milestone.pk])
    response = client.post(url, {"done": "1"}, follow=True)
    assert "which this deal has not reached" in response.content.decode()
    response = client.post(url, {"done": "maybe"}, headers={"HX-Request": "true"})
    assert "Say whether the milestone is done" in response.content.decode()
    assert not DealMilestone.objects.exists()


def test_a_rep_logs_an_activity_and_sees_counts_by_kind(client, org):
    ActivityFactory(person=org.rep, kind="email")
    ActivityFactory(person=org.rep2, kind="meeting")
    client.force_login(org.rep)
    response = client.post(
        reverse("crm:activity_new"),
        {"kind": "call", "channel": "phone", "outcome": "connected",
         "occurred_at": "2026-08-03T09:30", "is_prospecting": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    activity = Activity.objects.get(kind="call")
    assert activity.person == org.rep and activity.is_prospecting
    page = client.get(reverse("crm:activities")).content.decode()
    assert "Logged a call for Rita Rep." in page
    assert "Meeting" not in page.split("<tbody>")[1]  # Rob's meeting is not Rita's to see


def test_bad_activity_input_changes_nothing(client, org):
    client.force_login(org.rep)
    response = client.post(
        reverse("crm:activity_new"), {"kind": "fax", "occurred_at": "yesterday-ish"}
    )
    page = response.content.decode()
    assert "Select a valid choice" in page and "Enter a valid date/time" in page
    assert not Activity.objects.exists()


def test_logging_against_a_deal_returns_to_it(client, org):
    deal = DealFactory(owner=org.rep)
    client.force_login(org.rep)
    page = client.get(reverse("crm:activity_new"), {"deal": deal.pk}).content.decode()
    assert f'<option value="{deal.pk}" selected>' in page
    response = client.post(
        reverse("crm:activity_new"),
        {"kind": "meeting", "occurred_at": "2026-08-03T09:30", "deal": deal.pk,
         "meeting_number": "2"},
    )  # fmt: skip
    assert response["Location"] == reverse("crm:deal", args=[deal.pk])
    assert Activity.objects.get().meeting_number == 2


def test_a_manager_records_feedback_and_a_rep_sees_their_own(client, org):
    FeedbackFactory(person=org.rep2, kind="praise", note="Quick answers")
    client.force_login(org.manager)
    response = client.post(
        reverse("crm:feedback_new"),
        {"person": org.rep.pk, "kind": "complaint", "received_on": "2026-08-03",
         "note": "Missed two calls"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Feedback.objects.get(person=org.rep).note == "Missed two calls"
    client.force_login(org.rep)
    page = client.get(reverse("crm:feedback")).content.decode()
    assert "Missed two calls" in page and "Quick answers" not in page
    assert reverse("crm:feedback_new") not in page


def test_feedback_about_someone_out_of_reach_is_refused(client, org):
    client.force_login(org.manager)
    response = client.post(
        reverse("crm:feedback_new"),
        {"person": org.other_rep.pk, "kind": "complaint", "received_on": "2026-08-03",
         "note": "x"},
    )  # fmt: skip
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Feedback.objects.exists()


def test_executives_read_but_see_no_write_buttons(client, org):
    deal = DealFactory(owner=org.rep)
    client.force_login(org.executive)
    page = client.get(reverse("crm:deal", args=[deal.pk])).content.decode()
    assert reverse("crm:deal_edit", args=[deal.pk]) not in page
    assert "hx-post" not in page
    assert reverse("crm:deal_new") not in client.get(reverse("crm:deals")).content.decode()


def test_navigation_offers_deals_and_activities_to_reps(client, org):
    client.force_login(org.rep)
    page = client.get(reverse("crm:deals")).content.decode()
    assert f'href="{reverse("crm:deals")}" aria-current="page"' in page
    assert f'href="{reverse("crm:activities")}"' in page


def test_editing_keeps_an_overlay_from_another_team(client, org):
    deal = DealFactory(owner=org.rep)
    deal.splits.create(person=org.rep, share=80)
    deal.splits.create(person=org.other_rep, share=20)
    client.force_login(org.rep)
    form = client.get(reverse("crm:deal_edit", args=[deal.pk])).content.decode()
    assert f'<option value="{org.other_rep.pk}" selected>' in form
    client.post(
        reverse("crm:deal_edit", args=[deal.pk]),
        deal_form(split_with=org.other_rep.pk, split_share="20"),
    )
    assert dict(deal.splits.values_list("person__name", "share")) == {
        "Rita Rep": Decimal("80.00"),
        "Olga Other": Decimal("20.00"),
    }


def test_a_deal_typed_in_carries_its_quantity_and_shows_it(client, org):
    client.force_login(org.rep)
    client.post(reverse("crm:deal_new"), deal_form(quantity="12"))
    deal = Deal.objects.get(name="Globex rollout")
    assert deal.quantity == 12
    page = client.get(reverse("crm:deal", args=[deal.pk])).content.decode()
    assert "12 units" in page
    response = client.post(reverse("crm:deal_new"), deal_form(name="Zero", quantity="0"))
    assert "Ensure this value is greater than or equal to 1" in response.content.decode()
    client.post(reverse("crm:deal_new"), deal_form(name="Plain"))
    assert Deal.objects.get(name="Plain").quantity == 1
