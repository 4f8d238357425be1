"""The standard opportunity stages of the CRMs whose exports Accountable reads, with the
probability each CRM gives them by default: an export names its deals' stages so, and
they are read onto the organisation's own pipeline (`names.stages`), or adopted as it
(`adopt`: an organisation whose pipeline is still the default takes the CRM's open
stages in one step).

Salesforce: the standard values of the Opportunity Stage picklist with their default
probabilities and forecast categories (every open stage counts as Pipeline there; an
admin moves late stages to Best Case or Commit under Settings → Pipeline). HubSpot: the
stages of the default sales pipeline, by label (a CSV export) and by internal name (the
API), with their default win probabilities; HubSpot sets forecast categories per deal,
not per stage, so each stage gets the category of its probability
(`crm.pipeline.category_for`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accountable.crm import pipeline
from accountable.crm.errors import CrmError
from accountable.crm.models import ForecastCategory, Stage
from accountable.crm.names import name_key
from accountable.org.models import Person

OPEN, WON, LOST = "open", "won", "lost"
PIPELINE = ForecastCategory.PIPELINE


@dataclass(frozen=True)
class CrmStage:
    crm: str
    label: str
    probability: int  # percent, the CRM's default
    outcome: str = OPEN
    internal: str = ""  # the API's name, when it differs from the label
    category: str = ""  # the CRM's forecast category; blank: by the probability


STANDARD: tuple[CrmStage, ...] = (
    CrmStage("Salesforce", "Prospecting", 10, category=PIPELINE),
    CrmStage("Salesforce", "Qualification", 10, category=PIPELINE),
    CrmStage("Salesforce", "Needs Analysis", 20, category=PIPELINE),
    CrmStage("Salesforce", "Value Proposition", 50, category=PIPELINE),
    CrmStage("Salesforce", "Id. Decision Makers", 60, category=PIPELINE),
    CrmStage("Salesforce", "Perception Analysis", 70, category=PIPELINE),
    CrmStage("Salesforce", "Proposal/Price Quote", 75, category=PIPELINE),
    CrmStage("Salesforce", "Negotiation/Review", 90, category=PIPELINE),
    CrmStage("Salesforce", "Closed Won", 100, WON),
    CrmStage("Salesforce", "Closed Lost", 0, LOST),
    CrmStage("HubSpot", "Appointment Scheduled", 20, internal="appointmentscheduled"),
    CrmStage("HubSpot", "Qualified To Buy", 40, internal="qualifiedtobuy"),
    CrmStage("HubSpot", "Presentation Scheduled", 60, internal="presentationscheduled"),
    CrmStage("HubSpot", "Decision Maker Bought-In", 80, internal="decisionmakerboughtin"),
    CrmStage("HubSpot", "Contract Sent", 90, internal="contractsent"),
    CrmStage("HubSpot", "Closed Won", 100, WON, internal="closedwon"),
    CrmStage("HubSpot", "Closed Lost", 0, LOST, internal="closedlost"),
)


# The CRM each preset reads the exports of.
CRM_OF_PRESET = {"salesforce": "Salesforce", "hubspot": "HubSpot"}


def open_stages(crm: str) -> list[pipeline.StageSpec]:
    """The CRM's standard open stages, in order, as stages to create."""
    return [
        pipeline.StageSpec(s.label, s.probability, s.category)
        for s in STANDARD
        if s.crm == crm and s.outcome == OPEN
    ]


def standard_probability(name: str) -> int | None:
    """The standard probability of a CRM's stage of this name (label or internal name)."""
    key = name_key(name)
    for standard in STANDARD:
        if key and key in (name_key(standard.label), name_key(standard.internal)):
            return standard.probability
    return None


def adopted(crm: str) -> bool:
    """Whether the pipeline's open stages are the CRM's standard ones already."""
    theirs = [name_key(spec.name) for spec in open_stages(crm)]
    ours = Stage.objects.filter(is_won=False, is_lost=False).order_by("order")
    return list(ours.values_list("key", flat=True)) == theirs


def adoptable(crm: str) -> bool:
    """Whether the pipeline may take the CRM's stages in one step now (`adopt`)."""
    return not adopted(crm) and pipeline.is_default() and not pipeline.holds_open_deals()


@transaction.atomic
def adopt(*, actor: Person | None, preset: str) -> list[Stage]:
    """Make the CRM's standard open stages the pipeline's (`crm.pipeline.adopt`); nothing
    to do when they are already. Raises CrmError (why not) or PermissionDenied."""
    crm = CRM_OF_PRESET.get(preset)
    if crm is None:
        known = ", ".join(CRM_OF_PRESET)
        raise CrmError(f'The "{preset}" preset has no CRM stages to adopt ({known} do).')
    if adopted(crm):
        return []
    return pipeline.adopt(actor=actor, stages=open_stages(crm), source=crm)


def nearest(stages: list, probability: int):
    """The open stage whose probability is nearest (the earlier one on a tie), or None."""
    ordered = sorted(stages, key=lambda s: s.order)
    return min(ordered, key=lambda s: abs(s.probability - probability), default=None)
