"""What goes wrong with a performance review, said in plain words."""

from __future__ import annotations


class ReviewError(ValueError):
    """A change that cannot be made as given; the message says why. Nothing has been
    written when it is raised."""
