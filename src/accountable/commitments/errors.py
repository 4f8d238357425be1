"""What goes wrong with a commitment, said in plain words."""

from __future__ import annotations


class CommitmentError(ValueError):
    """A commitment change that cannot be made; the message says why, in plain words.
    Nothing has been written when it is raised."""
