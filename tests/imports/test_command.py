"""`accountable import`: exit codes, one JSON object, reasons on stderr, mapping files."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from accountable.crm.models import Account, Deal
from accountable.imports.models import ImportRun
from tests.imports.conftest import deals_csv

pytestmark = pytest.mark.django_db

GOOD = "D-1,Acme renewal,Acme Corporation,rep@acme.test,GTX Pro,4821,renewal,Won,,2026-01-05,2026-03-01,"  # noqa: E501 - one whole CSV line
BAD = "D-2,Broken,Globex,rep@acme.test,,-10,,Proposal,,2026-02-30,,"


def test_table_output_on_success(org, catalogue, write, capsys):
    call_command("import", "deals", str(write("d.csv", deals_csv(GOOD))))
    out = capsys.readouterr().out
    assert "Imported deals (run" in out
    assert "created            1" in out
    assert Deal.objects.count() == 1
    assert ImportRun.objects.get().source == "cli"


def test_json_output_is_one_object(org, catalogue, write, capsys):
    call_command("import", "deals", str(write("d.csv", deals_csv(GOOD))), "--format", "json")
    out = capsys.readouterr().out
    assert json.loads(out) == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "rejected_file": None,
        "warnings": [],
    }


def test_rejects_exit_1_list_reasons_on_stderr_and_apply_nothing(org, catalogue, write, capsys):
    path = write("d.csv", deals_csv(GOOD, BAD))
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "deals", str(path), "--format", "json")
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert (summary["created"], summary["rejected"]) == (0, 1)
    assert summary["rejected_file"].endswith("rejected.csv")
    assert "1 row rejected; nothing was imported." in captured.err
    assert '       3  amount "-10" is negative' in captured.err
    assert Deal.objects.count() == 0


def test_an_unreadable_file_exits_2_with_the_message(org, write, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "deals", str(write("d.csv", b"")), "--format", "json")
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"error": "The file d.csv is empty (0 bytes)."}
    assert "empty (0 bytes)" in captured.err


def test_dry_run(org, catalogue, write, capsys):
    call_command("import", "deals", str(write("d.csv", deals_csv(GOOD))), "--dry-run")
    assert "Dry run: nothing was changed" in capsys.readouterr().out
    assert Deal.objects.count() == 0


def test_a_mapping_file_with_columns_and_names(org, catalogue, write, capsys):
    export = write(
        "crm.csv",
        "Deal,Seller,Created,Phase,Worth\nX-1,Moses Frase,2026-01-02,Proposal,10\n",
    )
    mapping = write(
        "mapping.json",
        json.dumps(
            {
                "columns": {
                    "external_id": "Deal",
                    "owner_email": "Seller",
                    "created_date": "Created",
                    "stage": "Phase",
                    "amount": "Worth",
                },
                "names": {"owner": {"Moses Frase": "rep@acme.test"}},
            }
        ),
    )
    call_command("import", "deals", str(export), "--mapping", str(mapping), "--format", "json")
    assert json.loads(capsys.readouterr().out)["created"] == 1
    assert Deal.objects.get().owner == org.rep


def test_a_broken_mapping_file(org, write, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "import",
            "deals",
            str(write("d.csv", deals_csv(GOOD))),
            "--mapping",
            str(write("m.json", "{nope")),
        )
    assert exit_.value.code == 2
    assert "The mapping file" in capsys.readouterr().err


NEW_NAMES = (
    "D-3,First deal,Initech,rep@acme.test,Stapler Plus,900,new_business,Won,,2026-01-05,2026-03-01,"
)


def test_unknown_accounts_and_products_are_rejected_without_create_missing(
    org, catalogue, write, capsys
):
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "deals", str(write("d.csv", deals_csv(NEW_NAMES))))
    assert exit_.value.code == 1
    assert 'Unknown account "Initech"' in capsys.readouterr().err
    assert not Account.objects.filter(name="Initech").exists()


def test_create_missing_creates_them_and_says_so(org, catalogue, write, capsys):
    path = write("d.csv", deals_csv(NEW_NAMES, GOOD))
    call_command("import", "deals", str(path), "--create-missing", "--format", "json")
    summary = json.loads(capsys.readouterr().out)
    assert (summary["created"], summary["rejected"]) == (2, 0)
    assert any('Created account "Initech"' in w for w in summary["warnings"])
    assert any('Created product "Stapler Plus"' in w for w in summary["warnings"])
    deal = Deal.objects.get(external_id="D-3")
    assert (deal.account.name, deal.product.name) == ("Initech", "Stapler Plus")
    # Known names are still found, not made again.
    assert Account.objects.filter(name__iexact="Acme Corporation").count() == 1


def test_create_missing_leaves_a_mapping_files_own_rule_for_unknown_names(
    org, catalogue, write, capsys
):
    mapping = write("m.json", json.dumps({"names": {"account": {"*": "Acme Corporation"}}}))
    path = write("d.csv", deals_csv(NEW_NAMES))
    call_command("import", "deals", str(path), "--mapping", str(mapping), "--create-missing")
    deal = Deal.objects.get(external_id="D-3")
    assert deal.account.name == "Acme Corporation"  # the file's rule, not a new account
    assert deal.product.name == "Stapler Plus"  # products: created
    assert not Account.objects.filter(name="Initech").exists()
