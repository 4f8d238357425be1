"""Names in a file → records: exact, near (warned), unknown (rejected, listed, mappable)."""

from __future__ import annotations

import pytest

from accountable.crm.models import Account, Deal, Product
from accountable.imports.pipeline import import_rows
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def deal(external_id="D-1", **fields):
    row = {
        "external_id": external_id,
        "owner_email": "rep@acme.test",
        "stage": "Proposal",
        "amount": "100",
        "created_date": "2026-01-05",
    }
    return {**row, **fields}


def run(rows, names=None, actor=None):
    return import_rows(kind="deals", rows=rows, actor=actor, source="api", names=names)


def test_names_differing_in_case_spacing_or_punctuation_match_with_a_warning(org, catalogue):
    rows = [
        deal("D-1", product="GTXPro", account="ACME corporation"),
        deal("D-2", product="gtx-pro", account="Acme Corporation"),
        deal("D-3", product="GTX Pro", owner_email="RITA REP"),
    ]
    result = run(rows)
    assert result.summary["rejected"] == 0
    assert Deal.objects.filter(product=catalogue["gtx"]).count() == 3
    assert Deal.objects.filter(account=catalogue["acme"]).count() == 2
    assert Deal.objects.get(external_id="D-3").owner == org.rep
    assert result.summary["warnings"] == [
        '"GTXPro" matched product "GTX Pro" (1 row)',
        '"gtx-pro" matched product "GTX Pro" (1 row)',
    ]


def test_unknown_names_are_rejected_listed_and_say_how_to_map_them(org, catalogue):
    rows = [
        deal("D-1", owner_email="Moses Frase", product="Hoverboard", account="Initech"),
        deal("D-2", owner_email="Moses Frase", product="Hoverboard", account="Initech"),
    ]
    result = run(rows)
    assert result.summary["rejected"] == 2
    # Every unknown name of a row is reported at once, so all can be mapped in one go.
    assert result.unknown_names == {
        "owner": ["Moses Frase"],
        "account": ["Initech"],
        "product": ["Hoverboard"],
    }
    assert result.rejects[0].reason == (
        'Unknown owner "Moses Frase": add them as a person first, or map the name to a '
        "person's e-mail (names → owner); "
        'Unknown account "Initech": map it to an existing account or to "+create" to '
        "create it (names → account); "
        'Unknown product "Hoverboard": map it to an existing product or to "+create" to '
        "create it (names → product)"
    )
    names = {"owner": {"Moses Frase": "rep2@acme.test"}, "account": {"Initech": "Globex"}}
    result = run(rows, names=names)
    assert result.unknown_names == {"product": ["Hoverboard"]}


def test_mapped_names_and_create(org, catalogue):
    rows = [
        deal("D-1", owner_email="Moses Frase", product="Hoverboard", account="Initech"),
        deal("D-2", owner_email="moses frase", product="GTX-Pro-X", account="Umbrella"),
    ]
    names = {
        "owner": {"Moses Frase": "rep2@acme.test"},
        "product": {"Hoverboard": "+create", "GTX-Pro-X": "GTX Pro"},
        "account": {"*": "+create"},
    }
    result = run(rows, names=names)
    assert result.summary["rejected"] == 0, result.rejects
    assert {d.owner for d in Deal.objects.all()} == {org.rep2}
    assert Product.objects.filter(name="Hoverboard").exists()
    assert Deal.objects.get(external_id="D-2").product == catalogue["gtx"]
    assert set(Account.objects.values_list("name", flat=True)) >= {"Initech", "Umbrella"}
    assert 'Created account "Initech"' in result.summary["warnings"]


def test_a_mapping_to_nothing_is_a_clear_reject(org):
    result = run([deal(product="Hoverboard")], names={"product": {"Hoverboard": "Skateboard"}})
    assert (
        result.rejects[0].reason
        == '"Hoverboard" is mapped to product "Skateboard", which does not exist'
    )


def test_owners_cannot_be_created_by_an_import(org):
    result = run([deal(owner_email="Jane Doe")], names={"owner": {"Jane Doe": "+create"}})
    assert result.rejects[0].reason == "Persons cannot be created by an import"


def test_two_people_with_one_name_must_be_mapped(org):
    PersonFactory(email="rita2@acme.test", name="Rita Rep", team=org.north_field)
    result = run([deal(owner_email="Rita Rep")])
    assert result.rejects[0].reason.startswith('owner "Rita Rep" could be any of "Rita Rep <')
    assert result.unknown_names == {"owner": ["Rita Rep"]}  # offered for mapping
    mapped = run([deal(owner_email="Rita Rep")], names={"owner": {"Rita Rep": "rita2@acme.test"}})
    assert mapped.applied
    assert Deal.objects.get().owner.email == "rita2@acme.test"


def test_accounts_and_products_are_also_found_by_their_external_id(org, catalogue):
    result = run([deal(account="ACC-1")])
    assert result.applied and Deal.objects.get().account == catalogue["acme"]
