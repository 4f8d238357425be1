"""The one error the demo generator raises: it says what is wrong and what to do."""

from __future__ import annotations

__all__ = ["DemoError"]


class DemoError(ValueError):
    """The demo cannot be generated; the message says why and what to do."""
