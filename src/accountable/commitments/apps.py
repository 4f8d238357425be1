from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "accountable.commitments"
    label = "commitments"

    def ready(self) -> None:
        from accountable.commitments.tasks import commitments_follow
        from accountable.core import changes

        # Data that arrives late for days a commitment covered judges it again.
        changes.listen("commitments", commitments_follow)
