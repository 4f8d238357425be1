"""A manager opens a rep's scorecard, prepares the review packet with one click, reads it
as a page and downloads it as a PDF (its pages drawn to PNG to be looked at); the rep
opens their own, without the private notes, and never another rep's."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from accountable.plans import services as plans
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.conftest import PASSWORD
from tests.packets.conftest import PRIVATE, SHARED, packet_org  # noqa: F401 - the data
from tests.scorecards.conftest import Q3

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUERY = "?period=2026-Q3&as_of=2026-09-30"


def _approved_plan(org) -> None:
    plan = plans.plan_start(actor=org.rep, person=org.rep, kind="quarterly", period="2026-Q3")
    plans.plan_update(actor=org.rep, plan=plan, summary="Close Globex and Acme")
    plans.plan_submit(actor=org.rep, plan=plan)
    plans.plan_decide(actor=org.manager, plan=plan, approve=True)
    plans.review_record(
        actor=org.rep, plan=plan, why="August was slow", what_now="Call Initech", as_of=Q3.end
    )


def test_the_packet_is_one_click_from_the_scorecard(page, shoot, packet_org):  # noqa: F811
    org = packet_org
    _approved_plan(org)
    sign_in(page, org.manager.email, PASSWORD)
    page.goto(f"/scorecard/{org.rep.pk}/{QUERY}")
    page.get_by_role("link", name="Review packet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rita Rep · 2026-Q3")
    main = page.locator("main")
    for title in (
        "Scorecard against the team",
        "Against their own history",
        "Warnings, diagnosis and the three rights",
        "Commitments kept and missed",
        "Forecast accuracy",
        "Plan against actual",
        "Open action items",
        "The last check-ins",
        "Latest performance review",
    ):
        expect(main.get_by_role("heading", name=title)).to_be_visible()
    expect(main).to_contain_text("Data read")
    expect(main).to_contain_text(SHARED)
    expect(main).not_to_contain_text(PRIVATE)
    expect(main).to_contain_text("August was slow")
    assert main.locator("svg").count() > 5  # the charts, inline
    shoot(page, "packet")

    page.get_by_label("With private check-in notes").check()
    page.get_by_role("button", name="Prepare").click()
    expect(main).to_contain_text(PRIVATE)
    expect(main).to_contain_text("for Rita's manager chain only")
    shoot(page, "packet-private")

    page.get_by_label("With private check-in notes").uncheck()
    page.get_by_role("button", name="Prepare").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = SCREENSHOTS / "packet.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(  # noqa: S603 - poppler on PATH, our own file
            [
                shutil.which("pdftoppm"),
                "-r",
                "60",
                "-png",
                str(pdf),
                str(SCREENSHOTS / "packet-pdf"),
            ],
            check=True,
        )
        assert list(SCREENSHOTS.glob("packet-pdf-*.png"))


def test_a_rep_gets_their_own_packet_and_never_anothers(page, shoot, packet_org):  # noqa: F811
    org = packet_org
    sign_in(page, org.rep.email, PASSWORD)
    page.goto(f"/packets/{org.rep.pk}/{QUERY}&private=1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rita Rep · 2026-Q3")
    expect(page.locator("main")).to_contain_text(SHARED)
    expect(page.locator("main")).not_to_contain_text(PRIVATE)
    expect(page.get_by_label("With private check-in notes")).to_have_count(0)
    shoot(page, "packet-rep")
    for other in (org.rep2, org.other_rep):
        response = page.goto(f"/packets/{other.pk}/{QUERY}")
        assert response.status == 404
        response = page.request.get(f"/packets/{other.pk}/packet.pdf{QUERY}")
        assert response.status == 404
