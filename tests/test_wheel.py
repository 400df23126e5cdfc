"""The built wheel, installed in a clean venv outside the project, runs a host site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import HEAD, skip_or_fail

# Builds the wheel and installs it with its dependencies in a fresh venv.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
HOST_FILES = Path(__file__).resolve().parent / "wheel_host"
# The driver each URL scheme names; a plain "postgresql://" means psycopg2 to SQLAlchemy.
DRIVERS = {
    "postgresql+psycopg://": "psycopg[binary]>=3.1,<4",
    "postgresql+psycopg2://": "psycopg2-binary>=2.9.5,<3",
    "postgresql://": "psycopg2-binary>=2.9.5,<3",
    "mysql+pymysql://": "pymysql>=1.1,<2",
}


def run(command: list[str], cwd: Path, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(ROOT)], cwd=out)
    if built.returncode != 0:
        skip_or_fail(f"could not build the wheel (no package index?): {built.stderr[-800:]}")
    return next(out.glob("forum_plugin-*.whl"))


def test_the_wheel_carries_templates_migrations_and_static_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "forum_plugin/templates/forum/base.html",
        "forum_plugin/templates/forum/_section.html",
        "forum_plugin/templates/forum/moderation/queue.html",
        "forum_plugin/migrations/env.py",
        "forum_plugin/migrations/script.py.mako",
        "forum_plugin/migrations/versions/0001_initial.py",
        "forum_plugin/migrations/versions/0002_moderation.py",
        "forum_plugin/static/forum.css",
        "forum_plugin/py.typed",
    ):
        assert required in names, required
    assert not any(name.startswith(("tests/", "templates/", "migrations/")) for name in names)


def test_a_host_outside_the_project_migrates_and_takes_a_comment(wheel, tmp_path, db_url):
    venv = tmp_path / "venv"
    created = run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    driver = [spec for scheme, spec in DRIVERS.items() if db_url.startswith(scheme)]
    installed = run([str(python), "-m", "pip", "install", "-q", str(wheel), *driver], cwd=tmp_path)
    if installed.returncode != 0:
        skip_or_fail(f"could not install the wheel's dependencies (no package index?): {installed.stderr[-800:]}")

    site = tmp_path / "site"
    site.mkdir()
    for name in ("host.py", "drive.py"):
        shutil.copy(HOST_FILES / name, site / name)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV", "FLASK_"))}
    env["HOST_DATABASE_URL"] = db_url
    flask = [str(venv / "bin" / "flask"), "--app", "host"]
    try:
        upgraded = run([*flask, "forum", "db", "upgrade"], cwd=site, env=env)
        assert upgraded.returncode == 0, upgraded.stderr
        assert "upgraded to head" in upgraded.stdout
        assert f"{HEAD} (head)" in run([*flask, "forum", "db", "current"], cwd=site, env=env).stdout
        driven = run([str(python), "drive.py"], cwd=site, env=env)
        assert driven.returncode == 0, driven.stdout + driven.stderr
        assert "driven: comment" in driven.stdout and str(venv) in driven.stdout
    finally:
        downgraded = run([*flask, "forum", "db", "downgrade", "base"], cwd=site, env=env)
        assert downgraded.returncode == 0, downgraded.stderr
