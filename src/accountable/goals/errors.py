"""What goes wrong with a target or a goal, said in plain words."""

from __future__ import annotations


class GoalsError(ValueError):
    """A target or goal change that cannot be made; the message says why, in plain words."""


class NotAllowed(GoalsError):
    """The actor's role does not let them make this change."""


class SmartFailed(GoalsError):
    """The goal fails the SMART check and no override (with a reason) was given."""

    def __init__(self, message: str, results: list) -> None:
        super().__init__(message)
        self.results = results
