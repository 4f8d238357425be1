from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "accountable.imports"
    label = "imports"
