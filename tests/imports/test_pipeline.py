"""The pipeline as a whole: all or nothing, idempotent, and a clear message for every
malformed file, with the database left exactly as it was."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from accountable.audit.models import AuditEntry
from accountable.crm.models import Account, Activity, Deal, DealStageChange, Feedback, Product
from accountable.imports.errors import ImportFileError, ImportNotAllowed
from accountable.imports.models import ImportRun
from accountable.imports.pipeline import import_file, import_rows
from accountable.org.models import Person, Team
from accountable.targets.models import Target
from tests.imports.conftest import deals_csv

pytestmark = pytest.mark.django_db

GOOD = [
    "D-1,Acme renewal,Acme Corporation,rep@acme.test,GTX Pro,4821.00,renewal,Won,,2026-01-05,2026-03-01,",  # noqa: E501 - one whole CSV line
    "D-2,Globex new,Globex,rep2@acme.test,MG Special,1200,new_business,Proposal,,2026-02-01,2026-06-30,",  # noqa: E501 - one whole CSV line
    "D-3,Lost one,Globex,rep@acme.test,,300,,Lost,,2026-02-03,2026-02-20,Price",
]


def state() -> dict[str, int]:
    """Everything an import could write, counted (besides the audit entry of the import
    itself, which records a rejected import too)."""
    models = [Deal, DealStageChange, Activity, Feedback, Account, Product, Person, Team, Target]
    changes = AuditEntry.objects.exclude(action__startswith="import.")
    return {m.__name__: m.objects.count() for m in models} | {"audit": changes.count()}


def deals_file(write, *rows: str, name: str = "deals.csv") -> Path:
    return write(name, deals_csv(*rows))


def run_deals(path: Path, actor=None, **options):
    return import_file(kind="deals", path=path, actor=actor, source="cli", **options)


# --- happy path, idempotency -----------------------------------------------------------


def test_a_good_file_is_applied_and_a_second_run_changes_nothing(org, catalogue, write):
    path = deals_file(write, *GOOD)
    first = run_deals(path)
    assert first.summary == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "rejected_file": None,
        "warnings": [],
    }
    assert first.run.status == ImportRun.Status.APPLIED
    won = Deal.objects.get(external_id="D-1")
    assert (won.status, won.closed_on.isoformat(), won.amount) == (
        "won",
        "2026-03-01",
        Decimal("4821.00"),
    )
    assert won.account == catalogue["acme"] and won.type == "renewal"
    open_deal = Deal.objects.get(external_id="D-2")
    assert open_deal.expected_close_on.isoformat() == "2026-06-30" and open_deal.closed_on is None
    assert Deal.objects.get(external_id="D-3").lost_reason == "Price"

    before = state()
    second = run_deals(path)
    assert (second.summary["created"], second.summary["updated"], second.summary["unchanged"]) == (
        0,
        0,
        3,
    )
    assert state() == before


def test_a_changed_row_is_an_update_with_history(org, catalogue, write):
    run_deals(deals_file(write, *GOOD))
    moved = GOOD[1].replace("Proposal", "Won").replace(",1200,", ",1500,")
    result = run_deals(deals_file(write, GOOD[0], moved, GOOD[2], name="again.csv"))
    assert (result.summary["created"], result.summary["updated"], result.summary["unchanged"]) == (
        0,
        1,
        2,
    )
    deal = Deal.objects.get(external_id="D-2")
    assert deal.status == "won" and deal.amount == Decimal("1500.00")
    assert deal.stage_changes.count() == 2
    assert deal.changes.filter(field="amount").exists()


def test_a_dry_run_counts_but_changes_nothing(org, catalogue, write):
    before = state()
    result = run_deals(deals_file(write, *GOOD), dry_run=True)
    assert result.summary["created"] == 3
    assert result.run.status == ImportRun.Status.PREVIEWED
    assert state() == before


# --- all or nothing --------------------------------------------------------------------


def test_one_bad_row_means_nothing_is_applied(org, catalogue, write):
    bad = GOOD[2].replace(",300,", ",-300,")
    before = state()
    result = run_deals(deals_file(write, GOOD[0], GOOD[1], bad))
    assert result.run.status == ImportRun.Status.REJECTED
    assert result.summary["rejected"] == 1
    assert result.summary["created"] == 0  # nothing was written
    assert result.run.summary["would"]["created"] == 2  # though two rows were fine
    assert [(r.line, r.reason) for r in result.rejects] == [(4, 'amount "-300" is negative')]
    assert state() == before


def test_rejected_rows_are_kept_as_a_csv_with_line_and_reason(org, catalogue, write, settings):
    bad = 'D-9,=HYPERLINK("http://evil.test"),Globex,rep@acme.test,,10,,Won,,2026-01-01,2026-01-02,'
    result = run_deals(deals_file(write, GOOD[0], bad))
    path = Path(result.summary["rejected_file"])
    assert path == settings.VAR_DIR / "imports" / str(result.run.pk) / "rejected.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1
    assert rows[0]["line"] == "3"
    assert "looks like a spreadsheet formula" in rows[0]["reason"]
    # The formula is kept, but neutralised for whoever opens the file in a spreadsheet.
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil.test")'
    assert rows[0]["external_id"] == "D-9"


# --- malformed files: a clear message, and nothing changed -----------------------------


def rejected_reasons(result) -> list[str]:
    return [reject.reason for reject in result.rejects]


def test_bad_dates(org, catalogue, write):
    row = GOOD[0].replace("2026-03-01", "31/02/2026")
    before = state()
    result = run_deals(deals_file(write, row))
    assert rejected_reasons(result) == ['close_date "31/02/2026" is not a real date']
    assert state() == before


def test_negative_amounts(org, catalogue, write):
    before = state()
    result = run_deals(deals_file(write, GOOD[0].replace("4821.00", "-4821.00")))
    assert rejected_reasons(result) == ['amount "-4821.00" is negative']
    assert state() == before


def test_non_numeric_amounts(org, catalogue, write):
    before = state()
    result = run_deals(deals_file(write, GOOD[0].replace("4821.00", "a lot")))
    assert rejected_reasons(result) == ['amount "a lot" is not a number']
    assert state() == before


def test_missing_required_columns(org, catalogue, write):
    path = write("deals.csv", "external_id,name,amount\nD-1,x,10\n")
    before = state()
    with pytest.raises(ImportFileError) as caught:
        run_deals(path)
    assert "no column for owner_email, created_date (required for deals)" in caught.value.message
    assert "Its columns are: external_id, name, amount" in caught.value.message
    assert caught.value.run.status == ImportRun.Status.FAILED
    assert state() == before


def test_duplicate_external_ids_inside_one_file(org, catalogue, write):
    again = GOOD[1].replace("D-2", "D-1")
    before = state()
    result = run_deals(deals_file(write, GOOD[0], again))
    assert rejected_reasons(result) == ['"D-1" appears twice in the file (first on line 2)']
    assert state() == before


def test_wrong_encoding_cp1252_is_read_correctly(org, catalogue, write):
    path = write("deals.csv", deals_csv(GOOD[0].replace("Acme renewal", "Acme Crème")), "cp1252")
    result = run_deals(path)
    assert result.summary["created"] == 1
    assert Deal.objects.get(external_id="D-1").name == "Acme Crème"


def test_undecodable_bytes(org, catalogue, write):
    path = write("deals.csv", deals_csv(*GOOD).encode() + b"\x81\x8d\n")
    before = state()
    with pytest.raises(ImportFileError, match="cannot be read: byte 0x81"):
        run_deals(path)
    assert state() == before


def test_an_empty_file(org, write):
    before = state()
    with pytest.raises(ImportFileError, match=r"empty \(0 bytes\)"):
        run_deals(write("deals.csv", b""))
    assert state() == before


def test_a_zero_byte_xlsx(org, write):
    before = state()
    with pytest.raises(ImportFileError, match=r"empty \(0 bytes\)"):
        run_deals(write("deals.xlsx", b""))
    assert state() == before


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil.test","Click")', "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"],
)
def test_a_formula_injection_cell(org, catalogue, write, cell):
    row = GOOD[0].replace("Acme renewal", '"' + cell.replace('"', '""') + '"')
    before = state()
    result = run_deals(deals_file(write, row))
    assert len(result.rejects) == 1
    assert result.rejects[0].reason.startswith('name "')
    assert "looks like a spreadsheet formula" in result.rejects[0].reason
    assert state() == before


def test_a_formula_in_an_xlsx_cell(org, catalogue, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["external_id", "owner_email", "kind", "received_on", "note"])
    sheet.append(["FB-1", "rep@acme.test", "praise", "2026-03-01", '=HYPERLINK("http://x")'])
    workbook.save(tmp_path / "feedback.xlsx")
    result = import_file(kind="feedback", path=tmp_path / "feedback.xlsx", actor=None, source="cli")
    assert 'note "=HYPERLINK' in result.rejects[0].reason
    assert Feedback.objects.count() == 0


def test_a_header_only_file(org, write):
    before = state()
    with pytest.raises(ImportFileError, match="has a header but no rows"):
        run_deals(write("deals.csv", deals_csv()))
    assert state() == before


def test_a_row_with_too_many_cells(org, catalogue, write):
    result = run_deals(deals_file(write, GOOD[0] + ",surplus,cells"))
    assert rejected_reasons(result) == [
        "the row has 14 cells but the header has 12 columns (a value with an unquoted delimiter?)"
    ]


# --- the API's entry point -------------------------------------------------------------


def test_import_rows_takes_generic_json_rows(org, catalogue):
    rows = [
        {
            "external_id": "A-1",
            "owner_email": "rep@acme.test",
            "kind": "call",
            "occurred_at": "2026-03-02 10:30",
            "is_prospecting": True,
            "outcome": "Connected",
        },
        {
            "external_id": "A-2",
            "owner_email": "rep@acme.test",
            "kind": "meeting",
            "occurred_at": "2026-03-03",
            "meeting_number": 2,
            "account": "acme corporation",
        },
    ]
    result = import_rows(kind="activities", rows=rows, actor=org.admin, source="api")
    assert result.summary["created"] == 2
    call = Activity.objects.get(external_id="A-1")
    assert (call.channel, call.outcome, call.is_prospecting) == ("phone", "connected", True)
    meeting = Activity.objects.get(external_id="A-2")
    assert meeting.meeting_number == 2 and meeting.account == catalogue["acme"]
    assert result.run.created_by == org.admin and result.run.source == "api"


def test_import_rows_counts_lines_from_first_line(org):
    result = import_rows(
        kind="feedback",
        rows=[
            {
                "external_id": "F-1",
                "owner_email": "rep@acme.test",
                "kind": "moan",
                "received_on": "2026-01-01",
            }
        ],
        actor=None,
        source="api",
        first_line=1,
    )
    assert [(r.line, r.reason) for r in result.rejects] == [
        (1, 'kind "moan" is not one of: complaint, praise')
    ]


def test_an_empty_batch_is_refused(org):
    with pytest.raises(ImportFileError, match="no rows"):
        import_rows(kind="deals", rows=[], actor=None, source="api")


def test_an_unknown_kind_is_refused(org):
    with pytest.raises(ImportFileError, match='Unknown kind "planets"'):
        import_rows(kind="planets", rows=[{}], actor=None, source="api")


# --- who may import what ---------------------------------------------------------------


def test_a_manager_imports_only_for_their_own_teams(org, catalogue, write):
    theirs = GOOD[0]
    not_theirs = GOOD[1].replace("rep2@acme.test", "otherrep@acme.test")
    before = state()
    result = run_deals(deals_file(write, theirs, not_theirs), actor=org.manager)
    assert rejected_reasons(result) == [
        'Unknown owner "otherrep@acme.test": nobody in the teams you manage has that '
        "e-mail or name; map the name to a person's e-mail (names → owner)"
    ]
    assert state() == before
    assert run_deals(deals_file(write, theirs, name="ok.csv"), actor=org.manager).applied


@pytest.mark.parametrize("kind", ["people", "accounts", "products"])
def test_a_manager_may_not_import_the_organisation_or_the_catalogue(org, write, kind):
    with pytest.raises(ImportNotAllowed, match=f"Only admins can import {kind}"):
        import_rows(kind=kind, rows=[{"name": "x"}], actor=org.manager, source="api")


@pytest.mark.parametrize("who", ["rep", "executive"])
def test_reps_and_executives_may_not_import(org, who):
    with pytest.raises(ImportNotAllowed, match="Only admins and managers"):
        import_rows(kind="deals", rows=[{}], actor=getattr(org, who), source="api")
