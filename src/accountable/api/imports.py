"""Bulk upserts (`POST /api/v1/{kind}/bulk`) and import results (`GET /api/v1/imports/{id}`).

A bulk call is an import like a file upload in the browser or `accountable
import` on the command line: the same pipeline (`imports.pipeline.import_rows`)
checks every row, matches records by their external id (or e-mail, or name),
and applies the batch completely or not at all. Posting the same rows twice
changes nothing the second time.

Rows use the generic import columns (`imports.formats.FIELDS`), so each kind's
row schema here is built from that one list (an unknown column is refused).
Values may be JSON strings, numbers, booleans or null; the pipeline reads them
as the text a CSV cell would hold, so 4821 or true means the same in a file
and in the API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import wraps
from io import BytesIO
from typing import Annotated, Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import ConfigDict, WithJsonSchema, create_model, field_validator, model_validator

from accountable.api.auth import callers
from accountable.imports import selectors
from accountable.imports.formats import FIELDS, KINDS
from accountable.imports.models import ImportRun
from accountable.imports.pipeline import ImportResult, import_rows
from accountable.imports.rejects import FILE_NAME as REJECTS_FILE
from accountable.imports.rejects import run_dir
from accountable.org.abilities import IMPORT_ABILITIES, roles_with
from accountable.org.models import Role
from accountable.tokens.models import Scope

router = Router(tags=["imports"])

MAX_ROWS = 10_000
# 10,000 rows of a dozen columns are 3 to 4 MB of JSON; 2 KB a row leaves room for
# long names and notes. Django's own limit (2.5 MB) is kept for everything else.
MAX_BODY_BYTES = 20 * 1024 * 1024
# Who may upload each kind: the table of abilities (`org.abilities.IMPORT_ABILITIES`),
# checked here before the body is read, so a refused caller is told at once; the
# pipeline then checks every row's people against the same ability.
BULK_ROLES: dict[str, tuple[str, ...]] = {
    kind: roles_with(IMPORT_ABILITIES[kind]) for kind in KINDS
}

# One cell of a row: text, a number, a boolean or null, documented as one type.
Cell = Annotated[
    str | int | float | bool | None,
    WithJsonSchema({"type": ["string", "number", "boolean", "null"]}),
]


def accepts_body_up_to(limit: int) -> Callable:
    """Let a bulk operation read a body up to `limit` bytes (413 beyond it).

    Django refuses bodies above DATA_UPLOAD_MAX_MEMORY_SIZE when `request.body`
    is first read; reading the stream here, once, lifts that for this
    operation only.
    """

    def decorator(run: Callable) -> Callable:
        @wraps(run)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            if length > limit:
                return JsonResponse(
                    {
                        "detail": f"The request body is larger than the {limit // 2**20} MB "
                        f"a bulk call may carry (and at most {MAX_ROWS:,} rows). "
                        "Send the rows in smaller batches."
                    },
                    status=413,
                )
            limit_django = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if limit_django is not None and length > limit_django:
                request._body = request.read()
                request._stream = BytesIO(request._body)
            return run(request, *args, **kwargs)

        return wrapped

    return decorator


class RejectOut(Schema):
    line: int = Field(description="The row's place in the posted list, counting from 1.")
    reason: str


class BulkOut(Schema):
    run_id: int | None = Field(description="The import run: GET /api/v1/imports/{run_id}.")
    status: str = Field(description="applied, previewed (dry run) or rejected.")
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    rejected: int
    rejected_file: str | None = Field(
        description="If rows were rejected: the URL of all of them as CSV, with their "
        "line and reason (GET it with the same token)."
    )
    warnings: list[str] = Field(description="Flaws worked around, e.g. a near-miss name.")
    rejects: list[RejectOut] = Field(
        description="The rejected rows and why (the first 1,000; `rejected` counts all)."
    )
    unknown_names: dict[str, list[str]] = Field(
        description="Names the rows use that match nothing known, by what they name "
        '(e.g. {"product": ["GTXPro"]}); map them with `names` and post again.'
    )


NUL = "\x00"


def _refuse_nul(text: str, where: str) -> None:
    # No database column holds a NUL character (PostgreSQL refuses it outright), and no
    # CSV or workbook can carry one: it is refused where it comes in, with where.
    if NUL in text:
        raise ValueError(f"{where} holds a NUL character (\\u0000); remove it")


class RowBase(Schema):
    # A file may carry columns nobody maps; a row posted in the generic columns
    # with one Accountable does not know is a typo ("close_dat") that would
    # otherwise be dropped without a word, so it is refused (422, with where).
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _no_nul(self):
        for name, value in self:
            if isinstance(value, str):
                _refuse_nul(value, name)
        return self


class BulkBase(Schema):
    dry_run: bool = Field(False, description="Check every row and report, but write nothing.")
    names: dict[str, dict[str, str]] | None = Field(
        None,
        examples=[None],
        description="Mappings for names the data spells its own way, by what they name: "
        '{"product": {"GTXPro": "GTX Pro"}, "owner": {"A. Hart": "ava.hart@example.com"}}.',
    )

    @field_validator("names")
    @classmethod
    def _no_nul_in_names(cls, names):
        for entity, mapping in (names or {}).items():
            _refuse_nul(entity, "names")
            for name, meaning in mapping.items():
                _refuse_nul(name + meaning, f"names → {entity}")
        return names


def _title(kind: str) -> str:
    return kind.capitalize()


def _row_schema(kind: str) -> type[Schema]:
    """The generic columns of `kind` as a schema: every one optional here (a row missing
    a required one is rejected by the pipeline, with its line), each documented."""
    columns = {
        field.name: (
            Cell,
            Field(
                None,
                description=("Required. " if field.required else "") + field.help,
                examples=[field.example] if field.example else None,
            ),
        )
        for field in FIELDS[kind]
    }
    return create_model(f"{_title(kind)}Row", __base__=RowBase, **columns)


def _bulk_schema(kind: str) -> type[Schema]:
    example = {field.name: field.example for field in FIELDS[kind] if field.example}
    rows = Field(
        min_length=1,
        description=f"1 to {MAX_ROWS:,} rows in the generic {kind} columns.",
        examples=[[example]],
    )
    return create_model(
        f"{_title(kind)}Bulk", __base__=BulkBase, rows=(list[_row_schema(kind)], rows)
    )


def _rows(rows: list[Schema]) -> list[dict[str, Any]]:
    # Only the columns the caller sent: like a file without that column, a
    # missing one leaves the stored value alone. The pipeline turns the values
    # into text as a CSV cell would hold them (true → "yes", 4821 → "4821").
    return [row.model_dump(exclude_unset=True) for row in rows]


def _bulk_view(kind: str, body: type[Schema]) -> Callable:
    def view(request: HttpRequest, payload: BulkBase) -> Status:
        if len(payload.rows) > MAX_ROWS:
            raise HttpError(
                413,
                f"{len(payload.rows):,} rows in one call; the limit is {MAX_ROWS:,}. "
                "Send them in batches: each batch is applied whole or not at all.",
            )
        result = import_rows(
            kind=kind,
            rows=_rows(payload.rows),
            actor=request.user,
            source=ImportRun.Source.API,
            dry_run=payload.dry_run,
            names=payload.names,
            first_line=1,
        )
        return _bulk_response(request, result, dry_run=payload.dry_run)

    view.__name__ = f"bulk_{kind}"
    view.__annotations__ = {"request": HttpRequest, "payload": body}
    return view


def _bulk_response(request: HttpRequest, result: ImportResult, *, dry_run: bool) -> Status:
    summary: Mapping[str, Any] = result.summary
    body = {
        "run_id": result.run.pk if result.run else None,
        "status": result.run.status if result.run else "",
        "dry_run": dry_run,
        **{key: summary.get(key, 0) for key in ("created", "updated", "unchanged", "rejected")},
        "rejected_file": (
            _rejects_url(request, result.run) if summary.get("rejected_file") else None
        ),
        "warnings": [str(warning) for warning in summary.get("warnings") or []],
        "rejects": [{"line": reject.line, "reason": reject.reason} for reject in result.rejects],
        "unknown_names": result.unknown_names or {},
    }
    return Status(422 if body["rejected"] or body["rejects"] else 200, body)


for _kind in KINDS:
    _view = _bulk_view(_kind, _bulk_schema(_kind))
    decorate_view(accepts_body_up_to(MAX_BODY_BYTES))(_view)
    router.post(
        f"/{_kind}/bulk",
        response={200: BulkOut, 422: BulkOut},
        auth=callers(scope=Scope.WRITE, roles=BULK_ROLES[_kind], action=f"upload {_kind}"),
        url_name=f"bulk_{_kind}",
        operation_id=f"bulk_{_kind}",
        summary=f"Upsert {_kind} in bulk",
        description=(
            f"Creates or updates up to {MAX_ROWS:,} {_kind} in one call, through the same "
            "checks as a file import. 200: applied (or, with `dry_run`, would apply). "
            "422: some rows were rejected and nothing was applied; fix them and post the "
            "batch again. Posting the same rows twice reports them all unchanged. "
            "Needs a token with the write scope, of "
            + (
                "an admin or a manager (for the people in their teams)."
                if Role.MANAGER in BULK_ROLES[_kind]
                else "an admin."
            )
        ),
    )(_view)


def _rejects_url(request: HttpRequest, run: ImportRun) -> str:
    return request.build_absolute_uri(reverse("api:import_rejects", args=[run.pk]))


class ImportRunOut(Schema):
    id: int
    kind: str
    source: str = Field(description="api, upload (the browser) or cli.")
    status: str = Field(description="uploaded, previewed, applied, rejected or failed.")
    file_name: str
    created_by: str | None = Field(description="The e-mail of who ran it.")
    created_at: datetime
    applied_at: datetime | None
    rows: int | None = Field(description="Rows read.")
    created: int
    updated: int
    unchanged: int
    rejected: int
    rejected_file: str | None = Field(description="The rejected rows as CSV, if any.")
    warnings: list[str]
    unknown_names: dict[str, list[str]]
    error: str | None = Field(description="Why a failed run could not be imported at all.")

    @staticmethod
    def resolve_created_by(obj: ImportRun) -> str | None:
        return obj.created_by.email if obj.created_by_id else None

    @staticmethod
    def resolve_rejected_file(obj: ImportRun, context: dict) -> str | None:
        if not obj.summary.get("rejected_file"):
            return None
        return _rejects_url(context["request"], obj)

    @staticmethod
    def resolve_rows(obj: ImportRun) -> int | None:
        return obj.summary.get("rows")

    @staticmethod
    def resolve_created(obj: ImportRun) -> int:
        return obj.summary.get("created") or 0

    @staticmethod
    def resolve_updated(obj: ImportRun) -> int:
        return obj.summary.get("updated") or 0

    @staticmethod
    def resolve_unchanged(obj: ImportRun) -> int:
        return obj.summary.get("unchanged") or 0

    @staticmethod
    def resolve_rejected(obj: ImportRun) -> int:
        return obj.summary.get("rejected") or 0

    @staticmethod
    def resolve_warnings(obj: ImportRun) -> list[str]:
        return obj.summary.get("warnings") or []

    @staticmethod
    def resolve_unknown_names(obj: ImportRun) -> dict[str, list[str]]:
        return obj.summary.get("unknown_names") or {}

    @staticmethod
    def resolve_error(obj: ImportRun) -> str | None:
        return obj.summary.get("error")


@router.get(
    "/imports/{run_id}",
    response=ImportRunOut,
    summary="The result of an import",
    description="An import run you made (by API, upload or command line); admins see any.",
)
def import_run(request: HttpRequest, run_id: int):
    return selectors.run_get(request.user, run_id)


@router.get(
    "/imports/{run_id}/rejected.csv",
    response={200: None},
    summary="The rejected rows of an import, as CSV",
    description="Each rejected row as it was sent, after its `line` and `reason`. "
    "404 when nothing was rejected.",
    openapi_extra={"responses": {200: {"content": {"text/csv": {}}}}},
)
def import_rejects(request: HttpRequest, run_id: int):
    run = selectors.run_get(request.user, run_id)
    path = run_dir(run.pk) / REJECTS_FILE
    if not path.exists():
        raise HttpError(404, f"Import run {run.pk} rejected no rows.")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"import-{run.pk}-rejected.csv",
        content_type="text/csv; charset=utf-8",
    )
