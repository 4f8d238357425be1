"""Hostile input is refused in words, never with a 500.

Every URL of the site and every endpoint of the API is requested as each role with
values a form or a script could send by mistake or on purpose: dates at and past the
ends of the calendar, numbers too large for any column, NaN and infinity, unknown and
huge ids, words where a number belongs. Any answer will do (200 with a message, 302,
400, 403, 404, 422) except a server error.

What to fill comes from the product itself. The walk starts from the permission
matrix's URLs (so a page or endpoint is walked as soon as it is in the matrix, which
`test_permissions` enforces). A page's query parameters are the ones the page reads
(recorded on QueryDict while it renders); its forms are the ones it renders, posted
back with their own values and hostile ones in place. The API's parameters and bodies
come from its OpenAPI schema.

Each form and request body is walked once, as the first role that may use it (the
least privileged first); pages and query strings are walked as every role, since
each role's pages compute different things.
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from io import StringIO
from unittest import mock
from urllib.parse import urlencode, urlsplit

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from accountable.api.router import api
from accountable.crm.models import Account, ActivityKind, Product
from accountable.crm.upsert import activities_upsert, deals_upsert
from accountable.goals.services import target_set
from accountable.imports.models import ImportRun
from accountable.org.calendar import DEFAULT_CALENDAR, EARLIEST, LATEST
from accountable.tokens.services import token_create
from tests.conftest import Org
from tests.scorecards.conftest import activity, at, deal
from tests.test_permissions import MATRIX

pytestmark = pytest.mark.django_db

DATES = [
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
]
NUMBERS = ["1e308", "99999999999999999999", "-1", "NaN", "inf"]
# Period labels at the calendar's ends: the periods before and after them are looked at.
PERIODS = ["1900", "2999-Q4"]
HOSTILE = [*DATES, *NUMBERS, *PERIODS, "abc"]
# Values that parse, at the calendar's ends: each role's pages compute something else
# with them, so every role tries them; the rest are tried once per page or form.
EDGES = ["0001-01-01", "9999-12-31"]
HUGE_ID = "99999999999999999999"
UNKNOWN_ID = "987654321"
# Least privileged first: a form or body is walked by the first role that may use it.
ROLES = ["rep", "executive", "manager", "admin"]
# Posting these would end the session or the walk's own token.
SKIP_POST = {"logout", "password_change", "tokens:revoke"}
TODAY = datetime(2026, 8, 17, 12, tzinfo=UTC)


def check(errors: list[str]) -> None:
    """No server error, whatever was sent: each one found is listed with its traceback."""
    assert not errors, f"{len(errors)} server errors:\n\n" + "\n\n".join(errors)


# Fields of one kind take the same values, all at once: a form cleans every field even
# when another fails, so filling a kind at once hides none of their parsing.
GROUPS = {
    "date": "date",
    "datetime-local": "date",
    "number": "number",
    "select": "choice",
    "checkbox": "choice",
    "radio": "choice",
}
VALUES = {
    "date": DATES,
    "number": [*NUMBERS, "abc"],
    "choice": [UNKNOWN_ID, HUGE_ID, "-1", "abc"],
    # Text is read as anything: the values that parse as something else, and a word.
    "text": [*EDGES, *NUMBERS, *PERIODS, "abc"],
}


def variants(
    values: dict, groups: dict[str, str], done: set | None = None
) -> Iterator[tuple[str, dict]]:
    """`values` with hostile ones in place: for each group of fields (by kind; hidden
    fields, which each mean something else, alone), each value the group might let
    through, in every field of the group at once. Fields in `done` were tried before
    (the same form as another role): only groups with a field new to it are tried."""
    members: dict[str, list[str]] = {}
    for name, group in groups.items():
        members.setdefault(group, []).append(name)
    for group, names in members.items():
        if done is not None and done.issuperset(names):
            continue
        for value in VALUES.get(group, VALUES["text"]):
            yield group, {**values, **dict.fromkeys(names, value)}
    if done is not None:
        done.update(groups)


# ---- reading pages --------------------------------------------------------------------


class Form:
    """A form as a page renders it: where it goes, its values and each field's group."""

    def __init__(self, method: str, action: str) -> None:
        self.method = method
        self.action = action
        self.values: dict[str, str] = {}
        self.groups: dict[str, str] = {}

    def add(self, name: str, kind: str, value: str) -> None:
        if name == "csrfmiddlewaretoken" or (name in self.values and not value):
            return  # the client needs no token; the first ticked box or radio stands
        self.values[name] = value
        self.groups[name] = name if kind == "hidden" else GROUPS.get(kind, "text")


