from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "accountable.scorecards"
    label = "scorecards"
