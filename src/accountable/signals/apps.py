from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "accountable.signals"
    label = "signals"
    verbose_name = "Warnings, diagnosis and the three rights"