class Forms(HTMLParser):
    """The forms of a page, fields given with `form="id"` outside them included."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._current: Form | None = None
        self._select: str | None = None
        self._by_id: dict[str, Form] = {}
        self._outside: list[tuple[str, str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            action = a.get("hx-post") or a.get("hx-get") or a.get("action", "")
            method = "post" if "hx-post" in a else a.get("method", "get").lower()
            self._current = Form(method, action)
            self.forms.append(self._current)
            self._by_id[a.get("id", "")] = self._current
        elif tag == "option" and self._select and self._current is not None:
            if "selected" in a or not self._current.values.get(self._select):
                self._current.values[self._select] = a.get("value", "")
        elif tag in ("input", "select", "textarea") and a.get("name"):
            kind = a.get("type", "text").lower() if tag == "input" else tag
            if a.get("inputmode") in ("decimal", "numeric"):
                kind = "number"  # a number typed as text (commas allowed, say)
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            checked = kind not in ("checkbox", "radio") or "checked" in a
            value = a.get("value", "") if checked else ""
            if a.get("form"):
                self._outside.append((a["form"], a["name"], kind, value))
            elif self._current is not None:
                self._current.add(a["name"], kind, value)
            if tag == "select":
                self._select = a["name"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None

    def close(self) -> None:
        super().close()
        for form_id, name, kind, value in self._outside:
            if form_id in self._by_id:
                self._by_id[form_id].add(name, kind, value)


class Reads:
    """The query and form keys a request reads, present or not, recorded on QueryDict."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def __enter__(self) -> Reads:
        def recording(method):
            def read(querydict, key, *args, **kwargs):
                self.keys.add(key)
                return method(querydict, key, *args, **kwargs)

            return read

        self._patches = [
            mock.patch.object(QueryDict, name, recording(getattr(QueryDict, name)))
            for name in ("get", "getlist", "__getitem__", "__contains__")
        ]
        for patch in self._patches:
            patch.start()
        return self

    def __exit__(self, *exc) -> None:
        for patch in self._patches:
            patch.stop()


class Walk:
    """Requests as one caller; every server error is kept with its last lines."""

    def __init__(self, role: str, client: Client, headers: dict[str, str] | None = None):
        self.role = role
        self.client = client
        self.headers = headers or {}
        self.requests = 0

    def call(self, errors: list[str], method: str, path: str, data=None, *, as_json=False):
        self.requests += 1
        kwargs: dict = {"headers": self.headers}
        if as_json:
            kwargs.update(data=json.dumps(data), content_type="application/json")
        elif data is not None:
            kwargs["data"] = data
        shown = json.dumps(data, default=str) if data is not None else ""
        where = f"{self.role}: {method.upper()} {path} {shown[:400]}"
        try:
            response = getattr(self.client, method)(path, **kwargs)
        except Exception as error:  # the test client raises what the view raised
            last = "".join(traceback.format_exception(error)[-3:]).rstrip()
            errors.append(f"{where}\n{last}")
            return None
        if response.status_code >= 500:
            errors.append(f"{where}: {response.status_code}")
        return response

    def write(
        self, errors: list[str], method: str, path: str, data, *, as_json=False, follow=False
    ):
        """A write, undone afterwards so that the walk goes on against the same data;
        with `follow`, its redirect is followed first, to read back what was written."""
        with transaction.atomic():
            response = self.call(errors, method, path, data, as_json=as_json)
            moved = follow and response is not None and response.status_code in (301, 302, 303)
            if moved and response["Location"].startswith("/"):
                self.call(errors, "get", response["Location"])
            transaction.set_rollback(True)
        return response


def _with(path: str, **query: str) -> str:
    base, _, existing = path.partition("?")
    pairs = dict(part.split("=", 1) for part in existing.split("&") if "=" in part)
    return f"{base}?{urlencode({**pairs, **query})}"


