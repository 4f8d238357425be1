from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "accountable.signals"
    label = "signals"
    verbose_name = "Warnings, diagnosis and the three rights"

    def ready(self) -> None:
        from accountable.core import changes
        from accountable.signals.tasks import signals_follow

        changes.listen("signals.engine", signals_follow)
