"""The audit trail records imports, bulk calls and writes with API tokens; admins filter
and download it."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from accountable.audit.models import AuditEntry
from accountable.imports.pipeline import import_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def deal(external_id, owner):
    return {
        "external_id": external_id,
        "owner_email": owner.email,
        "stage": "Proposal",
        "created_date": "2026-07-01",
        "close_date": "2026-09-30",
    }


def test_applied_and_rejected_imports_are_audited_and_dry_runs_are_not(org):
    import_rows(kind="deals", rows=[deal("D1", org.rep)], actor=org.manager, source="api")
    import_rows(kind="deals", rows=[deal("D2", org.other_rep)], actor=org.manager, source="api")
    import_rows(
        kind="deals", rows=[deal("D3", org.rep)], actor=org.manager, source="api", dry_run=True
    )
    entries = list(AuditEntry.objects.filter(action__startswith="import.").order_by("id"))
    assert [e.action for e in entries] == ["import.applied", "import.rejected"]
    assert all(e.actor == org.manager for e in entries)
    assert entries[0].after == {
        "kind": "deals",
        "source": "api",
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert entries[1].after["rejected"] == 1


def test_a_write_with_a_token_is_audited_and_a_read_is_not(client, org):
    from accountable.tokens.services import token_create

    _, secret = token_create(actor=org.manager, name="crm sync", scopes=["read", "write"])
    headers = {"Authorization": f"Bearer {secret}"}
    client.get(reverse("api:deals"), headers=headers)
    assert not AuditEntry.objects.filter(action="api_token.write").exists()
    client.post(
        reverse("api:bulk_deals"),
        {"rows": [deal("D1", org.rep)]},
        content_type="application/json",
        headers=headers,
    )
    entry = AuditEntry.objects.get(action="api_token.write")
    assert entry.actor == org.manager and entry.after == {"call": "POST /api/v1/deals/bulk"}
    assert "crm sync" in entry.object_repr


def test_admins_filter_and_download_the_trail(client, org):
    import_rows(kind="deals", rows=[deal("D1", org.rep)], actor=org.manager, source="api")
    import_rows(kind="deals", rows=[deal("D2", org.rep)], actor=org.admin, source="api")
    client.force_login(org.admin)
    page = client.get(reverse("audit:list"), {"action": "import", "actor": "manager@"})
    assert page.status_code == 200
    assert [e.actor for e in page.context["page"]] == [org.manager]
    download = client.get(reverse("audit:export"), {"action": "import"})
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert {row["actor"] for row in rows} == {org.manager.email, org.admin.email}
    assert {row["action"] for row in rows} == {"import.applied"}
    assert {row["field"] for row in rows} >= {"kind", "created"}