def _name_of(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return ""


def _wrong_ids(route: str) -> Iterator[str]:
    """A route ("deals/<int:pk>/") with unknown and huge ids, and words where a string
    parameter lets them through."""
    values = [UNKNOWN_ID, HUGE_ID]
    if re.search(r"<(?!int:)", route):
        values += ["-1", "abc", "1e308", "NaN"]
    for value in values:
        yield "/" + re.sub(r"<(?:\w+:)?\w+>", value, route).lstrip("/")


def _routes() -> Iterator[str]:
    def walk(patterns, prefix: str = "") -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and "<" in str(pattern.pattern):
                yield prefix + str(pattern.pattern)

    yield from walk(get_resolver().url_patterns)


# ---- data for the pages to compute ----------------------------------------------------


@pytest.fixture
def seeded(org: Org, settings, tmp_path) -> Org:
    """Q3 2026 sales and targets for North Field, and the account, product and deal the
    API's examples name, so that pages compute and example rows apply."""
    settings.VAR_DIR = tmp_path  # imports keep files
    # The import wizard's steps run as they are queued, so their answers are walked too.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    Account.objects.create(name="Acme Corporation")
    Product.objects.create(name="GTX Pro", product_line="GTX")
    deals_upsert(
        [
            deal("W1", org.rep, amount="1000"),
            deal("L1", org.rep, stage_name="Lost", amount="500"),
            deal("OPP-1001", org.rep, stage_name="Proposal", expected_close_on=date(2026, 9, 15)),
            deal("W3", org.rep2, amount="3000"),
            deal("X1", org.other_rep, amount="9000"),
        ]
    )
    activities_upsert(
        [activity(f"C{i}", org.rep, at(3 + i)) for i in range(3)]
        + [activity("M1", org.rep, at(10), ActivityKind.MEETING, meeting_number=1)]
    )
    for owner in (org.rep, org.rep2, org.north_field):
        target_set(
            actor=org.admin, owner=owner, metric="revenue", period_label="2026-Q3", value="5000"
        )
    assert DEFAULT_CALENDAR.parse("2026-Q3").contains(TODAY.date())
    return org


# ---- the site -------------------------------------------------------------------------


def _walk_pages(walk: Walk, org: Org, walked: dict, errors: list[str], wrong_ids: bool) -> None:
    """Each page the matrix lists; at the first path of each URL name that opens, the
    query parameters it reads (all at once: pages read each on its own) and each form
    it renders; then, with `wrong_ids`, every route with ids that are unknown, huge or
    not ids at all."""
    opened: set[str] = set()
    for name, cases in MATRIX.items():
        if name.startswith("api:"):
            continue
        for path in dict.fromkeys(case.path(org) for case in cases):
            if name in opened:
                break  # the matrix's other paths to it differ in who may see them
            with Reads() as reads:
                response = walk.call(errors, "get", path)
            if response is None or response.status_code != 200:
                continue
            opened.add(name)
            tried = walked.setdefault(("get", name), set())
            values = EDGES if tried.issuperset(reads.keys) else HOSTILE
            for value in values if reads.keys else []:
                walk.call(errors, "get", _with(path, **dict.fromkeys(reads.keys, value)))
            tried.update(reads.keys)
            if "html" in response.get("Content-Type", ""):
                _walk_forms(walk, path, response.content.decode(), walked, errors)
    for route in _routes() if wrong_ids else []:
        for path in _wrong_ids(route):
            if not path.startswith("/api/"):
                walk.call(errors, "get", path)
                if _name_of(path) not in SKIP_POST:
                    walk.write(errors, "post", path, {})


def _walk_forms(walk: Walk, page: str, html: str, walked: dict, errors: list[str]) -> None:
    parser = Forms()
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        target = form.action or page
        name = _name_of(target)
        if not target.startswith("/") or name in SKIP_POST:
            continue
        done = walked.setdefault((form.method, name, "form"), set())
        for group, data in variants(form.values, form.groups, done):
            if form.method == "get":
                walk.call(errors, "get", _with(target, **data))
            else:
                # A number a field let through is read back on the page it leads to.
                walk.write(errors, "post", target, data, follow=group == "number")


def test_no_page_answers_500_to_hostile_input(seeded):
    errors: list[str] = []
    walked: dict = {}
    requests = 0
    with time_machine.travel(TODAY, tick=False):
        for role in ROLES:
            client = Client()
            client.force_login(seeded.by_role()[role])
            walk = Walk(role, client)
            # Unknown ids are a 404 whoever asks: the least and the most privileged try them.
            _walk_pages(walk, seeded, walked, errors, wrong_ids=role in (ROLES[0], ROLES[-1]))
            requests += walk.requests
    forms = [key for key, fields in walked.items() if key[-1] == "form" and fields]
    assert len(forms) > 20 and requests > 1000, "the walk found too little to mean much"
    check(errors)


# ---- the API --------------------------------------------------------------------------

# What the schema's examples leave out, and the named people for the ones they invent.
API_VALUES = {
    "owner": "rep@acme.test",
    "team": "North Field",
    "metric": "revenue",
    "period": "2026-Q3",
    "year": "2026",
    "value": "5000",
    "note": "Seen.",
}
API_PEOPLE = {"ava.hart@example.com": "rep@acme.test", "max.boss@example.com": "manager@acme.test"}
DATE_FIELD = re.compile(r"(^|_)(date|on|at|from|to|since|until|as_of)$")
NUMBER_FIELD = re.compile(r"(amount|value|price|employees|number|share|limit|offset|_id)$")
VALUES_JSON = {
    "date": [*DATES, "abc"],
    "number": [*NUMBERS, "abc", 1e308, 99999999999999999999, -1],
    "text": [*HOSTILE, 1e308, None, []],
    "top": [None, "abc", 1e308, [], {}],
}


def _example(schema: dict, components: dict, name: str = ""):
    """A value the schema accepts: its example, the named people's stand-ins, a default."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[1]], components, name)
    if name in API_VALUES:
        return API_VALUES[name]
    if schema.get("examples"):
        found = schema["examples"][0]
        return json.loads(json.dumps(found), object_hook=_named_people) if found else found
    if "default" in schema:
        return schema["default"]
    if "properties" in schema:
        return {
            key: _example(value, components, key) for key, value in schema["properties"].items()
        }
    return "x"


def _named_people(row: dict) -> dict:
    return {key: API_PEOPLE.get(value, value) for key, value in row.items()}


def _group(name: str, schema: dict | None = None) -> str:
    """ "date", "number" or "text": by the parameter's schema, else by its name (a row's
    columns take strings, numbers and booleans alike)."""
    text = json.dumps(schema or {})
    if '"format": "date"' in text or DATE_FIELD.search(name):
        return "date"
    if '"type": "integer"' in text or NUMBER_FIELD.search(name):
        return "number"
    return "text"


def _body_variants(body) -> Iterator:
    """The body with hostile values in place, at its top and in its first row, by group."""
    if not isinstance(body, dict):
        return
    rows = body.get("rows")
    if isinstance(rows, list) and rows and isinstance(rows[0], dict):
        for value in VALUES_JSON["top"]:
            yield {**body, "rows": value}
        for row in variants_json(rows[0]):
            yield {**body, "rows": [row]}
        for key in set(body) - {"rows"}:
            for value in VALUES_JSON["top"]:
                yield {**body, key: value}
        return
    yield from variants_json(body)


def variants_json(values: dict) -> Iterator[dict]:
    """Like `variants`, for a JSON object: values of a group at once, JSON numbers too."""
    members: dict[str, list[str]] = {}
    for name in values:
        members.setdefault(_group(name), []).append(name)
    for group, names in members.items():
        for value in VALUES_JSON[group]:
            yield {**values, **dict.fromkeys(names, value)}


def _edges(groups: dict[str, str]) -> Iterator[dict[str, str]]:
    """The calendar's ends in the parameters that take a date, a group at a time (a
    parameter of another type would refuse them and hide the rest)."""
    for group in ("date", "text"):
        names = [name for name, kind in groups.items() if kind == group]
        for value in EDGES if names else []:
            yield dict.fromkeys(names, value)


def _api_paths(org: Org) -> dict[str, list[str]]:
    """Each API route in the OpenAPI schema's spelling, with the matrix's paths to it."""
    found: dict[str, list[str]] = {}
    for name, cases in MATRIX.items():
        if name.startswith("api:"):
            for case in cases:
                path = case.path(org)
                route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", resolve(urlsplit(path).path).route)
                found.setdefault("/" + route, [])
                if path not in found["/" + route]:
                    found["/" + route].append(path)
    return found


def _walk_api(walk: Walk, org: Org, walked: dict, errors: list[str]) -> None:
    """Each operation at the matrix's paths and at unknown, huge and wrong ids; its
    query parameters by type, all of a type at once; its body, once, as the first
    role it lets in."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    known = _api_paths(org)
    for template, operations in schema["paths"].items():
        assert template in known, f"{template} is not in the permission matrix"
        wrong = list(_wrong_ids(re.sub(r"\{(\w+)\}", r"<\1>", template)))
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            body_schema = content.get("application/json", {}).get("schema")
            body = _example(body_schema, components) if body_schema else None
            first = None
            for path in [*known[template], *wrong]:
                if body is None:
                    response = walk.call(errors, method, path)
                else:
                    response = walk.write(errors, method, path, body, as_json=True)
                first = first or response
            base = known[template][0]
            groups = {
                p["name"]: _group(p["name"], p["schema"])
                for p in operation.get("parameters", [])
                if p["in"] == "query"
            }
            tried = walked.setdefault((method, template, "query"), set())
            queries = [query for _, query in variants({}, groups)] if not tried else _edges(groups)
            for query in queries:
                walk.call(errors, method, _with(base, **query))
            tried.update(groups)
            allowed = first is not None and first.status_code not in (401, 403, 405)
            done = walked.setdefault((method, template, "body"), set())
            if body is not None and allowed and not done:
                done.add("walked")
                for data in _body_variants(body):
                    walk.write(errors, method, base, data, as_json=True)


