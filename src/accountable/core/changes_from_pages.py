"""A change POSTed from a record's own page, done the one way every app does it: the
change is tried, the page says what it did or why it was refused, and the browser goes
back to the record's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect


def change_then_back(
    request,
    record: Any,
    change: Callable[[Any], str],
    *,
    refusals: tuple[type[Exception], ...],
    to: str,
) -> HttpResponseRedirect:
    """`change(record)` returns what it did in words; a refusal (one of `refusals`, each
    a domain error with a plain message, or PermissionDenied) changes nothing and is shown
    as an error. Back to the page named `to` of the record."""
    try:
        said = change(record)
    except (*refusals, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, said)
    return redirect(to, pk=record.pk)
