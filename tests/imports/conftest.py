"""Fixtures for the import tests: files written on the fly, kept files in a temp VAR_DIR,
and a small catalogue of accounts and products next to the named `org` people."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from accountable.crm.models import Account, Product

MAVEN_DIR = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "crm-sales-opportunities"
)

DEALS_HEADER = (
    "external_id,name,account,owner_email,product,amount,type,stage,status,"
    "created_date,close_date,lost_reason"
)


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    """Kept uploads and rejected files go to a temporary folder, never to var/."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()


@pytest.fixture(autouse=True)
def _steps_at_once(settings):
    """The wizard's steps run in the background worker; here they run as they are
    queued (test_background.py follows them through the real queue and worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def write(tmp_path) -> Callable[..., Path]:
    """write(name, text_or_bytes, encoding="utf-8") → the path of a new file."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


@pytest.fixture
def catalogue(db):
    """Two accounts and two products, as a CRM would already have them."""
    return {
        "acme": Account.objects.create(name="Acme Corporation", external_id="ACC-1"),
        "globex": Account.objects.create(name="Globex"),
        "gtx": Product.objects.create(name="GTX Pro", product_line="GTX"),
        "mg": Product.objects.create(name="MG Special", product_line="MG"),
    }


def deals_csv(*rows: str) -> str:
    return "\n".join([DEALS_HEADER, *rows]) + "\n"
