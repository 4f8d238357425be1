"""The review packet: its figures are the scorecard's, its sections in order, private notes
only where they may be, the PDF vector and local, the command line."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accountable.packets import sections
from accountable.packets.pdf import LocalOnly, packet_pdf
from accountable.packets.selectors import packet_get
from accountable.scorecards import selectors as scorecards
from tests.packets.conftest import AS_OF, PRIVATE, SHARED
from tests.scorecards.conftest import Q3

pytestmark = pytest.mark.django_db

QUERY = {"period": "2026-Q3", "as_of": AS_OF.isoformat()}


def _page(client, viewer, person, **extra):
    client.force_login(viewer)
    return client.get(reverse("packets:page", args=[person.pk]), {**QUERY, **extra})


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_packets_figures_are_the_scorecards(client, packet_org):
    org = packet_org
    packet = packet_get(org.manager, org.rep, period=Q3, as_of=AS_OF)
    card = scorecards.person_scorecard(org.manager, org.rep, period=Q3, as_of=AS_OF)
    shown = packet.section("scorecard").data
    assert shown["row"] == card.row
    assert shown["card"].tiles == card.tiles
    assert shown["card"].funnel == card.funnel
    assert shown["row"].won_amount == 3000  # W1 + W2: the lost deal and May's win not counted
    # And as written: each tile's figure on the packet page is the scorecard page's.
    client.force_login(org.manager)
    scorecard_page = client.get(reverse("scorecards:person", args=[org.rep.pk]), QUERY)
    packet_page = _page(client, org.manager, org.rep)
    assert packet_page.status_code == 200
    tile = re.compile(r'<div class="value"[^>]*>(.*?)<span class="of">(.*?)</span>', re.S)
    on_scorecard = [tuple(_text(x).strip() for x in m) for m in tile.findall(scorecard_page.text)]
    on_packet = [tuple(_text(x).strip() for x in m) for m in tile.findall(packet_page.text)]
    assert on_packet == on_scorecard
    assert on_packet[:2] == [("$3,000", "of $6,000"), ("7", "of 20")]  # revenue, calls
    big = re.compile(r'<div class="big"><strong>(.*?)</strong>')
    assert big.findall(packet_page.text) == big.findall(scorecard_page.text)


def test_the_sections_come_in_order_and_say_when_the_data_was_read(client, packet_org):
    org = packet_org
    packet = packet_get(org.manager, org.rep, period=Q3, as_of=AS_OF)
    assert [s.key for s in packet.sections] == [
        make(sections.Subject(org.manager, org.rep, Q3, AS_OF, AS_OF)).key
        for make in sections.SECTIONS
    ]
    text = _text(_page(client, org.manager, org.rep).text)
    assert "Data read" in text
    assert f"{packet.read_at.day} {packet.read_at:%b %Y}" in text
    for section in packet.sections:
        assert section.title in text
    assert "Send the Globex proposal" in text and "Call back Initech" in text
    assert "Book the Acme demo" in text
    history = packet.section("history").data["rows"]
    assert [r.period for r in history] == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert history[3].won_amount == 1500  # May's win, in its own quarter


def test_private_notes_only_when_asked_for_by_the_manager_chain(client, packet_org):
    org = packet_org
    plain = _page(client, org.manager, org.rep).text
    assert SHARED in plain and PRIVATE not in plain
    asked = _page(client, org.manager, org.rep, private="1").text
    assert PRIVATE in asked and "for Rita's manager chain only" in asked
    for reader in (org.rep, org.executive):  # the person never; nor anyone outside the chain
        page = _page(client, reader, org.rep, private="1").text
        assert SHARED in page and PRIVATE not in page
        assert "With private check-in notes" not in page
    assert PRIVATE in _page(client, org.admin, org.rep, private="1").text


def test_a_rep_never_gets_another_reps_packet(client, packet_org):
    org = packet_org
    for other in (org.rep2, org.other_rep):
        assert _page(client, org.rep, other).status_code == 404
        pdf = client.get(reverse("packets:pdf", args=[other.pk]), QUERY)
        assert pdf.status_code == 404
    assert _page(client, org.manager, org.other_rep).status_code == 404
    assert _page(client, org.north_boss, org.rep).status_code == 200  # up the chain


def test_a_bad_period_shows_this_quarter_with_a_message(client, packet_org):
    response = _page(client, packet_org.rep, packet_org.rep, period="2026-Q9")
    assert response.status_code == 200
    assert "quarters run Q1 to Q4" in response.text
    response = _page(client, packet_org.rep, packet_org.rep, as_of="2026-02-30")
    assert response.status_code == 200 and "Not a date" in response.text


PDFTOTEXT, PDFIMAGES = shutil.which("pdftotext"), shutil.which("pdfimages")


@pytest.mark.skipif(not (PDFTOTEXT and PDFIMAGES), reason="needs poppler-utils")
def test_the_pdf_is_the_packet_with_vector_charts(client, packet_org, tmp_path):
    org = packet_org
    client.force_login(org.manager)
    response = client.get(reverse("packets:pdf", args=[org.rep.pk]), QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "packet-rep-2026-Q3.pdf" in response["Content-Disposition"]
    data = response.content
    assert data.startswith(b"%PDF")
    pdf = tmp_path / "packet.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(  # noqa: S603 - poppler on PATH, our own file
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Rita Rep · 2026-Q3" in text
    assert "data read" in text.lower() and "Page 1 of" in text
    assert SHARED in text and PRIVATE not in text
    # The charts are drawn, not pictures: the PDF holds no raster image at all.
    images = subprocess.run(  # noqa: S603 - as above
        [PDFIMAGES, "-list", str(pdf)], capture_output=True, check=True
    )
    assert len(images.stdout.decode().strip().splitlines()) == 2  # the header lines only


def test_the_pdf_fetches_nothing_from_elsewhere(packet_org):
    from weasyprint import HTML

    fetcher = LocalOnly()
    HTML(
        string='<img src="http://127.0.0.2/x.png"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="https://cdn.example/x.css">',
        url_fetcher=fetcher,
    ).write_pdf()
    assert sorted(fetcher.refused) == [
        "file:///etc/passwd",
        "http://127.0.0.2/x.png",
        "https://cdn.example/x.css",
    ]
    packet = packet_get(packet_org.admin, packet_org.rep, period=Q3, as_of=AS_OF)
    used = LocalOnly()
    packet_pdf(packet, used)
    assert used.refused == []


def test_the_command_writes_the_pdf(tmp_path, packet_org):
    out = tmp_path / "rita.pdf"
    call_command(
        "packet", person="rep@acme.test", period="2026-Q3", as_of="2026-09-30", out=str(out)
    )
    assert out.read_bytes().startswith(b"%PDF")
    for bad, said in [
        ({"period": "2026-Q9"}, "quarters run Q1 to Q4"),
        ({"person": "nobody@acme.test"}, "No person"),
        ({"out": str(tmp_path / "x.txt")}, ".pdf file"),
        ({"out": str(tmp_path / "no" / "x.pdf")}, "No folder"),
        ({"as_of": "2026-06-01"}, "starts on"),
    ]:
        args = {"person": "rep@acme.test", "period": "2026-Q3", "out": str(out), **bad}
        with pytest.raises(CommandError, match=said):
            call_command("packet", **args)


def test_the_api_gives_the_pdf_to_whoever_may_read_it(client, packet_org):
    org = packet_org
    url = reverse("api:packet_download")
    client.force_login(org.manager)
    mine = client.get(url, {"person": org.rep.email, **QUERY})
    assert mine.status_code == 200 and mine.content.startswith(b"%PDF")
    assert client.get(url, {"person": org.other_rep.email, **QUERY}).status_code == 404
    assert client.get(url, {"person": org.rep.email, "period": "2026-Q9"}).status_code == 400
    client.force_login(org.rep)
    assert client.get(url, {"person": org.rep2.email, **QUERY}).status_code == 404


def test_the_plan_against_actual_is_the_plans_own_and_the_scorecards(client, packet_org):
    from accountable.plans import services as plans

    org = packet_org
    assert packet_get(org.manager, org.rep, period=Q3, as_of=AS_OF).section("plan").data == {
        "plan": None
    }
    plan = plans.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period="2026-Q3")
    plans.plan_update(actor=org.rep, plan=plan, summary="Close Globex")
    plans.plan_submit(actor=org.rep, plan=plan)
    plans.plan_decide(actor=org.manager, plan=plan, approve=True)
    plans.review_record(actor=org.rep, plan=plan, why="Slow August", what_now="Call Initech")
    shown = packet_get(org.manager, org.rep, period=Q3, as_of=AS_OF).section("plan").data
    row = scorecards.person_scorecard(org.manager, org.rep, period=Q3, as_of=AS_OF).row
    assert shown["plan"] == plan
    assert shown["shown"].quarter.actual == row.won_amount == 3000
    assert shown["shown"].quarter.planned == row.target == 6000
    assert shown["review"].why == "Slow August"
    text = _text(_page(client, org.manager, org.rep).text)
    assert "Plan against actual" in text and "Slow August" in text
    # Another region's manager gets no packet of the rep at all; the rep gets their own.
    assert _page(client, org.other_manager, org.rep).status_code == 404
    assert "Slow August" in _text(_page(client, org.rep, org.rep).text)
