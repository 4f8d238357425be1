"""`accountable commitments add|list|judge`: one JSON object or list, aligned tables,
bad input refused with exit status 2 and nothing written, and what fell due judged
before it is listed (never a day still to come)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from accountable.audit.models import AuditEntry
from accountable.commitments import services
from accountable.commitments.models import Commitment, State
from accountable.crm.models import ActivityKind
from tests.crm.factories import ActivityFactory, DealFactory, ensure_pipeline

pytestmark = pytest.mark.django_db

MON, FRI, NEXT_MON = date(2026, 9, 14), date(2026, 9, 18), date(2026, 9, 21)
KEYS = {
    "id", "person", "name", "kind", "metric", "value", "deal", "text", "what", "start",
    "due", "state", "actual", "judged_on", "report", "reported_done", "withdrawn_reason",
    "created_by",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _monday_14_september():
    with time_machine.travel(datetime(2026, 9, 14, 8, tzinfo=UTC), tick=False):
        yield


def run(*args: str) -> str:
    out = StringIO()
    call_command("commitments", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str):
    return json.loads(run(*args, "--format", "json"))


def meetings(person, count: int, day: date = MON) -> None:
    for _ in range(count):
        ActivityFactory(
            person=person,
            kind=ActivityKind.MEETING,
            channel="in_person",
            meeting_number=1,
            occurred_at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
        )


def six_first_meetings(email: str = "rep@acme.test") -> dict:
    return run_json(
        "add", "--person", email, "--metric", "first_meetings", "--value", "6",
        "--start", "2026-09-14", "--due", "2026-09-18",
    )  # fmt: skip


def test_add_a_metric_commitment_prints_it_as_one_json_object(org):
    made = six_first_meetings("REP@acme.test")
    commitment = Commitment.objects.get()
    assert set(made) == KEYS
    assert made == {
        "id": commitment.pk,
        "person": "rep@acme.test",
        "name": "Rita Rep",
        "kind": "metric",
        "metric": "first_meetings",
        "value": "6.00",
        "deal": None,
        "text": "",
        "what": "6 first meetings",
        "start": "2026-09-14",
        "due": "2026-09-18",
        "state": "open",
        "actual": None,
        "judged_on": None,
        "report": "",
        "reported_done": None,
        "withdrawn_reason": "",
        "created_by": None,
    }
    entry = AuditEntry.objects.get(action="commitment.create")
    assert entry.actor is None and entry.after["person"] == "rep@acme.test"


def test_add_a_text_and_a_deal_commitment_as_tables(org):
    out = run("add", "--person", "rep@acme.test", "--text", "Send the Globex proposal",
              "--due", "2026-09-16")  # fmt: skip
    lines = out.splitlines()
    assert lines[0].startswith("Recorded commitment ") and "Rita Rep" in lines[0]
    header, row = lines[1], lines[2]
    # Columns line up: each heading starts where its value does.
    assert header.index("Due") == row.index("2026-09-16")
    assert header.index("State") == row.index("due soon")
    assert header.index("What") == row.index("Send the Globex proposal")
    ensure_pipeline()
    DealFactory(owner=org.rep, name="Acme renewal", external_id="OPP-1001")
    made = run_json("add", "--person", "rep@acme.test", "--deal", "OPP-1001",
                    "--due", "2026-09-30")  # fmt: skip
    assert (made["kind"], made["deal"], made["what"]) == ("deal", "OPP-1001", "win Acme renewal")
    assert Commitment.objects.count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--person", "nobody@acme.test", "--text", "x"], 'No person with the e-mail "nobody'),
        (["--person", "rep@acme.test", "--text", "x", "--due", "2026-02-30"], "Not a date"),
        (["--person", "rep@acme.test", "--text", "x", "--due", "friday"], "YYYY-MM-DD"),
        (["--person", "rep@acme.test", "--text", "x", "--due", "9999-12-31"], "calendar covers"),
        (["--person", "rep@acme.test", "--metric", "calls", "--value", "3", "--start",
          "2026-13-01"], "--start"),
        (["--person", "rep@acme.test", "--metric", "calls"], "Say how many"),
        (["--person", "rep@acme.test", "--metric", "calls", "--value", "lots"], 'not "lots"'),
        (["--person", "rep@acme.test", "--metric", "calls", "--value", "3", "--text", "x"],
         "one of them"),
        (["--person", "rep@acme.test", "--value", "3"], "one of them"),
        (["--person", "rep@acme.test", "--metric", "nonsense", "--value", "3"],
         "not a metric a commitment"),
        (["--person", "rep@acme.test", "--deal", "NOPE-1"], 'No deal with the external id'),
        (["--person", "rep@acme.test", "--text", "x" * 301], "300 characters"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_the_reason_on_stderr_and_writes_nothing(org, capsys, args, message):
    if "--due" not in args:
        args = [*args, "--due", "2026-09-18"]
    with pytest.raises(SystemExit) as exit_:
        call_command("commitments", "add", *args)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
    assert not Commitment.objects.exists() and not AuditEntry.objects.exists()


def test_bad_input_in_json_is_one_error_object(org, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("commitments", "list", "--person", "ghost@acme.test", "--format", "json")
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"error": 'No person with the e-mail "ghost@acme.test".'}
    assert "ghost@acme.test" in captured.err


def test_list_is_everyones_or_one_persons_with_how_each_stands(org):
    services.commitment_add(actor=None, person=org.rep, text="late", due_on=date(2026, 9, 11))
    services.commitment_add(actor=None, person=org.rep, text="soon", due_on=FRI)
    services.commitment_add(
        actor=None, person=org.other_rep, text="later", due_on=date(2026, 10, 30)
    )
    rows = run_json("list")
    assert all(set(row) == KEYS for row in rows)
    assert [(r["person"], r["text"], r["state"]) for r in rows] == [
        ("rep@acme.test", "late", "overdue"),
        ("rep@acme.test", "soon", "open"),
        ("otherrep@acme.test", "later", "open"),
    ]
    assert [r["text"] for r in run_json("list", "--person", "otherrep@acme.test")] == ["later"]
    # On Wednesday Friday's is due soon.
    soon = run_json("list", "--as-of", "2026-09-16", "--state", "due_soon", "overdue")
    assert [(r["text"], r["state"]) for r in soon] == [("late", "overdue"), ("soon", "due soon")]
    assert run_json("list", "--state", "met") == []
    assert "No commitments as of 2026-09-14." in run("list", "--state", "withdrawn")


def test_a_past_due_metric_commitment_is_listed_as_the_data_judged_it(org):
    kept = six_first_meetings()
    short = six_first_meetings("rep2@acme.test")
    meetings(org.rep, 4)
    meetings(org.rep, 2, FRI)
    meetings(org.rep2, 2)
    meetings(org.rep2, 1, NEXT_MON)  # after the span: not counted
    # Friday is still its day: nothing to judge yet.
    assert [r["state"] for r in run_json("list", "--as-of", "2026-09-18")] == ["due soon"] * 2
    with time_machine.travel(datetime(2026, 9, 21, 8, tzinfo=UTC), tick=False):
        rows = {row["id"]: row for row in run_json("list")}
    assert (rows[kept["id"]]["state"], rows[kept["id"]]["actual"]) == ("met", "6.00")
    assert (rows[short["id"]]["state"], rows[short["id"]]["actual"]) == ("missed", "2.00")
    # Listing stored the verdicts, as the nightly run would have.
    assert Commitment.objects.get(pk=kept["id"]).state == State.MET
    assert AuditEntry.objects.filter(action="commitment.judge").count() == 2


def test_listing_a_day_to_come_judges_nothing_before_its_time(org):
    made = six_first_meetings()
    meetings(org.rep, 6)
    # As of next Friday it would be overdue; its day is not over yet, so no verdict.
    assert [r["state"] for r in run_json("list", "--as-of", "2026-09-25")] == ["overdue"]
    assert Commitment.objects.get(pk=made["id"]).state == State.OPEN
    assert run_json("judge", "--as-of", "2026-09-25") == {"as_of": "2026-09-14", "changed": 0}
    assert not AuditEntry.objects.filter(action="commitment.judge").exists()


def test_judge_says_how_many_changed(org):
    six_first_meetings()
    meetings(org.rep, 3)
    assert run("judge") == "Judged the commitments due before 2026-09-14: 0 changed.\n"
    with time_machine.travel(datetime(2026, 9, 22, 8, tzinfo=UTC), tick=False):
        assert run_json("judge", "--as-of", "2026-09-21") == {"as_of": "2026-09-21", "changed": 1}
        assert "0 changed" in run("judge")  # judged already: nothing new
    commitment = Commitment.objects.get()
    assert (commitment.state, commitment.judged_on) == (State.PARTLY, NEXT_MON)


def test_a_bad_as_of_exits_2(org, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("commitments", "judge", "--as-of", "2026-09-31")
    assert exit_.value.code == 2
    assert 'Not a date: "2026-09-31"' in capsys.readouterr().err
