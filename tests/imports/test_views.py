"""The wizard through the test client: upload → columns → preview → map names → apply."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountable.crm.models import Deal, Stage
from accountable.imports.models import ImportRun, SavedMapping
from tests.imports.conftest import deals_csv

pytestmark = pytest.mark.django_db

ROWS = [
    "D-1,Acme renewal,Acme Corporation,rep@acme.test,GTX Pro,4821,renewal,Won,,2026-01-05,2026-03-01,",  # noqa: E501 - one whole CSV line
    "D-2,Globex pilot,Globex,Moses Frase,GTXPro,1200,,Proposal,,2026-02-01,2026-06-30,",
]


def upload(client, text, kind="deals", preset="generic", name="deals.csv", **extra):
    data = {
        "kind": kind,
        "preset": preset,
        "file": SimpleUploadedFile(name, text.encode()),
        **extra,
    }
    return client.post(reverse("imports:new"), data)


def then(client, response, run) -> str:
    """Each step is queued for the background worker: the wizard shows it working, then
    moves on by itself. Returns where it went (here the step ran as it was queued)."""
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("imports:working", args=[run.pk]))
    done = client.get(response["Location"])
    assert done.status_code == 302
    return done["Location"]


def test_the_whole_wizard(client, org, catalogue):
    client.force_login(org.manager)
    response = upload(client, deals_csv(*ROWS))
    run = ImportRun.objects.get()
    assert then(client, response, run) == reverse("imports:columns", args=[run.pk])
    run.refresh_from_db()
    assert run.status == "uploaded" and run.created_by == org.manager

    page = client.get(reverse("imports:columns", args=[run.pk]))
    assert b"Match the columns" in page.content
    assert b"owner_email (e.g. rep@acme.test)" in page.content

    columns = {name: name for name in run.mapping["columns"]}
    response = client.post(
        reverse("imports:columns", args=[run.pk]), {**columns, "save_as": "Our CRM"}
    )
    assert then(client, response, run) == reverse("imports:preview", args=[run.pk])
    assert SavedMapping.objects.get(name="Our CRM").columns["owner_email"] == "owner_email"

    preview = client.get(reverse("imports:preview", args=[run.pk])).content.decode()
    assert "Unknown names" in preview and "Moses Frase" in preview
    assert re.search(r"<td class=\"num\">3</td><td>Unknown owner &quot;Moses Frase&quot;", preview)
    assert "Apply the import" not in preview

    # Map the unknown owner to Rob Rep, and preview again.
    field = re.search(r'<select name="(n\d+)"[^>]*>\s*<option value="" selected>— leave', preview)[
        1
    ]
    response = client.post(reverse("imports:preview", args=[run.pk]), {field: "rep2@acme.test"})
    assert then(client, response, run) == reverse("imports:preview", args=[run.pk])
    run.refresh_from_db()
    assert run.mapping["names"] == {"owner": {"Moses Frase": "rep2@acme.test"}}
    preview = client.get(reverse("imports:preview", args=[run.pk])).content.decode()
    assert "Apply the import" in preview
    assert "&quot;GTXPro&quot; matched product &quot;GTX Pro&quot; (1 row)" in preview

    response = client.post(reverse("imports:apply", args=[run.pk]))
    assert then(client, response, run) == reverse("imports:run", args=[run.pk])
    assert Deal.objects.get(external_id="D-2").owner == org.rep2
    report = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "Imported. Every row was applied." in report
    assert "Applied" in report

    # An applied run is no longer in the wizard.
    assert client.get(reverse("imports:preview", args=[run.pk])).status_code == 404
    assert client.post(reverse("imports:apply", args=[run.pk])).status_code == 404


def test_applying_a_file_with_rejects_applies_nothing_and_offers_the_rows(client, org, catalogue):
    client.force_login(org.admin)
    upload(client, deals_csv(ROWS[0], ROWS[0].replace("4821", "-1")))
    run = ImportRun.objects.get()
    client.post(reverse("imports:columns", args=[run.pk]), {n: n for n in run.mapping["columns"]})
    response = client.post(reverse("imports:apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == "rejected" and Deal.objects.count() == 0
    report = client.get(then(client, response, run)).content.decode()
    assert "Nothing was imported: 1 row was rejected." in report
    download = client.get(reverse("imports:rejects", args=[run.pk]))
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("line,reason,external_id")
    assert body.splitlines()[1].startswith('3,"amount ""-1"" is negative",D-1,')


def test_a_manager_cannot_choose_people(client, org, catalogue):
    client.force_login(org.manager)
    page = client.get(reverse("imports:new")).content.decode()
    assert 'value="people"' not in page and 'value="deals"' in page
    response = upload(client, "email,name\nx@acme.test,X\n", kind="people")
    assert response.status_code == 200
    assert (
        "Select a valid choice. people is not one of the available choices."
        in response.content.decode()
    )


def test_an_unreadable_upload_says_why(client, org):
    client.force_login(org.admin)
    response = upload(client, "", name="empty.csv")
    report = client.get(then(client, response, ImportRun.objects.get()))
    assert "The file empty.csv is empty (0 bytes)." in report.content.decode()
    assert ImportRun.objects.get().status == "failed"


def test_a_preset_without_the_kind_is_refused(client, org):
    client.force_login(org.admin)
    response = upload(client, deals_csv(*ROWS), kind="targets", preset="hubspot")
    assert "This preset has no layout for targets" in response.content.decode()


def test_missing_required_columns_are_asked_for(client, org, catalogue):
    client.force_login(org.admin)
    upload(client, "id,who\n1,rep@acme.test\n")
    run = ImportRun.objects.get()
    response = client.post(reverse("imports:columns", args=[run.pk]), {"external_id": "id"})
    assert response.status_code == 200
    assert response.content.decode().count("Required: choose the column that holds it.") == 2


def test_a_saved_mapping_is_used_for_the_next_upload(client, org, catalogue):
    SavedMapping.objects.create(
        name="Pipedrive",
        kind="deals",
        columns={"external_id": "Deal - ID", "owner_email": "Deal - Owner"},
    )
    client.force_login(org.admin)
    mapping = SavedMapping.objects.get()
    upload(client, "Deal - ID,Deal - Owner\n1,rep@acme.test\n", saved_mapping=mapping.pk)
    run = ImportRun.objects.get()
    assert run.mapping["columns"] == {"external_id": "Deal - ID", "owner_email": "Deal - Owner"}


def test_templates_download(client, org):
    client.force_login(org.manager)
    response = client.get(reverse("imports:template", args=["activities"]))
    assert response["Content-Disposition"] == 'attachment; filename="activities.csv"'
    assert response.content.decode().startswith("external_id,owner_email,kind,channel,outcome")


def test_history_lists_runs_the_viewer_may_see(client, org):
    mine = ImportRun.objects.create(
        kind="deals",
        source="upload",
        status="applied",
        created_by=org.manager,
        file_name="mine.csv",
    )
    ImportRun.objects.create(
        kind="deals",
        source="upload",
        status="applied",
        created_by=org.other_manager,
        file_name="theirs.csv",
    )
    client.force_login(org.manager)
    page = client.get(reverse("imports:list")).content.decode()
    assert "mine.csv" in page and "theirs.csv" not in page
    assert reverse("imports:run", args=[mine.pk]) in page
    client.force_login(org.admin)
    page = client.get(reverse("imports:list")).content.decode()
    assert "mine.csv" in page and "theirs.csv" in page
    assert 'href="/imports/" aria-current="page"' in page


SALESFORCE_DEALS = """\
Opportunity ID,Opportunity Name,Account Name,Opportunity Owner,Amount,Stage,Created Date,Close Date
0071,Granite renewal,Acme Corporation,Rita Rep,1200,Needs Analysis,3/2/2026,
0072,Granite spares,Acme Corporation,Rita Rep,900,Closed Won,1/2/2026,1/30/2026
"""


def test_the_preview_offers_the_crms_stages_to_an_admin_and_applying_adopts_them(
    client, org, catalogue
):
    client.force_login(org.admin)
    response = upload(client, SALESFORCE_DEALS, preset="salesforce", name="sf.csv")
    run = ImportRun.objects.get()
    then(client, response, run)
    response = client.post(
        reverse("imports:columns", args=[run.pk]),
        {k: v for k, v in run.mapping["columns"].items() if v},
    )
    assert then(client, response, run) == reverse("imports:preview", args=[run.pk])
    preview = client.get(reverse("imports:preview", args=[run.pk])).content.decode()
    assert "Use Salesforce's stages" in preview and "Needs Analysis · 20 %" in preview
    assert "read as &quot;Engaging&quot;, the nearest by probability" in preview

    response = client.post(reverse("imports:stages", args=[run.pk]), {"adopt": "yes"})
    assert then(client, response, run) == reverse("imports:preview", args=[run.pk])
    preview = client.get(reverse("imports:preview", args=[run.pk])).content.decode()
    assert "Applying this import makes Salesforce's stages" in preview
    assert "The pipeline&#x27;s open stages are now Salesforce&#x27;s" in preview
    assert not Stage.objects.filter(name="Needs Analysis").exists()  # a preview changes nothing

    response = client.post(reverse("imports:apply", args=[run.pk]))
    then(client, response, run)
    assert Deal.objects.get(external_id="0071").stage.name == "Needs Analysis"
    assert Stage.objects.filter(name="Prospecting", is_won=False).exists()  # Salesforce's own


def test_a_manager_is_not_offered_the_crms_stages(client, org, catalogue):
    client.force_login(org.manager)
    response = upload(client, SALESFORCE_DEALS, preset="salesforce", name="sf.csv")
    run = ImportRun.objects.get()
    then(client, response, run)
    client.post(
        reverse("imports:columns", args=[run.pk]),
        {k: v for k, v in run.mapping["columns"].items() if v},
    )
    preview = client.get(reverse("imports:preview", args=[run.pk])).content.decode()
    assert "Use Salesforce" not in preview
    refused = client.post(reverse("imports:stages", args=[run.pk]), {"adopt": "yes"}, follow=True)
    assert "cannot adopt a CRM&#x27;s stages" in refused.content.decode()
    run.refresh_from_db()
    assert not run.mapping.get("adopt_stages")
