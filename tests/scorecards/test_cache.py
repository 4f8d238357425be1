"""The board's answers are reused, and never once the data under them changed."""

from datetime import date

import pytest
from django.core.cache import cache

from accountable.goals.services import target_set
from accountable.imports.models import ImportRun
from accountable.org.calendar import Kind
from accountable.org.services import organisation_get
from accountable.scorecards import selectors
from accountable.scorecards.cache import cached, fingerprint
from tests.crm.factories import ensure_pipeline

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 8, 17)


def import_calls(org, prefix: str, count: int, when: str = "2026-08-11T10:00"):
    """Import `count` calls of the rep through the import pipeline (as any write would)."""
    from accountable.imports.pipeline import import_rows

    return import_rows(
        kind="activities",
        rows=[
            {
                "external_id": f"{prefix}{n}",
                "owner_email": org.rep.email,
                "kind": "call",
                "occurred_at": when,
            }
            for n in range(count)
        ],
        actor=org.admin,
        source=ImportRun.Source.CLI,
    )


def test_an_answer_is_reused_while_nothing_changes():
    calls = []

    def compute():
        calls.append(1)
        return "answer"

    assert cached("probe", ("a",), compute) == "answer"
    assert cached("probe", ("a",), compute) == "answer"
    assert len(calls) == 1
    assert cached("probe", ("b",), compute) == "answer"
    assert len(calls) == 2


def test_the_fingerprint_moves_with_a_target_a_team_move_and_an_import(org):
    ensure_pipeline()
    seen = {fingerprint()}
    period = organisation_get().calendar.period(Kind.QUARTER, AS_OF)
    target_set(
        actor=org.admin, owner=org.rep, metric="revenue", period_label=period.label, value="1000"
    )
    seen.add(fingerprint())
    result = import_calls(org, "A", 1, when="2026-08-10T10:00")
    assert result.applied
    seen.add(fingerprint())
    assert len(seen) == 3


def test_the_board_shows_new_data_at_once(org):
    ensure_pipeline()
    period = organisation_get().calendar.period(Kind.QUARTER, AS_OF)

    def calls() -> int:
        rows = selectors.scorecard_rows(org.manager, period=period, as_of=AS_OF)
        return sum(row.calls for row in rows)

    before = calls()
    assert calls() == before  # from the cache
    import_calls(org, "B", 3)
    assert calls() == before + 3
    cache.clear()
    assert calls() == before + 3


def test_the_board_page_is_kept_per_person_until_the_data_moves(client, org):
    from django.urls import reverse

    ensure_pipeline()
    client.force_login(org.manager)
    url = reverse("scorecards:board") + "?period=2026-Q3&as_of=2026-08-17"
    first = client.get(url)  # sets the CSRF cookie: from now on the page is kept
    assert first.status_code == 200
    kept = client.get(url).content
    assert client.get(url).content == kept  # served as kept
    import_calls(org, "K", 7)
    fresh = client.get(url).content
    assert fresh != kept  # new data, new page
    other = client.get(url.replace("2026-08-17", "2026-08-16")).content
    assert other != fresh  # another URL, its own page
    client.force_login(org.north_boss)
    assert client.get(url).content != fresh  # another person, their own page
