from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "accountable.audit"
    label = "audit"
