from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "accountable.crm"
    label = "crm"
