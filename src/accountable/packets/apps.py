from django.apps import AppConfig


class PacketsConfig(AppConfig):
    name = "accountable.packets"
    label = "packets"
