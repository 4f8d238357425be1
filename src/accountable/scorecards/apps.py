from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "accountable.scorecards"
    label = "scorecards"

    def ready(self) -> None:
        from accountable.core import changes
        from accountable.scorecards.tasks import rollups_follow

        changes.listen("scorecards.rollups", rollups_follow)