def test_no_api_endpoint_answers_500_to_hostile_input(seeded):
    errors: list[str] = []
    walked: dict = {}
    requests = 0
    with time_machine.travel(TODAY, tick=False):
        for role in ROLES:
            person = seeded.by_role()[role]
            scopes = ["read", "write"] if role in ("admin", "manager") else ["read"]
            _, secret = token_create(actor=person, name="walk", scopes=scopes)
            walk = Walk(role, Client(), headers={"Authorization": f"Bearer {secret}"})
            _walk_api(walk, seeded, walked, errors)
            requests += walk.requests
    bodies = [key for key, done in walked.items() if key[-1] == "body" and done]
    assert len(bodies) >= 10 and requests > 500, "the walk found too little to mean much"
    assert not errors, f"{len(errors)} server errors:\n\n" + "\n\n".join(errors)


# ---- the calendar's ends, by name ------------------------------------------------------


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"])
@pytest.mark.parametrize("name", ["scorecards:board", "scorecards:mine", "scorecards:leaderboard"])
def test_an_as_of_outside_the_calendar_is_a_message_on_the_page(seeded, client, name, as_of):
    client.force_login(seeded.manager)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(reverse(name), {"as_of": as_of})
    assert response.status_code == 200
    assert f"dates run {EARLIEST.isoformat()} to {LATEST.isoformat()}" in response.content.decode()


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("name", ["api:scorecards", "api:scorecard_teams", "api:diagnosis"])
def test_an_as_of_outside_the_calendar_is_a_400_from_the_api(seeded, client, name, as_of):
    _, secret = token_create(actor=seeded.manager, name="t", scopes=["read"])
    response = client.get(
        reverse(name), {"as_of": as_of}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 400
    assert "dates run" in response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        {"closed_from": "9999-12-31"},
        {"closed_to": "0001-01-01"},
        {"offset": "99999999999999999999"},
        {"limit": "1e308"},
    ],
)
def test_api_filters_outside_their_range_are_a_422(seeded, client, query):
    _, secret = token_create(actor=seeded.manager, name="t", scopes=["read"])
    response = client.get(
        reverse("api:deals"), query, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == list(query)


@pytest.mark.parametrize("value", ["1e308", "99999999999999999999", "NaN", "-1"])
def test_an_api_target_too_large_is_a_422(seeded, client, value):
    _, secret = token_create(actor=seeded.manager, name="t", scopes=["read", "write"])
    body = {"owner": "rep@acme.test", "metric": "revenue", "period": "2026-Q3", "value": value}
    response = client.put(
        reverse("api:target_put"),
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "value"


def test_a_manager_id_past_the_database_is_an_unknown_choice(seeded, client):
    client.force_login(seeded.admin)
    response = client.post(
        reverse("org:team_new"),
        {"name": "East", "kind": "team", "parent": "", "managers": ["99999999999999999999"]},
    )
    assert response.status_code == 200
    assert "Select a valid choice. 99999999999999999999 is not one" in response.content.decode()


@pytest.mark.parametrize("value", ["1e308", "99999999999999999999"])
def test_a_goal_target_too_large_is_a_form_error(seeded, client, value):
    client.force_login(seeded.manager)
    response = client.post(
        reverse("goals:goal_new"),
        {"person": seeded.rep.pk, "metric": "revenue", "period": "2026-Q3", "target_value": value},
    )
    assert response.status_code == 200
    assert "Ensure that there are no more than" in response.content.decode()


# A file's well-formed activity rows skip the row validator (imports.fast_rows.UtcText
# converts their time itself) unless their day is outside the calendar: then the
# validator rejects them, with its reason.
@pytest.mark.parametrize(
    "when",
    [
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59",
        "1899-12-31",
        "3000-01-01 10:00",
    ],
)
def test_an_activity_outside_the_calendar_is_a_rejected_row_in_the_wizard(seeded, client, when):
    client.force_login(seeded.manager)
    text = f"external_id,owner_email,kind,occurred_at\nA-1,rep@acme.test,call,{when}\n"
    upload = {
        "kind": "activities",
        "preset": "generic",
        "file": SimpleUploadedFile("a.csv", text.encode()),
    }
    client.post(reverse("imports:new"), upload, follow=True)
    run = ImportRun.objects.get()
    columns = {name: name for name in run.mapping["columns"]}
    client.post(reverse("imports:columns", args=[run.pk]), columns, follow=True)
    response = client.post(reverse("imports:apply", args=[run.pk]), follow=True)
    run.refresh_from_db()
    assert response.status_code == 200 and run.status == "rejected", run.status


@pytest.mark.parametrize(
    "when",
    [
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59",
        "1899-12-31",
    ],
)
def test_an_activity_outside_the_calendar_is_a_rejected_row_on_the_command_line(
    seeded, tmp_path, when
):
    path = tmp_path / "activities.csv"
    path.write_text(f"external_id,owner_email,kind,occurred_at\nA-1,rep@acme.test,call,{when}\n")
    stderr = StringIO()
    with pytest.raises(SystemExit) as stopped:  # rejected rows: listed, and exit status 1
        call_command("import", "activities", str(path), stdout=StringIO(), stderr=stderr)
    assert stopped.value.code == 1 and "is outside the calendar" in stderr.getvalue()


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "1899-12-31", "3000-01-01 10:00"]
)
def test_an_activity_outside_the_calendar_is_a_rejected_row_in_the_api(seeded, client, when):
    _, secret = token_create(actor=seeded.manager, name="t", scopes=["read", "write"])
    row = {
        "external_id": "A-1",
        "owner_email": "rep@acme.test",
        "kind": "call",
        "occurred_at": when,
    }
    response = client.post(
        reverse("api:bulk_activities"),
        {"rows": [row]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422
    assert "outside the calendar" in response.json()["rejects"][0]["reason"]


def test_a_deal_dated_outside_the_calendar_is_a_form_error(seeded, client):
    client.force_login(seeded.manager)
    page = client.get(reverse("crm:deal_new")).content.decode()
    parser = Forms()
    parser.feed(page)
    parser.close()
    form = next(f for f in parser.forms if f.method == "post")
    response = client.post(reverse("crm:deal_new"), {**form.values, "created_on": "9999-12-31"})
    assert response.status_code == 200
    assert f"dates run {EARLIEST.isoformat()} to {LATEST.isoformat()}" in response.content.decode()


# ---- the command line -----------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1899-12-31"])
@pytest.mark.parametrize(
    "command",
    [
        ["scorecard", "--period", "2026-Q3"],
        ["period", "2026-Q3"],
        ["signals"],
        ["diagnose"],
        ["rights"],
        ["evaluate"],
    ],
)
def test_the_command_line_says_which_dates_it_takes(org, command, as_of):
    with pytest.raises(CommandError, match="dates run 1900-01-01 to 2999-12-31"):
        call_command(*command, "--as-of", as_of, stdout=StringIO())
