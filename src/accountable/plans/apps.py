from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "accountable.plans"
    label = "plans"
