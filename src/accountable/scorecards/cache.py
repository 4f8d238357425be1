"""Answers of the board and roll-up kept until the data under them changes.

A manager opens the board many times a day; the numbers change only when data
comes in. So the selectors' answers are kept in the cache under a *fingerprint*
of everything they read — the rollups, deals and their history, splits,
targets, team membership and management, the scorecard weights — read with one
query of index-only lookups (the highest id of each append-only table; rollups
are deleted and inserted again on every refresh, so their highest id moves with
every change). Any write moves the fingerprint, and the next request computes
afresh: a cached answer is never stale, only reused. Writes that bypass the
services (a bulk `UPDATE` in a shell) are not seen; `accountable rollups
rebuild` moves the fingerprint after such repairs.

The cache is Django's (`CACHES`): per process with the default local-memory
backend, which is enough — each gunicorn worker warms its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accountable.audit.models import AuditEntry
from accountable.crm.models import Deal, DealChange, DealSplit, DealStageChange
from accountable.org.models import Organisation, PersonChange, Team
from accountable.scorecards.models import ActivityRollup, OutcomeRollup, RoleScorecard
from accountable.targets.models import Target

T = TypeVar("T")
TIMEOUT = 3600  # seconds; the fingerprint, not the timeout, keeps answers right

# (table, expression): each read through an index or a tiny table.
_PARTS = [
    (ActivityRollup, "MAX(id)"),
    (OutcomeRollup, "MAX(id)"),
    (Deal, "MAX(id)"),
    (DealStageChange, "MAX(id)"),
    (DealChange, "MAX(id)"),
    (DealSplit, "MAX(id)"),
    (Target, "MAX(id)"),
    (Target, "COUNT(*)"),
    (PersonChange, "MAX(id)"),
    (Team, "MAX(id)"),
    (RoleScorecard, "MAX(id)"),
    (RoleScorecard, "COUNT(*)"),
    # Settings, people, time off and imports change through audited services: the
    # trail moves with each.
    (AuditEntry, "MAX(id)"),
    (Organisation, "MAX(time_zone)"),
    (Organisation, "MAX(fiscal_year_start_month)"),
    (Organisation, "MAX(week_start_day)"),
    (Organisation, "MAX(CAST(working_days AS text))"),
]


# The fingerprint a kept page read, for the answers its view keeps in turn: one read a
# request. A write during the view only makes those answers kept under the older
# fingerprint, which the next request no longer asks for.
_READ: ContextVar[str | None] = ContextVar("scorecards_fingerprint", default=None)


def fingerprint() -> str:
    """A short string that changes whenever anything a scorecard reads changes."""
    read = _READ.get()
    if read is not None:
        return read
    managers = Team.managers.through
    parts = [*_PARTS, (managers, "COUNT(*)"), (managers, "MAX(id)")]
    # Our own table names and fixed expressions: nothing from outside goes in.
    selects = [f"(SELECT {expr} FROM {model._meta.db_table})" for model, expr in parts]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects))
        values = cursor.fetchone()
    return hashlib.blake2b(repr(values).encode(), digest_size=8).hexdigest()


def cached(name: str, key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`'s answer for `key`, reused while the fingerprint holds."""
    parts = "|".join(str(part) for part in key)
    cache_key = f"scorecards:{name}:{fingerprint()}:{parts}"
    answer = cache.get(cache_key)
    if answer is None:
        answer = compute()
        cache.set(cache_key, answer, TIMEOUT)
    return answer


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep the page a view renders, per person and browser, until the data moves.

    The board and the roll-up are opened again and again between imports; most of
    their time is drawing the same rows. The page is kept under the fingerprint, the
    person, their CSRF cookie (so its forms stay valid), the full URL and today's
    date (the default as-of day). Only plain successful GETs are kept: not CSV, not a
    page with a message to show, not a first visit without a CSRF cookie yet.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        if request.method != "GET" or not csrf or len(messages.get_messages(request)):
            return view(request, *args, **kwargs)
        parts = (request.user.pk, csrf, request.get_full_path(), timezone.localdate())
        digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
        stamp = fingerprint()
        key = f"scorecards:page:{view.__name__}:{stamp}:{digest}"
        kept = cache.get(key)
        if kept is not None:
            return HttpResponse(kept, content_type="text/html; charset=utf-8")
        token = _READ.set(stamp)
        try:
            response = view(request, *args, **kwargs)
        finally:
            _READ.reset(token)
        html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code == 200 and html and not response.cookies:
            cache.set(key, response.content, TIMEOUT)
        return response

    return wrapped
