from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "accountable.org"
    label = "org"

    def ready(self) -> None:
        from django_tasks.signals import task_started

        from accountable.core.backup import restored
        from accountable.org.zone import task_started as zone_for_task
        from accountable.org.zone import zone_forget

        task_started.connect(zone_for_task, dispatch_uid="organisation-zone-for-tasks")
        restored.connect(zone_forget, dispatch_uid="organisation-zone-after-restore")
