from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "accountable.org"
    label = "org"
