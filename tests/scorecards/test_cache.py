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
    from accountable.imports.pipeline import import_rows

    ensure_pipeline()
    seen = {fingerprint()}
    period = organisation_get().calendar.period(Kind.QUARTER, AS_OF)
    target_set(
        actor=org.admin, owner=org.rep, metric="revenue", period_label=period.label, value="1000"
    )
    seen.add(fingerprint())
    result = import_rows(
        kind="activities",
        rows=[
            {
                "external_id": "A1",
                "owner_email": org.rep.email,
                "kind": "call",
                "occurred_at": "2026-08-10T10:00",
            }
        ],
        actor=org.admin,
        source=ImportRun.Source.CLI,
    )
    assert result.applied
    seen.add(fingerprint())
    assert len(seen) == 3


def test_the_board_shows_new_data_at_once(org):
    from accountable.imports.pipeline import import_rows

    ensure_pipeline()
    period = organisation_get().calendar.period(Kind.QUARTER, AS_OF)

    def calls() -> int:
        rows = selectors.scorecard_rows(org.manager, period=period, as_of=AS_OF)
        return sum(row.calls for row in rows)

    before = calls()
    assert calls() == before  # from the cache
    import_rows(
        kind="activities",
        rows=[
            {
                "external_id": f"B{n}",
                "owner_email": org.rep.email,
                "kind": "call",
                "occurred_at": "2026-08-11T10:00",
            }
            for n in range(3)
        ],
        actor=org.admin,
        source=ImportRun.Source.CLI,
    )
    assert calls() == before + 3
    cache.clear()
    assert calls() == before + 3


def test_the_board_page_is_kept_per_person_until_the_data_moves(client, org):
    from django.urls import reverse

    from accountable.imports.pipeline import import_rows

    ensure_pipeline()
    client.force_login(org.manager)
    url = reverse("scorecards:board") + "?period=2026-Q3&as_of=2026-08-17"
    first = client.get(url)  # sets the CSRF cookie: from now on the page is kept
    assert first.status_code == 200
    kept = client.get(url).content
    assert client.get(url).content == kept  # served as kept
    import_rows(
        kind="activities",
        rows=[
            {
                "external_id": f"K{n}",
                "owner_email": org.rep.email,
                "kind": "call",
                "occurred_at": "2026-08-11T10:00",
            }
            for n in range(7)
        ],
        actor=org.admin,
        source=ImportRun.Source.CLI,
    )
    fresh = client.get(url).content
    assert fresh != kept  # new data, new page
    other = client.get(url.replace("2026-08-17", "2026-08-16")).content
    assert other != fresh  # another URL, its own page
    client.force_login(org.north_boss)
    assert client.get(url).content != fresh  # another person, their own page
