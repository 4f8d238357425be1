from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "accountable.checkins"
    label = "checkins"
