from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "accountable.bench"
    label = "bench"
