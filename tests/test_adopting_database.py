"""A site that began with ``forum.create_all()`` moves to the forum's migrations.

``flask forum db upgrade`` marks tables that match the newest revision and
carries on; tables of an older shape stop it with a message naming the
``flask forum db stamp REV`` to run; ``db current`` says when the tables are
not under migration control. Every failure is a message and a non-zero exit,
never a traceback.
"""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from forum_plugin import Forum
from forum_plugin.migrating import VERSION_TABLE, differences_from_models, drop_version_table

from . import hostapp
from .conftest import HEAD, comment_id_from, post_comment


def forum(app, *args: str):
    return app.test_cli_runner().invoke(args=["forum", *args])


def succeeds(app, *args: str) -> str:
    result = forum(app, *args)
    assert result.exit_code == 0, result.output
    return result.output


def fails(app, *args: str) -> str:
    result = forum(app, *args)
    assert result.exit_code == 1, result.output
    # A ClickException ends in SystemExit; anything else would be a traceback.
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    return result.output


def version_table_exists(app) -> bool:
    with app.app_context():
        return inspect(hostapp.db.engine).has_table(VERSION_TABLE)


def differences(app) -> list:
    with app.app_context(), hostapp.db.engine.connect() as connection:
        return differences_from_models(connection)


@pytest.fixture
def created_all(app):
    """The tables as the README's mounting snippet makes them: create_all, no version table."""
    with app.app_context():
        drop_version_table(hostapp.db.engine)
    return app


@pytest.fixture
def release_0001(app):
    """The tables an older release made, without a version table: its revision 0001."""
    with app.app_context():
        Forum.drop_all()
    succeeds(app, "db", "upgrade", "0001")
    with app.app_context():
        drop_version_table(hostapp.db.engine)
    return app


def test_upgrade_adopts_tables_made_by_create_all_and_keeps_their_comments(created_all):
    client = created_all.test_client()
    comment_id = comment_id_from(post_comment(client, body="written before migrations"))
    assert "not under migration control" in succeeds(created_all, "db", "current")

    output = succeeds(created_all, "db", "upgrade")
    assert f"match revision {HEAD}: marked them as at {HEAD}" in output and "upgraded to head" in output
    assert version_table_exists(created_all)
    assert f"{HEAD} (head)" in succeeds(created_all, "db", "current")
    assert "marked them" not in succeeds(created_all, "db", "upgrade")
    assert differences(created_all) == []
    assert "written before migrations" in client.get("/posts/first-report").text and comment_id


def test_upgrade_stops_at_tables_of_an_older_release_and_names_the_stamp_to_run(release_0001):
    assert "flask forum db stamp REV" in succeeds(release_0001, "db", "current")
    output = fails(release_0001, "db", "upgrade")
    assert "no forum_alembic_version table" in output
    assert "They look like revision 0001: run `flask forum db stamp 0001`, then `flask forum db upgrade`." in output
    assert "Nothing was changed" in output
    assert not version_table_exists(release_0001)
    with release_0001.app_context():
        columns = {c["name"] for c in inspect(hostapp.db.engine).get_columns("forum_comments")}
    assert "form_nonce" not in columns


def test_stamp_then_upgrade_migrates_an_older_release_to_the_newest(release_0001):
    assert "marked as at 0001" in succeeds(release_0001, "db", "stamp", "0001")
    assert "0001" in succeeds(release_0001, "db", "current")
    succeeds(release_0001, "db", "upgrade")
    assert f"{HEAD} (head)" in succeeds(release_0001, "db", "current")
    assert differences(release_0001) == []
    client = release_0001.test_client()
    comment_id_from(post_comment(client, body="after the migration"))
    assert "after the migration" in client.get("/posts/first-report").text


def test_tables_that_match_no_revision_are_not_guessed_at(created_all):
    from sqlalchemy import text

    with created_all.app_context(), hostapp.db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE forum_host_extra (id INTEGER PRIMARY KEY)"))
    try:
        output = fails(created_all, "db", "upgrade")
        assert "match no revision of the forum" in output and "flask forum db stamp REV" in output
        assert not version_table_exists(created_all)
    finally:
        with created_all.app_context(), hostapp.db.engine.begin() as connection:
            connection.execute(text("DROP TABLE forum_host_extra"))


def test_cli_mistakes_are_messages_and_non_zero_exits(app, tmp_path):
    assert "Can't locate revision" in fails(app, "db", "stamp", "nosuchrevision")
    assert "Can't locate revision" in fails(app, "db", "upgrade", "nosuchrevision")
    with app.app_context():
        Forum.drop_all()
        drop_version_table(hostapp.db.engine)
    assert "there are no forum tables yet" in succeeds(app, "db", "current")
    assert "There are no forum tables to mark" in fails(app, "db", "stamp", "head")
    unreachable = hostapp.create_app(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.db'}")
    assert "The database refused, nothing was changed: unable to open database file" in fails(
        unreachable, "db", "upgrade"
    )
