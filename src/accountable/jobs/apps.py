from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "accountable.jobs"
    label = "jobs"
