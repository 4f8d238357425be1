"""The CRM Sales Opportunities data set (shared/data), imported whole: every deal, every
flaw reported, and a second run that changes nothing."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from accountable.crm.models import Account, Deal, DealStageChange, Product
from accountable.imports.errors import ImportFileError
from accountable.imports.pipeline import import_file, import_maven
from accountable.org.models import Person, Role, Team, TeamKind
from tests.imports.conftest import MAVEN_DIR

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not MAVEN_DIR.is_dir(), reason=f"no data set at {MAVEN_DIR}"),
]

FLAWS = [
    "accounts.csv: columns not imported: year_established, revenue",
    "5 sales agents have no deals: Mei-Mei Johns, Elizabeth Anderson, Natalya Ivanova, "
    "Carol Thompson, Carl Lin",
    "sales_teams.csv has no e-mail addresses: made up firstname.lastname@maven.example (41 people)",
    "sales_teams.csv has no start dates: set to 2016-10-20, the first date in "
    "sales_pipeline.csv (41 people)",
    'accounts.csv: sector "technolgy" read as "technology" (12 rows)',
    'accounts.csv: country "Philipines" read as "Philippines" (1 row)',
    "The data set has no deal type: deals are stored as new business (8,800 rows)",
    '"GTXPro" matched product "GTX Pro" (1,480 rows)',
    "Open deals have no close_value: amount set to the product's list price (sales_price) "
    "(2,089 rows)",
    "Open deals have no expected close date (2,089 rows)",
    "Open deals have no account (1,425 rows)",
    "Lost deals have close_value 0: amount set to the product's list price (sales_price) "
    "(2,473 rows)",
    "Prospecting deals have no date at all: created date set to 2017-12-31, the last date in "
    "sales_pipeline.csv (500 rows)",
]


def import_json(capsys, *extra: str) -> dict:
    call_command("import", "maven", str(MAVEN_DIR), "--format", "json", *extra)
    out = capsys.readouterr().out.strip()
    assert out.count("\n") == 0, "exactly one JSON object on stdout"
    return json.loads(out)


def test_the_whole_data_set_imports_and_a_second_run_changes_nothing(capsys):
    first = import_json(capsys)
    assert (first["created"], first["updated"], first["unchanged"], first["rejected"]) == (
        41 + 85 + 7 + 8800,
        0,
        0,
        0,
    )
    assert first["rejected_file"] is None
    for flaw in FLAWS:
        assert flaw in first["warnings"]

    assert Deal.objects.count() == 8800
    assert Deal.objects.filter(status="won").count() == 4238
    assert Deal.objects.filter(status="lost").count() == 2473
    assert Deal.objects.filter(status="open").count() == 2089
    assert DealStageChange.objects.count() == 8800

    history = {
        model: model.objects.count() for model in (Deal, DealStageChange, Account, Person, Team)
    }
    second = import_json(capsys)
    assert (second["created"], second["updated"], second["unchanged"], second["rejected"]) == (
        0,
        0,
        8933,
        0,
    )
    assert {model: model.objects.count() for model in history} == history


def test_what_the_import_made_of_each_flaw():
    result = import_maven(folder=MAVEN_DIR, actor=None, source="cli")
    assert result.applied

    won = Deal.objects.get(external_id="1C1I7A6R")  # Won, GTX Plus Basic, close_value 1054
    assert (won.amount, won.created_on, won.engaged_on, won.closed_on) == (
        Decimal("1054.00"),
        date(2016, 10, 20),
        date(2016, 10, 20),
        date(2017, 3, 1),
    )
    assert won.owner.email == "moses.frase@maven.example"
    gtx_pro = Product.objects.get(name="GTX Pro")
    assert Deal.objects.filter(product=gtx_pro).count() == 1480  # all spelt "GTXPro"
    lost = Deal.objects.filter(status="lost").select_related("product").first()
    assert lost.amount == lost.product.list_price  # list price, not the 0 in the file
    prospecting = Deal.objects.filter(stage__name="Prospecting")
    assert prospecting.count() == 500
    assert set(prospecting.values_list("created_on", flat=True)) == {date(2017, 12, 31)}
    assert Deal.objects.filter(status="open", account__isnull=True).count() == 1425

    assert Account.objects.filter(sector="technolgy").count() == 0
    assert Account.objects.filter(sector="technology").count() == 12
    assert Account.objects.filter(parent__isnull=False).count() == 15

    central = Team.objects.get(name="Central")
    dustin = Person.objects.get(email="dustin.brinkmann@maven.example")
    team = Team.objects.get(name="Central — Dustin Brinkmann")
    assert (central.kind, team.parent, dustin.role, dustin.team) == (
        TeamKind.REGION,
        central,
        Role.MANAGER,
        team,
    )
    assert list(team.managers.all()) == [dustin]
    assert team.members.filter(role=Role.REP).count() == 5
    assert Person.objects.get(email="mei-mei.johns@maven.example").start_date == date(2016, 10, 20)


def test_a_dry_run_of_the_data_set_changes_nothing(capsys):
    summary = import_json(capsys, "--dry-run")
    assert summary["created"] == 8933
    assert Deal.objects.count() == Person.objects.count() == 0


def test_each_file_can_be_imported_on_its_own_with_the_preset():
    def one(kind, name):
        path = MAVEN_DIR / name
        return import_file(kind=kind, path=path, actor=None, source="cli", preset="maven")

    people = one("people", "sales_teams.csv")
    assert people.summary["created"] == 41
    assert (
        "sales_teams.csv has no start dates: new people start today (import the whole folder "
        "to start them on the data set's first date) (41 people)"
    ) in people.summary["warnings"]
    assert one("accounts", "accounts.csv").summary["created"] == 85
    assert one("products", "products.csv").summary["created"] == 7
    deals = one("deals", "sales_pipeline.csv")
    assert deals.summary["created"] == 8800
    assert set(FLAWS[6:]) <= set(deals.summary["warnings"])


def test_a_folder_without_the_layout_is_refused(tmp_path):
    with pytest.raises(ImportFileError, match=r"lacks sales_teams\.csv, accounts\.csv"):
        import_maven(folder=tmp_path, actor=None, source="cli")
