"""The scorecard API: the same rows as the CLI and the pages, scoped to the caller."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accountable.tokens.services import token_create
from tests.scorecards.permission_cases_api import API_CASES
from tests.test_permissions import ROLES

pytestmark = pytest.mark.django_db


def bearer(person) -> dict[str, str]:
    _, secret = token_create(actor=person, name="test", scopes=["read"])
    return {"Authorization": f"Bearer {secret}"}


def test_rows_for_a_manager_with_a_token(client, sales):
    response = client.get(
        reverse("api:scorecards"),
        {"period": "2026-Q3", "as_of": "2026-08-17"},
        headers=bearer(sales.manager),
    )
    assert response.status_code == 200
    rows = response.json()
    assert [r["person"] for r in rows] == ["rep@acme.test", "rep2@acme.test"]
    assert rows[0]["won_amount"] == "3000.00"
    assert rows[0]["win_rate"] == pytest.approx(0.6667)
    assert rows[0]["as_of"] == "2026-08-17"


def test_a_rep_gets_their_own_row_only(client, sales):
    client.force_login(sales.rep)
    rows = client.get(reverse("api:scorecards"), {"period": "2026-Q3"}).json()
    assert [r["person"] for r in rows] == ["rep@acme.test"]


def test_team_rollup(client, sales):
    client.force_login(sales.executive)
    response = client.get(
        reverse("api:scorecard_teams"), {"period": "2026-Q3", "as_of": "2026-08-17"}
    )
    teams = {t["team"]: t for t in response.json()}
    assert teams["Acme"]["won_amount"] == "15000.00"
    assert teams["North Field"]["people"] == 2  # the reps


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "2026-Q5"}, "quarters run Q1 to Q4"),
        ({"period": "2026-Q3", "as_of": "17/08/2026"}, "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_a_plain_400(client, org, query, message):
    client.force_login(org.manager)
    response = client.get(reverse("api:scorecards"), query)
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize(
    ("name", "index", "role"),
    [(n, i, r) for n, cases in API_CASES.items() for i in range(len(cases)) for r in ROLES],
)
def test_permission_cases(client, org, name, index, role):
    """The API rows of the permission matrix, run here too until the matrix merges them."""
    case = API_CASES[name][index]
    if role != "anonymous":
        client.force_login(org.by_role()[role])
    response = client.get(case.path(org))
    assert response.status_code == case.expect[role], (role, case.path(org))
