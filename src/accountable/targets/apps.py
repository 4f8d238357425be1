from django.apps import AppConfig


class TargetsConfig(AppConfig):
    """The metric catalogue and the targets (quotas) set on its metrics: what the
    scorecards measure against. Below the scorecards, which read them; the goals app
    above them sets, splits, allocates and suggests them from the figures."""

    name = "accountable.targets"
    label = "targets"
