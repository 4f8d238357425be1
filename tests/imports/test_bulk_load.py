"""Activities take the bulk path (imports.fast_rows + crm.bulk_load): the same counts,
messages, rejected file and all-or-nothing as every other import, on SQLite and
PostgreSQL alike, and nothing left behind."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from accountable.core import bulk_indexes
from accountable.crm import bulk_load
from accountable.crm.models import Activity
from accountable.imports.fast_rows import UtcText, utc_text
from accountable.imports.models import ImportRun
from accountable.imports.pipeline import import_file, import_rows
from accountable.imports.rejects import KEPT_IN_MEMORY, RejectLog
from accountable.imports.validate import ActivityValidator, meeting_number_limit
from accountable.imports.values import parse_datetime
from accountable.org.services import organisation_get

pytestmark = pytest.mark.django_db

HEADER = "external_id,owner_email,kind,channel,outcome,occurred_at,account,is_prospecting"
ROWS = [
    "A-1,rep@acme.test,call,,connected,2026-03-02 10:30,Acme Corporation,yes",
    "A-2,rep2@acme.test,Meeting,Zoom,Held,2026-03-03T09:00:15,Globex,no",
    "A-3,rep@acme.test,email,,,2026-03-04,,",
]


def activities_file(write, *rows: str, header: str = HEADER, name: str = "activities.csv"):
    return write(name, "\n".join([header, *rows]) + "\n")


def run(path: Path, actor=None, **options):
    return import_file(kind="activities", path=path, actor=actor, source="cli", **options)


def counts(result) -> tuple[int, int, int, int]:
    s = result.summary
    return s["created"], s["updated"], s["unchanged"], s["rejected"]


def stored() -> list[tuple]:
    return list(
        Activity.objects.order_by("external_id").values_list(
            "external_id",
            "person__email",
            "kind",
            "channel",
            "outcome",
            "occurred_at",
            "account__name",
            "is_prospecting",
            "meeting_number",
        )
    )


def staging_tables() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema() "
                "AND relname LIKE 'import_%'"
            )
        else:
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE name LIKE 'import_%'")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture(params=["kept", "rebuilt"])
def indexes(request, monkeypatch):
    """Both ways the activities are written: with the table's indexes kept up to date (a
    daily batch), and with them built afterwards (a first load; the threshold lowered so
    that a small file takes that way). Checks that the way asked for was taken."""
    rebuilt = request.param == "rebuilt"
    if rebuilt:
        monkeypatch.setattr(bulk_indexes, "MIN_ROWS", 1)
    taken = []

    def worth(table: str, rows: int) -> bool:
        taken.append(bulk_indexes.worth_setting_aside(table, rows))
        return taken[-1]

    monkeypatch.setattr(bulk_load, "worth_setting_aside", worth)
    yield request.param
    assert taken and taken[0] is rebuilt


# --- counts ----------------------------------------------------------------------------


def test_created_then_unchanged_then_one_update(org, catalogue, write, indexes):
    first = run(activities_file(write, *ROWS))
    assert counts(first) == (3, 0, 0, 0)
    assert first.applied and first.summary["warnings"] == []
    assert stored() == [
        (
            "A-1",
            "rep@acme.test",
            "call",
            "phone",
            "connected",
            datetime(2026, 3, 2, 10, 30, tzinfo=UTC),
            "Acme Corporation",
            True,
            None,
        ),
        (
            "A-2",
            "rep2@acme.test",
            "meeting",
            "video",
            "held",
            datetime(2026, 3, 3, 9, 0, 15, tzinfo=UTC),
            "Globex",
            False,
            None,
        ),
        (
            "A-3",
            "rep@acme.test",
            "email",
            "email",
            "",
            datetime(2026, 3, 4, tzinfo=UTC),
            None,
            False,
            None,
        ),
    ]

    again = run(activities_file(write, *ROWS, name="again.csv"))
    assert counts(again) == (0, 0, 3, 0)

    changed = ROWS[1].replace("Held", "No show")
    result = run(activities_file(write, ROWS[0], changed, ROWS[2], name="changed.csv"))
    assert counts(result) == (0, 1, 2, 0)
    assert Activity.objects.get(external_id="A-2").outcome == "no_show"


def test_the_api_rows_take_the_same_path(org, catalogue):
    rows = [dict(zip(HEADER.split(","), row.split(","), strict=True)) for row in ROWS]
    assert counts(import_rows(kind="activities", rows=rows, actor=None, source="api")) == (
        3,
        0,
        0,
        0,
    )
    moved = [{**rows[0], "occurred_at": "2026-03-02 11:00"}, *rows[1:]]
    result = import_rows(kind="activities", rows=iter(moved), actor=None, source="api")
    assert counts(result) == (0, 1, 2, 0)
    assert Activity.objects.get(external_id="A-1").occurred_at.hour == 11


def test_a_dry_run_counts_and_leaves_nothing(org, catalogue, write):
    run(activities_file(write, ROWS[0]))
    before = stored()
    result = run(activities_file(write, *ROWS, name="more.csv"), dry_run=True)
    assert counts(result) == (2, 0, 1, 0)
    assert result.run.status == ImportRun.Status.PREVIEWED
    assert stored() == before


def test_columns_left_out_keep_their_value_and_blank_cells_clear_it(org, catalogue, write):
    run(activities_file(write, *ROWS))
    # No outcome, account or is_prospecting column: those stay as stored.
    header = "external_id,owner_email,kind,occurred_at"
    result = run(
        activities_file(
            write, "A-1,rep@acme.test,call,2026-03-02 10:30", header=header, name="narrow.csv"
        )
    )
    assert counts(result) == (0, 0, 1, 0)
    kept = Activity.objects.get(external_id="A-1")
    assert (kept.outcome, kept.account.name, kept.is_prospecting) == (
        "connected",
        "Acme Corporation",
        True,
    )
    # The account column present but blank: the account is cleared.
    blank = ROWS[0].replace("Acme Corporation", "")
    assert counts(run(activities_file(write, blank, name="blank.csv"))) == (0, 1, 0, 0)
    assert Activity.objects.get(external_id="A-1").account is None


def test_well_formed_rows_of_a_file_skip_the_validator(org, catalogue, write, monkeypatch):
    # What keeps a million rows fast (no timing here): only odd rows meet the validator.
    def refuse(self, row):
        raise AssertionError(f"the validator saw {row}")

    monkeypatch.setattr(ActivityValidator, "check", refuse)
    assert counts(run(activities_file(write, *ROWS))) == (3, 0, 0, 0)


def test_an_account_is_created_only_by_a_row_that_gets_that_far(org, write):
    # The validator creates a "+create" account when it reaches the row's names; a row
    # rejected before that (here for its kind) creates nothing, on either path.
    rows = [
        "A-1,rep@acme.test,carrier pigeon,,,2026-03-02,Nowhere Inc,",
        "A-2,rep@acme.test,call,,,2026-03-02,Newco,",
        "A-3,rep@acme.test,call,,,2026-03-03,Newco,",
    ]
    result = run(activities_file(write, *rows), names={"account": {"*": "+create"}})
    assert [r.line for r in result.rejects] == [2]
    assert result.summary["warnings"] == ['Created account "Newco"']
    assert result.run.summary["would"]["created"] == 2


def test_warnings_are_counted_per_row(org, catalogue, write):
    rows = [f"A-{n},rep@acme.test,call,,,2026-03-02,ACME corporation.,no" for n in range(5)]
    result = run(activities_file(write, *rows))
    assert result.summary["warnings"] == [
        '"ACME corporation." matched account "Acme Corporation" (5 rows)'
    ]


# --- duplicates and rejects --------------------------------------------------------------


def test_a_duplicate_is_rejected_with_both_lines_in_line_order(org, catalogue, write, indexes):
    rows = [
        ROWS[0],
        "A-9,rep@acme.test,carrier pigeon,,,2026-03-02,,",
        ROWS[0].replace("connected", "voicemail"),  # A-1 again, on line 4
        ROWS[1],
        "A-8,rep@acme.test,call,,,2026-02-30,,",
        ROWS[1],  # A-2 again, on line 7
    ]
    before = stored()
    result = run(activities_file(write, *rows))
    assert [(r.line, r.reason) for r in result.rejects] == [
        (
            3,
            'kind "carrier pigeon" is not one of: call, demo, email, follow_up, meeting, '
            "other, proposal, social",
        ),
        (4, '"A-1" appears twice in the file (first on line 2)'),
        (6, 'occurred_at "2026-02-30" is not a real date'),
        (7, '"A-2" appears twice in the file (first on line 5)'),
    ]
    assert result.rejects[1].row["outcome"] == "voicemail"
    assert result.run.status == ImportRun.Status.REJECTED
    assert result.run.summary["would"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert stored() == before

    with Path(result.summary["rejected_file"]).open(encoding="utf-8-sig", newline="") as handle:
        kept = list(csv.DictReader(handle))
    assert [(row["line"], row["external_id"]) for row in kept] == [
        ("3", "A-9"),
        ("4", "A-1"),
        ("6", "A-8"),
        ("7", "A-2"),
    ]
    assert kept[1]["outcome"] == "voicemail"


def test_one_bad_row_leaves_every_activity_as_it_was(org, catalogue, write, indexes):
    run(activities_file(write, *ROWS))
    before = stored()
    changed = [row.replace("2026-03", "2026-04") for row in ROWS]
    result = run(
        activities_file(write, *changed, "A-4,nobody@acme.test,call,,,2026-04-01,,", name="b.csv")
    )
    assert [(r.line, r.reason) for r in result.rejects] == [
        (
            5,
            'Unknown owner "nobody@acme.test": add them as a person first, or map the '
            "name to a person's e-mail (names → owner)",
        )
    ]
    assert result.run.summary["would"] == {"created": 0, "updated": 3, "unchanged": 0}
    assert result.unknown_names == {"owner": ["nobody@acme.test"]}
    assert stored() == before


def test_odd_rows_and_formulas_get_the_validators_reasons(org, catalogue, write):
    rows = [
        ROWS[0] + ",surplus",  # more cells than the header
        "A-5,rep@acme.test,call,,connected,2026-03-02",  # fewer: the rest are blank
        '"=HYPERLINK(""http://evil.test"")",rep@acme.test,call,,,2026-03-02,,',
        "A-6,rep@acme.test,call,,,2026-03-02,=cmd,",
        "A-7,otherrep@acme.test,call,,,2026-03-02,,",
    ]
    result = run(activities_file(write, *rows), actor=org.manager)
    assert [(r.line, r.reason) for r in result.rejects] == [
        (
            2,
            "the row has 9 cells but the header has 8 columns (a value with an unquoted "
            "delimiter?)",
        ),
        (
            4,
            'external_id "=HYPERLINK("http://evil.test")" looks like a spreadsheet formula; '
            "remove the leading character or the formula",
        ),
        (
            5,
            'account "=cmd" looks like a spreadsheet formula; remove the leading character or '
            "the formula",
        ),
        (
            6,
            'Unknown owner "otherrep@acme.test": nobody in the teams you manage has that '
            "e-mail or name; map the name to a person's e-mail (names → owner)",
        ),
    ]
    assert result.run.summary["would"]["created"] == 1


def test_every_reject_is_in_the_file_and_the_first_thousand_in_memory(org, write):
    rows = [f"A-{n},rep@acme.test,call,,,someday,," for n in range(KEPT_IN_MEMORY + 500)]
    result = run(activities_file(write, *rows))
    assert result.summary["rejected"] == KEPT_IN_MEMORY + 500
    assert len(result.rejects) == KEPT_IN_MEMORY
    with Path(result.summary["rejected_file"]).open(encoding="utf-8-sig") as handle:
        assert sum(1 for _ in handle) == 1 + KEPT_IN_MEMORY + 500


def test_late_rejects_are_merged_into_the_file_in_line_order():
    log = RejectLog(1, ["external_id"])
    for line in (3, 7, *range(10, 10 + KEPT_IN_MEMORY)):
        log.add(line, "bad", {"external_id": f"=E{line}"})
    log.add_late([(2, "twice", {"external_id": "A"}), (5, "twice", {"external_id": "B"})])
    assert log.count == KEPT_IN_MEMORY + 4
    assert [r.line for r in log.kept[:5]] == [2, 3, 5, 7, 10]
    assert len(log.kept) == KEPT_IN_MEMORY
    with Path(log.close()).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[:6] == [
        ["line", "reason", "external_id"],
        ["2", "twice", "A"],
        ["3", "bad", "'=E3"],
        ["5", "twice", "B"],
        ["7", "bad", "'=E7"],
        ["10", "bad", "'=E10"],
    ]
    assert len(rows) == 1 + KEPT_IN_MEMORY + 4


# --- nothing left behind ------------------------------------------------------------------


def test_the_staging_tables_are_gone_whatever_happened(org, catalogue, write, monkeypatch):
    run(activities_file(write, *ROWS))
    run(activities_file(write, *ROWS, "A-1,x,call,,,,,", name="rejected.csv"))
    run(activities_file(write, *ROWS, name="dry.csv"), dry_run=True)
    assert staging_tables() == []

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(bulk_load.ActivityStaging, "apply", fail)
    with pytest.raises(RuntimeError):
        run(activities_file(write, *ROWS, name="fails.csv"))
    assert staging_tables() == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache setting")
def test_the_page_cache_is_put_back(org, catalogue, write):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        run(activities_file(write, *ROWS))
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == before != -bulk_load.SQLITE_CACHE_KIB


def test_a_meeting_number_the_database_cannot_hold(org, write):
    limit = meeting_number_limit()
    if limit > 10**12:  # SQLite takes any number an import can read
        pytest.skip("no limit below the largest number an import reads")
    header = "external_id,owner_email,kind,occurred_at,meeting_number"
    result = run(
        activities_file(write, f"A-1,rep@acme.test,meeting,2026-03-02,{limit + 1}", header=header)
    )
    assert [r.reason for r in result.rejects] == [
        f"Activity A-1: meeting number: Ensure this value is less than or equal to {limit}"
    ]


# --- time: the fast reading equals the validator's -----------------------------------------


def test_times_are_in_the_organisations_zone_across_a_changeover(org, write):
    organisation = organisation_get()
    organisation.time_zone = "Europe/Berlin"
    organisation.save()
    header = "external_id,owner_email,kind,occurred_at"
    rows = [
        "A-1,rep@acme.test,call,2026-03-02 10:30",  # winter: UTC+1
        "A-2,rep@acme.test,call,2026-07-02T10:30:05",  # summer: UTC+2
        "A-3,rep@acme.test,call,2026-03-29 03:30",  # the changeover day
        "A-4,rep@acme.test,call,2026-03-01",  # midnight
        "A-5,rep@acme.test,call,2026-03-02 10:30Z",  # an explicit zone
    ]
    assert counts(run(activities_file(write, *rows, header=header))) == (5, 0, 0, 0)
    assert [a.occurred_at for a in Activity.objects.order_by("external_id")] == [
        datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        datetime(2026, 7, 2, 8, 30, 5, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        datetime(2026, 2, 28, 23, 0, tzinfo=UTC),
        datetime(2026, 3, 2, 10, 30, tzinfo=UTC),
    ]


def test_a_time_in_a_changeover_hour_is_unchanged_on_a_second_run(org, write):
    # 01:30 on 1 November happens twice in New York, 02:30 on 8 March not at all. The
    # row-by-row path compared aware datetimes in Python, where such a time never
    # equals the stored UTC one (PEP 495), and so reported an update on every run.
    organisation = organisation_get()
    organisation.time_zone = "America/New_York"
    organisation.save()
    header = "external_id,owner_email,kind,occurred_at"
    rows = ["A-1,rep@acme.test,call,2026-11-01 01:30", "A-2,rep@acme.test,call,2026-03-08 02:30"]
    assert counts(run(activities_file(write, *rows, header=header))) == (2, 0, 0, 0)
    again = run(activities_file(write, *rows, header=header, name="again.csv"))
    assert counts(again) == (0, 0, 2, 0)
    assert [a.occurred_at for a in Activity.objects.order_by("external_id")] == [
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
    ]


ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 12, 31))
shapes = st.sampled_from(["%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"])


@settings(max_examples=400)
@given(st.sampled_from(ZONES), moments, shapes)
def test_fast_time_reading_agrees_with_the_validator(zone_name, moment, shape):
    zone = ZoneInfo(zone_name)
    text = moment.strftime(shape)
    fast = UtcText(zone)(text)
    if fast is not None:  # None: the validator reads it (a changeover day)
        assert fast == utc_text(parse_datetime("occurred_at", text, zone))


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30",
        "2026-01-01 24:00",
        "2026-01-01 10:60",
        "2026-01-01 10:00:61",
        "2026-1-2",
        " 2026-01-02",
        "\uff12\uff10\uff12\uff16-01-01",  # full-width digits
        "2026-01-02 10:00:00.5",
        "",
        "=2026-01-02",
    ],
)
def test_other_shapes_are_left_to_the_validator(text):
    assert UtcText(ZoneInfo("UTC"))(text) is None


def test_the_file_and_the_api_store_the_same(org, catalogue, write):
    organisation = organisation_get()
    organisation.time_zone = "America/New_York"
    organisation.save()
    header = (
        "external_id,owner_email,kind,channel,outcome,occurred_at,account,deal_external_id,"
        "is_prospecting,meeting_number"
    )
    rows = [
        "A-1,Rita Rep,Phone call,,Left VM,2026-03-08 02:30,ACME corporation,,x,",
        "A-2, rep2@acme.test ,meeting,Onsite,,2026-11-01 01:30,acc-1,,,2",
        "A-3,REP@ACME.TEST,LinkedIn,,,2026-06-01T23:59:59,,,true,",
        "A-4,rep@acme.test,Task,other,Done,01/25/2026,Globex,,0,",
    ]

    def imported(by_file: bool) -> tuple:
        with transaction.atomic():
            if by_file:
                result = run(activities_file(write, *rows, header=header))
            else:
                dicts = [dict(zip(header.split(","), row.split(","), strict=True)) for row in rows]
                result = import_rows(kind="activities", rows=dicts, actor=None, source="api")
            outcome = (counts(result), result.summary["warnings"], stored())
            transaction.set_rollback(True)
        return outcome

    by_file, by_api = imported(True), imported(False)
    assert by_file == by_api
    assert by_file[0] == (4, 0, 0, 0)
