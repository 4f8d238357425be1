"""The standard opportunity stages of the CRMs whose exports Accountable reads, with the
probability each CRM gives them by default: an export names its deals' stages so, and
they are read onto the organisation's own pipeline (`names.stages`).

Salesforce: the standard values of the Opportunity Stage picklist and their default
probabilities. HubSpot: the stages of the default sales pipeline, by label (a CSV
export) and by internal name (the API), with their default win probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN, WON, LOST = "open", "won", "lost"


@dataclass(frozen=True)
class CrmStage:
    crm: str
    label: str
    probability: int  # percent, the CRM's default
    outcome: str = OPEN
    internal: str = ""  # the API's name, when it differs from the label


STANDARD: tuple[CrmStage, ...] = (
    CrmStage("Salesforce", "Prospecting", 10),
    CrmStage("Salesforce", "Qualification", 10),
    CrmStage("Salesforce", "Needs Analysis", 20),
    CrmStage("Salesforce", "Value Proposition", 50),
    CrmStage("Salesforce", "Id. Decision Makers", 60),
    CrmStage("Salesforce", "Perception Analysis", 70),
    CrmStage("Salesforce", "Proposal/Price Quote", 75),
    CrmStage("Salesforce", "Negotiation/Review", 90),
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


def nearest(stages: list, probability: int):
    """The open stage whose probability is nearest (the earlier one on a tie), or None."""
    ordered = sorted(stages, key=lambda s: s.order)
    return min(ordered, key=lambda s: abs(s.probability - probability), default=None)
