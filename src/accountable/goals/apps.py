from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "accountable.goals"
    label = "goals"
