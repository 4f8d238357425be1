"""What goes wrong with a plan, said in plain words."""

from __future__ import annotations


class PlanError(ValueError):
    """A plan change that cannot be made; the message says why, in plain words. Nothing
    has been written when it is raised."""
