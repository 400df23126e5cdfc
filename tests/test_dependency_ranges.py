"""The declared dependency ranges, the floors CI tests, and what is installed agree.

CI runs the suite twice: once with the newest releases and once with every
runtime dependency pinned to its declared floor by ``.ci/floors.py``. These
tests catch the ways the two could drift apart: a dependency without a floor
or an upper bound, a floor the constraints file leaves out, an environment
outside the declared ranges, or a "floor run" that did not run at the floors.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
FLOORS_SCRIPT = ROOT / ".ci" / "floors.py"
README = ROOT / "README.md"


def load_floors():
    spec = importlib.util.spec_from_file_location("ci_floors", FLOORS_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


floors = load_floors()
RUNTIME = floors.runtime_requirements()
RUNTIME_IDS = [requirement.name for requirement in RUNTIME]


def installed(requirement: Requirement) -> Version:
    try:
        return Version(version(requirement.name))
    except PackageNotFoundError:
        pytest.fail(f"{requirement.name} is a runtime dependency but is not installed")


@pytest.mark.parametrize("requirement", RUNTIME, ids=RUNTIME_IDS)
def test_every_runtime_dependency_has_a_floor_and_an_upper_bound(requirement):
    operators = {spec.operator for spec in requirement.specifier}
    assert ">=" in operators, f"{requirement}: declare the lowest version that works"
    assert "<" in operators, f"{requirement}: declare an upper bound (the next major release)"
    assert floors.floor(requirement) in requirement.specifier


def test_runtime_dependencies_are_named_once():
    names = [canonicalize_name(requirement.name) for requirement in RUNTIME]
    assert len(names) == len(set(names))


def test_the_constraints_file_pins_every_runtime_dependency_to_its_floor():
    printed = subprocess.run(
        [sys.executable, str(FLOORS_SCRIPT)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    pins = {}
    for line in printed.splitlines():
        name, _, pinned = line.partition("==")
        pins[canonicalize_name(name)] = Version(pinned.split(";")[0].strip())
    expected = {canonicalize_name(r.name): Version(str(floors.floor(r))) for r in RUNTIME}
    assert pins == expected


def test_the_constraints_file_refuses_a_dependency_without_a_floor(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\ndependencies = ["flask>=3.0,<4", "limits<6"]\n')
    refused = subprocess.run(
        [sys.executable, str(FLOORS_SCRIPT), str(pyproject)], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 1
    assert "limits" in refused.stderr and "floor" in refused.stderr
    assert refused.stdout == ""


@pytest.mark.parametrize("requirement", RUNTIME, ids=RUNTIME_IDS)
def test_the_installed_version_is_inside_the_declared_range(requirement):
    """Inside the range on every run; exactly the floor on CI's floor run
    (FORUM_EXPECT_FLOORS=1), so a floor run that resolved something else fails."""
    found = installed(requirement)
    if os.environ.get("FORUM_EXPECT_FLOORS") == "1":
        assert found == floors.floor(requirement), f"the floor run has {requirement.name} {found}"
    else:
        assert requirement.specifier.contains(found, prereleases=True), (
            f"{requirement.name} {found} not in {requirement}"
        )


def test_flask_limiter_is_not_a_runtime_dependency():
    names = {canonicalize_name(requirement.name) for requirement in RUNTIME}
    assert "flask-limiter" not in names
    assert "limits" in names  # the forum's rate limits use it directly


@pytest.mark.slow  # a fresh interpreter imports the forum and serves a page
def test_mounting_the_forum_does_not_import_flask_limiter():
    script = (
        "import sys\n"
        "from flask import Flask\n"
        "from flask_sqlalchemy import SQLAlchemy\n"
        "import forum_plugin\n"
        "app = Flask('host')\n"
        "app.config.update(SECRET_KEY='x', SQLALCHEMY_DATABASE_URI='sqlite://')\n"
        "db = SQLAlchemy(app)\n"
        "forum_plugin.Forum(app, db=db)\n"
        "with app.test_client() as client:\n"
        "    client.get('/forum/')\n"
        "print('loaded:', 'flask_limiter' in sys.modules)\n"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert ran.returncode == 0, ran.stderr
    assert "loaded: False" in ran.stdout


def test_the_readme_states_each_floor():
    """The README's "Supported versions" table names every floor."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^#+ Supported versions\n(.*?)(?=^#+ |\Z)", text, re.M | re.S)
    assert match is not None, "README has no 'Supported versions' section"
    section = match.group(1).lower()
    for requirement in RUNTIME:
        row = next((line for line in section.splitlines() if f"| {requirement.name.lower()} " in line), None)
        assert row is not None, f"README's table leaves out {requirement.name}"
        assert str(floors.floor(requirement)) in row, f"README's row for {requirement.name}: {row}"
