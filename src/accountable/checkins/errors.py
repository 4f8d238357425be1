"""What goes wrong with a check-in or an action item, said in plain words."""

from __future__ import annotations


class CheckinError(ValueError):
    """A change that cannot be made as given; the message says why. Nothing has been
    written when it is raised."""
