from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "accountable.org"
    label = "org"

    def ready(self) -> None:
        from django_tasks.signals import task_started

        from accountable.org.zone import task_started as zone_for_task

        task_started.connect(zone_for_task, dispatch_uid="organisation-zone-for-tasks")
