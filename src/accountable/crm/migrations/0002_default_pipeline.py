"""The default pipeline: stages with probabilities, forecast categories and checklists.

Admins change it later; the names match the common CRM exports (and the
Prospecting/Engaging/Won/Lost stages of the CRM Sales Opportunities data set).
"""

from django.db import migrations

STAGES = [
    # name, order, probability, forecast category, won, lost, milestones
    ("Prospecting", 1, 10, "pipeline", False, False, ["Contact identified", "Need discussed"]),
    ("Engaging", 2, 25, "pipeline", False, False, ["Decision maker identified", "Need confirmed"]),
    ("Proposal", 3, 50, "best_case", False, False, ["Budget confirmed", "Proposal sent"]),
    ("Negotiation", 4, 75, "commit", False, False, ["Decision process agreed", "Terms agreed"]),
    ("Won", 5, 100, "closed", True, False, []),
    ("Lost", 6, 0, "closed", False, True, []),
]


def create_pipeline(apps, schema_editor):
    Stage = apps.get_model("crm", "Stage")
    Milestone = apps.get_model("crm", "Milestone")
    if Stage.objects.exists():
        return
    for name, order, probability, category, won, lost, milestones in STAGES:
        stage = Stage.objects.create(
            name=name,
            key=name.lower(),
            order=order,
            probability=probability,
            forecast_category=category,
            is_won=won,
            is_lost=lost,
        )
        for index, milestone in enumerate(milestones, start=1):
            Milestone.objects.create(stage=stage, name=milestone, order=index)


def remove_pipeline(apps, schema_editor):
    apps.get_model("crm", "Stage").objects.filter(deals__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]

    operations = [migrations.RunPython(create_pipeline, remove_pipeline)]
