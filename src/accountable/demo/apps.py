from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "accountable.demo"
    label = "demo"
