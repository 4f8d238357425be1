"""The boards show the scorecards' figures: their tests use the same sales data."""

from tests.scorecards.conftest import sales  # noqa: F401  (a fixture)
