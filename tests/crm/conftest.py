from __future__ import annotations

import pytest

from tests.crm.factories import ensure_pipeline


@pytest.fixture(autouse=True)
def _pipeline(db):
    """Every sales-data test runs against the default pipeline."""
    ensure_pipeline()
