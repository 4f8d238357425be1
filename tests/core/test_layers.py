"""The apps form layers (pyproject.toml, `[tool.importlinter]`): `make lint` fails on an
import up the layers or a cycle between apps. Checked here on the tree as it is, and on
a copy of it with one import planted the wrong way."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own lint-imports, on our own tree
        [str(LINT), "--no-cache", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of the package and its contracts, to plant imports in."""
    copy = tmp_path_factory.mktemp("layers")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    shutil.copytree(
        ROOT / "src" / "accountable",
        copy / "src" / "accountable",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates"),
    )
    return copy


def plant(tree: Path, module: str, line: str) -> None:
    path = tree / "src" / "accountable" / module
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_tree_keeps_its_layers():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_import_up_the_layers_fails(tree):
    plant(tree, "crm/credit.py", "from accountable.scorecards import formulas  # noqa")
    result = lint(tree)
    assert result.returncode != 0
    assert "accountable.crm is not allowed to import accountable.scorecards" in result.stdout


def test_an_import_inside_a_function_counts_too(tree):
    plant(
        tree,
        "org/calendar.py",
        "def _late():\n    from accountable.goals import selectors  # noqa\n",
    )
    result = lint(tree)
    assert result.returncode != 0
    assert "accountable.org is not allowed to import accountable.goals" in result.stdout
