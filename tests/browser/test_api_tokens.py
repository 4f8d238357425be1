"""A manager makes an API token, sees its secret once, uploads deals with it, revokes
it, and the next call is refused. The API reference renders from our own host."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from accountable.crm.models import Deal
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def call(live_server, method: str, path: str, secret: str, body: dict | None = None):
    """(status, JSON body) of one API call with the token, as a script would make it."""
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        live_server.url + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - test server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_manager_makes_uses_and_revokes_a_token(page, shoot, live_server, org):
    sign_in(page, org.manager.email, PASSWORD)
    page.locator("details.account summary").click()  # the avatar opens the account menu
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    expect(page.get_by_text("You have no API tokens yet")).to_be_visible()
    shoot(page, "api-tokens-empty")

    page.get_by_role("link", name="New token").click()
    page.get_by_label("Name").fill("CRM nightly sync")
    page.get_by_label("Access").select_option("write")
    page.get_by_label("Expires").select_option("30")
    shoot(page, "api-token-new")
    page.get_by_role("button", name="Create token").click()

    expect(page.get_by_role("heading", name="Your new API token")).to_be_visible()
    expect(page.get_by_text("this is the only time it is shown")).to_be_visible()
    secret = page.get_by_label("Token").input_value()
    assert re.fullmatch(r"acc_[0-9a-f]{8}_[\w-]{40,}", secret)
    page.get_by_role("button", name="Copy token").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    shoot(page, "api-token-created")

    rows = [
        {
            "external_id": "OPP-1",
            "name": "Acme renewal",
            "owner_email": org.rep.email,
            "amount": 4821,
            "stage": "Proposal",
            "created_date": "2026-07-01",
            "close_date": "2026-09-30",
        },
        {
            "external_id": "OPP-2",
            "owner_email": org.rep2.email,
            "amount": "1200.50",
            "stage": "Won",
            "created_date": "2026-06-01",
            "close_date": "2026-08-14",
        },
    ]
    status, body = call(live_server, "POST", "/api/v1/deals/bulk", secret, {"rows": rows})
    assert (status, body["created"], body["rejected"]) == (200, 2, 0), body
    assert Deal.objects.filter(owner=org.rep2, status="won").count() == 1
    status, body = call(live_server, "POST", "/api/v1/deals/bulk", secret, {"rows": rows})
    assert (status, body["unchanged"]) == (200, 2), body
    status, body = call(live_server, "GET", "/api/v1/deals?status=won", secret)
    assert [deal["external_id"] for deal in body["items"]] == ["OPP-2"]

    page.goto("/account/tokens/")
    row = page.get_by_role("row", name=re.compile("CRM nightly sync"))
    expect(row).to_contain_text(secret[:12])
    expect(row).not_to_contain_text(secret)
    expect(row).to_contain_text("read write")
    expect(row).to_contain_text("Active")
    expect(row).not_to_contain_text("never")
    shoot(page, "api-tokens-list")

    row.get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("heading", name="Revoke “CRM nightly sync”?")).to_be_visible()
    shoot(page, "api-token-revoke")
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_text("Revoked “CRM nightly sync”")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("CRM nightly sync"))).to_contain_text("Revoked")
    shoot(page, "api-tokens-revoked")

    status, body = call(live_server, "GET", "/api/v1/deals", secret)
    assert status == 401 and "revoked" in body["detail"]


def test_a_rep_can_only_make_read_tokens(page, shoot, org):
    sign_in(page, org.rep.email, PASSWORD)
    page.goto("/account/tokens/new/")
    options = page.get_by_label("Access").locator("option")
    expect(options).to_have_count(1)
    expect(options).to_have_text(["Read only: fetch the data you can see"])
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".field.invalid")).to_contain_text("This field is required")
    shoot(page, "api-token-new-error")


def test_the_api_reference_loads_nothing_from_other_hosts(page, shoot, live_server, org):
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, org.manager.email, PASSWORD)
    page.goto("/api/docs")
    expect(page.get_by_role("heading", name=re.compile("Accountable API"))).to_be_visible()
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    operations = page.locator(".opblock-summary-path")
    paths = [text.replace("\u200b", "") for text in operations.all_inner_texts()]
    assert "/api/v1/deals/bulk" in paths and "/api/v1/deals" in paths
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    shoot(page, "api-docs")

    host = urlsplit(live_server.url).netloc
    foreign = [url for url in requests if not url.startswith(("data:", "blob:"))]
    foreign = [url for url in foreign if urlsplit(url).netloc != host]
    assert requests and not foreign, foreign
    assert not [p for p in problems if "Content Security Policy" in p], problems
