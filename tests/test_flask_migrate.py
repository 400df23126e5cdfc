"""A host that runs Flask-Migrate keeps its own history beside the forum's."""

from __future__ import annotations

import logging

import pytest
from flask_migrate import Migrate
from sqlalchemy import inspect, text

from forum_plugin import Forum
from forum_plugin.migrating import skip_forum_tables

from . import hostapp
from .conftest import HEAD


@pytest.fixture(autouse=True)
def keep_loggers_enabled():
    """Flask-Migrate's generated env.py runs logging.config.fileConfig, which
    disables every logger that exists; later tests read the app's log."""
    yield
    for logger in logging.Logger.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.disabled = False


# Flask-Migrate's generated env.py tries Flask-SQLAlchemy 2's get_engine() first.
@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_both_histories_run_side_by_side(app, tmp_path):
    directory = str(tmp_path / "host_migrations")
    Migrate(app, hostapp.db, directory=directory, include_name=skip_forum_tables)
    runner = app.test_cli_runner()
    with app.app_context():
        Forum.drop_all()
        hostapp.db.drop_all()

    def ok(*args: str) -> str:
        result = runner.invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return result.output

    ok("forum", "db", "upgrade")
    ok("db", "init")
    ok("db", "migrate", "-m", "host tables")
    revisions = list((tmp_path / "host_migrations" / "versions").glob("*.py"))
    assert len(revisions) == 1
    script = revisions[0].read_text()
    assert "host_users" in script and "forum_" not in script
    ok("db", "upgrade")
    with app.app_context():
        names = set(inspect(hostapp.db.engine).get_table_names())
    assert {"host_users", "alembic_version", "forum_comments", "forum_alembic_version"} <= names
    assert f"{HEAD} (head)" in ok("forum", "db", "current")
    ok("db", "downgrade", "base")
    with app.app_context():
        names = set(inspect(hostapp.db.engine).get_table_names())
        hostapp.db.session.remove()
        with hostapp.db.engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
    assert "host_users" not in names and "forum_comments" in names
