"""What goes wrong with a forecast, said in plain words."""

from __future__ import annotations


class ForecastError(ValueError):
    """A forecast that cannot be submitted or adjusted as given; the message says why.
    Nothing has been written when it is raised."""
