"""Editing the pipeline (`crm.pipeline`): stages added, renamed, reordered, merged and
removed, their probabilities, categories and milestones; history kept; audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from accountable.audit.models import AuditEntry
from accountable.crm import pipeline
from accountable.crm.errors import CrmError
from accountable.crm.models import (
    Deal,
    DealMilestone,
    DealStageChange,
    ForecastCategory,
    Milestone,
    Stage,
)
from tests.crm.factories import DealFactory, ensure_pipeline, stage

pytestmark = pytest.mark.django_db


def names() -> list[str]:
    return list(Stage.objects.order_by("order").values_list("name", flat=True))


@pytest.fixture(autouse=True)
def _pipeline(db):
    ensure_pipeline()


def test_a_new_stage_is_placed_by_its_probability_with_a_category_to_match(org):
    added = pipeline.stage_add(actor=org.admin, name="Demo done", probability=40)
    assert names() == [
        "Prospecting",
        "Engaging",
        "Demo done",
        "Proposal",
        "Negotiation",
        "Won",
        "Lost",
    ]
    assert added.forecast_category == ForecastCategory.PIPELINE
    late = pipeline.stage_add(actor=org.admin, name="Verbal yes", probability="85 %")
    assert late.forecast_category == ForecastCategory.COMMIT
    assert names()[-3:] == ["Verbal yes", "Won", "Lost"]
    entry = AuditEntry.objects.get(action="stage.create", object_id=str(added.pk))
    assert entry.after["name"] == "Demo done" and entry.actor == org.admin


def test_a_new_stage_goes_where_it_is_put(org):
    pipeline.stage_add(
        actor=org.admin, name="Discovery", probability=5, forecast_category="best_case", position=1
    )
    assert names()[0] == "Discovery"
    assert Stage.objects.get(name="Discovery").forecast_category == "best_case"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "", "probability": 10}, "Give the stage a name"),
        ({"name": "proposal", "probability": 10}, 'already a stage called "Proposal"'),
        ({"name": "Won", "probability": 10}, 'already a stage called "Won"'),
        ({"name": "X", "probability": "ten"}, 'not "ten"'),
        ({"name": "X", "probability": 101}, "not 101"),
        ({"name": "X", "probability": -1}, "not -1"),
        ({"name": "X", "probability": 10, "forecast_category": "closed"}, 'not "closed"'),
        ({"name": "X", "probability": 10, "position": 9}, "position is from 1 to 5"),
        ({"name": "X" * 81, "probability": 10}, "at most 80 characters"),
    ],
)
def test_a_bad_stage_says_why_and_changes_nothing(org, kwargs, message):
    before = names()
    with pytest.raises(CrmError, match=message):
        pipeline.stage_add(actor=org.admin, **kwargs)
    assert names() == before
    assert not AuditEntry.objects.filter(action="stage.create").exists()


def test_only_an_admin_edits_the_pipeline(org):
    for person in (org.rep, org.manager, org.executive):
        with pytest.raises(PermissionDenied):
            pipeline.stage_add(actor=person, name="Mine", probability=10)
        with pytest.raises(PermissionDenied):
            pipeline.stage_update(actor=person, stage=stage("Proposal"), name="Quote")
    assert "Mine" not in names()


def test_a_rename_keeps_the_deals_and_their_history(org):
    deal = DealFactory(owner=org.rep, stage=stage("Proposal"))
    DealStageChange.objects.create(
        deal=deal,
        from_stage=stage("Engaging"),
        to_stage=stage("Proposal"),
        changed_on=date(2026, 8, 3),
    )
    pipeline.stage_update(
        actor=org.admin, stage=stage("Proposal"), name="Quote sent", probability=55
    )
    deal.refresh_from_db()
    assert deal.stage.name == "Quote sent" and deal.stage.probability == 55
    assert deal.stage_changes.get().to_stage.name == "Quote sent"
    entry = AuditEntry.objects.get(action="stage.update")
    assert entry.before == {"name": "Proposal", "probability": 50}
    assert entry.after == {"name": "Quote sent", "probability": 55}


def test_a_closed_stage_is_renamed_but_keeps_its_meaning(org):
    pipeline.stage_update(actor=org.admin, stage=stage("Won"), name="Closed Won")
    assert Stage.objects.get(is_won=True).name == "Closed Won"
    with pytest.raises(CrmError, match="stay as they are"):
        pipeline.stage_update(actor=org.admin, stage=Stage.objects.get(is_won=True), probability=90)
    with pytest.raises(CrmError, match="stay as they are"):
        pipeline.stage_update(
            actor=org.admin, stage=stage("Lost"), forecast_category=ForecastCategory.COMMIT
        )
    assert Stage.objects.get(is_won=True).probability == 100


def test_the_open_stages_are_reordered_and_the_closed_stay_last(org):
    order = [stage(n).pk for n in ("Negotiation", "Prospecting", "Proposal", "Engaging")]
    pipeline.stages_reorder(actor=org.admin, order=order)
    assert names() == ["Negotiation", "Prospecting", "Proposal", "Engaging", "Won", "Lost"]
    assert AuditEntry.objects.filter(action="stage.reorder").count() == 3  # Proposal stayed
    pipeline.stage_move(actor=org.admin, stage=stage("Negotiation"), by=1)
    assert names()[:2] == ["Prospecting", "Negotiation"]


def test_a_reorder_names_every_open_stage_once(org):
    open_ids = [stage(n).pk for n in ("Prospecting", "Engaging", "Proposal", "Negotiation")]
    with pytest.raises(CrmError, match="every open stage once"):
        pipeline.stages_reorder(actor=org.admin, order=open_ids[:3])
    with pytest.raises(CrmError, match="every open stage once"):
        pipeline.stages_reorder(actor=org.admin, order=[*open_ids[:3], open_ids[0]])
    with pytest.raises(CrmError, match="open stages only"):
        pipeline.stages_reorder(actor=org.admin, order=[*open_ids, stage("Won").pk])
    with pytest.raises(CrmError, match="list of stage ids"):
        pipeline.stages_reorder(actor=org.admin, order=["first"])
    assert names() == ["Prospecting", "Engaging", "Proposal", "Negotiation", "Won", "Lost"]


def test_a_merge_moves_deals_keeps_every_history_entry_and_milestone_ticks(org):
    engaging, proposal = stage("Engaging"), stage("Proposal")
    deal = DealFactory(owner=org.rep, stage=engaging)
    other = DealFactory(owner=org.rep2, stage=proposal)
    DealStageChange.objects.create(
        deal=deal, from_stage=stage("Prospecting"), to_stage=engaging, changed_on=date(2026, 8, 3)
    )
    DealStageChange.objects.create(
        deal=other, from_stage=engaging, to_stage=proposal, changed_on=date(2026, 8, 4)
    )
    same_name = Milestone.objects.create(stage=proposal, name="Need confirmed", order=9)
    ticked = Milestone.objects.get(stage=engaging, name="Need confirmed")
    DealMilestone.objects.create(deal=deal, milestone=ticked, done_on=date(2026, 8, 5))
    kept = Milestone.objects.get(stage=engaging, name="Decision maker identified")
    DealMilestone.objects.create(deal=deal, milestone=kept, done_on=date(2026, 8, 5))
    history_before = DealStageChange.objects.count()

    pipeline.stage_merge(actor=org.admin, stage=engaging, into=proposal)

    assert names() == ["Prospecting", "Proposal", "Negotiation", "Won", "Lost"]
    assert Deal.objects.get(pk=deal.pk).stage == proposal
    assert DealStageChange.objects.count() == history_before
    assert list(deal.stage_changes.values_list("to_stage__name", flat=True)) == ["Proposal"]
    assert list(other.stage_changes.values_list("from_stage__name", flat=True)) == ["Proposal"]
    done = set(
        DealMilestone.objects.filter(deal=deal).values_list(
            "milestone__name", "milestone__stage__name"
        )
    )
    assert done == {("Need confirmed", "Proposal"), ("Decision maker identified", "Proposal")}
    assert (
        DealMilestone.objects.get(deal=deal, milestone__name="Need confirmed").milestone
        == same_name
    )
    entry = AuditEntry.objects.get(action="stage.merge")
    assert entry.before["merged"] == "Engaging"
    assert entry.after["deals_moved"] == 1 and entry.after["history_entries"] == 2


def test_a_stage_merges_only_into_one_of_its_kind(org):
    deal = DealFactory(owner=org.rep, stage=stage("Negotiation"))
    with pytest.raises(CrmError, match="of the same kind"):
        pipeline.stage_merge(actor=org.admin, stage=stage("Negotiation"), into=stage("Won"))
    with pytest.raises(CrmError, match="another stage"):
        pipeline.stage_merge(actor=org.admin, stage=stage("Negotiation"), into=stage("Negotiation"))
    deal.refresh_from_db()
    assert deal.stage.name == "Negotiation" and deal.status == "open"


def test_a_stage_in_use_is_merged_not_removed(org):
    DealFactory(owner=org.rep, stage=stage("Proposal"))
    with pytest.raises(CrmError, match="holds 1 deal: merge it"):
        pipeline.stage_delete(actor=org.admin, stage=stage("Proposal"))
    deal = DealFactory(owner=org.rep, stage=stage("Negotiation"))
    DealStageChange.objects.create(
        deal=deal,
        from_stage=stage("Engaging"),
        to_stage=stage("Negotiation"),
        changed_on=date(2026, 8, 3),
    )
    with pytest.raises(CrmError, match="Deals have been through"):
        pipeline.stage_delete(actor=org.admin, stage=stage("Engaging"))
    with pytest.raises(CrmError, match="only lost stage"):
        pipeline.stage_delete(actor=org.admin, stage=stage("Lost"))
    pipeline.stage_delete(actor=org.admin, stage=stage("Prospecting"))
    assert names() == ["Engaging", "Proposal", "Negotiation", "Won", "Lost"]
    assert Stage.objects.get(name="Engaging").order == 1
    assert AuditEntry.objects.filter(action="stage.delete").count() == 1


def test_milestones_are_added_renamed_and_removed_unless_done(org):
    proposal = stage("Proposal")
    added = pipeline.milestone_add(actor=org.admin, stage=proposal, name="Pricing approved")
    assert list(proposal.milestones.values_list("name", flat=True))[-1] == "Pricing approved"
    with pytest.raises(CrmError, match="already has the milestone"):
        pipeline.milestone_add(actor=org.admin, stage=proposal, name="pricing  APPROVED")
    with pytest.raises(CrmError, match="checklists belong to open stages"):
        pipeline.milestone_add(actor=org.admin, stage=stage("Won"), name="Invoice sent")
    pipeline.milestone_rename(actor=org.admin, milestone=added, name="Price approved")
    deal = DealFactory(owner=org.rep, stage=proposal)
    DealMilestone.objects.create(deal=deal, milestone=added, done_on=date(2026, 8, 5))
    with pytest.raises(CrmError, match="1 deal has done"):
        pipeline.milestone_remove(actor=org.admin, milestone=added)
    unused = pipeline.milestone_add(actor=org.admin, stage=proposal, name="Legal review")
    pipeline.milestone_remove(actor=org.admin, milestone=unused)
    assert not Milestone.objects.filter(name="Legal review").exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"milestone.create", "milestone.update", "milestone.delete"} <= actions


SALESFORCE = [
    pipeline.StageSpec("Qualification", 10),
    pipeline.StageSpec("Needs Analysis", 20),
    pipeline.StageSpec("Proposal/Price Quote", 75, ForecastCategory.BEST_CASE),
]


def test_a_default_pipeline_adopts_a_crms_stages_in_one_step(org):
    assert pipeline.is_default()
    pipeline.adopt(actor=None, stages=SALESFORCE, source="Salesforce")
    assert names() == ["Qualification", "Needs Analysis", "Proposal/Price Quote", "Won", "Lost"]
    quote = Stage.objects.get(name="Proposal/Price Quote")
    assert (quote.probability, quote.forecast_category) == (75, "best_case")
    assert not pipeline.is_default()
    assert (
        AuditEntry.objects.filter(action="stage.create", after__adopted_from="Salesforce").count()
        == 3
    )
    with pytest.raises(CrmError, match="changed since it was set up"):
        pipeline.adopt(actor=None, stages=SALESFORCE, source="Salesforce")


def test_a_pipeline_with_open_deals_does_not_adopt(org):
    DealFactory(owner=org.rep, stage=stage("Proposal"))
    with pytest.raises(CrmError, match="already holds open deals"):
        pipeline.adopt(actor=None, stages=SALESFORCE, source="Salesforce")
    assert pipeline.is_default()
