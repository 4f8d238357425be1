"""Template helpers for the signals partials the board and the scorecard include."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def signals_for(by_person: Mapping[int, Any] | None, person_id: Any) -> Any:
    """One person's entry of `board_signals(...)`, by id, for a partial's context::

        {% include "signals/_board_rights.html"
           with signals=board_signals|signals_for:row.person_id %}

    (on one line in a template). None when the person is not in it: the partials
    then show a dash."""
    if not by_person:
        return None
    try:
        return by_person.get(int(person_id))
    except (TypeError, ValueError):
        return None
