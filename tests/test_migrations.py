"""The forum's own Alembic history: it builds what the models define and touches nothing else."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from forum_plugin import Forum
from forum_plugin.migrating import VERSION_TABLE, include_name
from forum_plugin.models import Base

from . import hostapp
from .conftest import HEAD, comment_id_from, post_comment


@pytest.fixture
def bare_app(app, users):
    """The host with its own tables and a user, but no forum tables yet."""
    with app.app_context():
        Forum.drop_all()
    return app


def forum(app, *args: str):
    result = app.test_cli_runner().invoke(args=["forum", *args])
    assert result.exit_code == 0, result.output
    return result.output


def table_names(app) -> set[str]:
    with app.app_context():
        return set(inspect(hostapp.db.engine).get_table_names())


def test_upgrade_builds_exactly_what_the_models_define(bare_app):
    assert "upgraded to head" in forum(bare_app, "db", "upgrade")
    with bare_app.app_context(), hostapp.db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": include_name, "compare_type": True, "version_table": VERSION_TABLE}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_the_migrated_database_takes_comments(bare_app):
    forum(bare_app, "db", "upgrade")
    client = bare_app.test_client()
    comment_id = comment_id_from(post_comment(client, body="after migrating"))
    assert "after migrating" in client.get("/posts/first-report").text and comment_id


def test_current_and_history_name_the_revision(bare_app):
    assert "not under migration control" in forum(bare_app, "db", "current")
    forum(bare_app, "db", "upgrade")
    assert f"{HEAD} (head)" in forum(bare_app, "db", "current")
    history = forum(bare_app, "db", "history")
    assert "<base> -> 0001" in history and f"-> {HEAD} (head)" in history
    forum(bare_app, "db", "upgrade")  # already at head: nothing to do, no error
    assert f"{HEAD} (head)" in forum(bare_app, "db", "current")


def test_downgrade_to_base_removes_every_forum_table_and_nothing_else(bare_app, users):
    forum(bare_app, "db", "upgrade")
    assert {"forum_threads", "forum_comments", "forum_moderation_events", VERSION_TABLE} <= table_names(bare_app)
    forum(bare_app, "db", "downgrade", "base")
    names = table_names(bare_app)
    assert not [name for name in names if name.startswith("forum_")]
    assert "host_users" in names
    with bare_app.app_context():
        assert hostapp.db.session.get(hostapp.User, users["reader"]).username == "reader"


def test_the_hosts_own_alembic_version_table_is_left_alone(bare_app):
    from sqlalchemy import text

    with bare_app.app_context():
        with hostapp.db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version VALUES ('host0042')"))
    try:
        forum(bare_app, "db", "upgrade")
        forum(bare_app, "db", "downgrade", "base")
        with bare_app.app_context(), hostapp.db.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "host0042"
    finally:
        with bare_app.app_context(), hostapp.db.engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))


def test_upgrading_a_release_keeps_every_comment_and_counts_them(bare_app):
    from datetime import datetime

    from sqlalchemy import column, table, text

    forum(bare_app, "db", "upgrade", "0001")
    # The tables as release 0001 had them, written without today's models.
    threads = table(
        "forum_threads", *map(column, ["id", "key", "title", "url", "approved_count", "pending_count", "created_at"])
    )
    comments = table(
        "forum_comments",
        *map(
            column,
            [
                "id",
                "thread_id",
                "depth",
                "status",
                "moderation_reason",
                "author_name",
                "body_markdown",
                "body_html",
                "created_at",
                "updated_at",
            ],
        ),
    )
    with bare_app.app_context(), hostapp.db.engine.begin() as connection:
        connection.execute(
            threads.insert().values(
                id=1,
                key="old-post",
                title="Old post",
                url="/old",
                approved_count=1,
                pending_count=0,
                created_at=datetime(2026, 1, 1),
            )
        )
        for n, status in enumerate(["approved", "rejected", "rejected", "spam"], start=1):
            connection.execute(
                comments.insert().values(
                    id=n,
                    thread_id=1,
                    depth=0,
                    status=status,
                    moderation_reason="",
                    author_name="Old reader",
                    body_markdown=f"old {n}",
                    body_html=f"<p>old {n}</p>",
                    created_at=datetime(2026, 1, n),
                    updated_at=datetime(2026, 1, n),
                )
            )
    forum(bare_app, "db", "upgrade")
    with bare_app.app_context(), hostapp.db.engine.connect() as connection:
        row = connection.execute(
            text("SELECT approved_count, rejected_count, spam_count, deleted_count FROM forum_threads")
        ).one()
        assert tuple(row) == (1, 2, 1, 0)
        bodies = connection.execute(
            text("SELECT body_markdown, notify, flag_count FROM forum_comments ORDER BY id")
        ).all()
        assert [(b, bool(notify), flags) for b, notify, flags in bodies] == [
            (f"old {n}", False, 0) for n in range(1, 5)
        ]
    assert "old 1" in bare_app.test_client().get("/forum/threads/old-post").text
