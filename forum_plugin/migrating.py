"""Running the forum's own Alembic migrations on the current app's database."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, inspect

from .models import Base
from .resources import resource_folder
from .state import database

TABLE_PREFIX = "forum_"
# Apart from the host's own alembic_version, so the two histories never meet.
VERSION_TABLE = "forum_alembic_version"


def include_name(name: str | None, type_: str, parent_names: Mapping[str, str | None]) -> bool:
    """Alembic filter: compare and migrate only the extension's tables."""
    if type_ == "table":
        return name is not None and name.startswith(TABLE_PREFIX)
    return True


def _config(connection: Connection) -> Config:
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(resource_folder("migrations")))
    config.attributes["connection"] = connection
    return config


@contextmanager
def alembic_config() -> Iterator[Config]:
    """An Alembic config for the forum's migrations on the current app's
    database, all inside one transaction."""
    with database().engine.begin() as connection:
        yield _config(connection)


def drop_version_table(bind: Engine | Connection) -> None:
    """Forget the migration history, once the tables it tracked are gone."""
    Table(VERSION_TABLE, MetaData()).drop(bind, checkfirst=True)


def current_revision(config: Config) -> str | None:
    """The revision the tables are at, None before the first or after the last downgrade."""
    context = MigrationContext.configure(config.attributes["connection"], opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def forum_tables(connection: Connection) -> list[str]:
    """The forum's tables that exist, leaving out its version table."""
    return sorted(
        name
        for name in inspect(connection).get_table_names()
        if name.startswith(TABLE_PREFIX) and name != VERSION_TABLE
    )


def under_migration_control(connection: Connection) -> bool:
    return inspect(connection).has_table(VERSION_TABLE)


def differences_from_models(connection: Connection) -> list[object]:
    """What Alembic's autogenerate finds between the forum's tables and its models (empty: the same)."""
    context = MigrationContext.configure(
        connection, opts={"include_name": include_name, "compare_type": True, "version_table": VERSION_TABLE}
    )
    differences: list[object] = compare_metadata(context, Base.metadata)  # Alembic says Any
    return differences


def _shape(connection: Connection) -> frozenset[tuple[str, str]]:
    """The forum's tables and their columns, by name: what any database's
    tables of one revision have in common."""
    inspector = inspect(connection)
    return frozenset(
        (table, column["name"]) for table in forum_tables(connection) for column in inspector.get_columns(table)
    )


def revision_like(connection: Connection) -> str | None:
    """The revision whose tables and columns the database's forum tables
    have, found by building each revision in turn on a scratch SQLite database."""
    wanted = _shape(connection)
    scripts = list(ScriptDirectory(str(resource_folder("migrations"))).walk_revisions())
    with create_engine("sqlite://").begin() as scratch:
        scratch_config = _config(scratch)
        for script in reversed(scripts):
            command.upgrade(scratch_config, script.revision)
            if _shape(scratch) == wanted:
                return script.revision
    return None


class AdoptionError(RuntimeError):
    """Existing forum tables whose revision is unknown; the message says what to do."""


def adopt_existing_tables(config: Config) -> str | None:
    """Put forum tables made by ``Forum.create_all()`` under migration control.

    Returns the revision stamped, or None when there was nothing to adopt
    (the tables are already under control, or there are none).

    :raises AdoptionError: when the tables are not those of the newest
        revision: which older one they are at is for a person to say.
    """
    connection = config.attributes["connection"]
    tables = forum_tables(connection)
    if not tables or under_migration_control(connection):
        return None
    differences = differences_from_models(connection)
    if not differences:
        head = ScriptDirectory.from_config(config).get_current_head()
        command.stamp(config, "head")
        return head
    like = revision_like(connection)
    found = (
        f"They look like revision {like}: run `flask forum db stamp {like}`, then `flask forum db upgrade`."
        if like
        else f"They match no revision of the forum ({len(differences)} differences from the newest, the first: "
        f"{differences[0]}). If an older release made them, run `flask forum db stamp REV` with its revision "
        "(`flask forum db history` lists them), then `flask forum db upgrade`."
    )
    raise AdoptionError(
        f"The database has forum tables ({', '.join(tables)}) but no {VERSION_TABLE} table, so it is not "
        f"known which revision they are at, and they are not those of the newest one. {found} Nothing was changed."
    )


def skip_forum_tables(name: str | None, type_: str, parent_names: Mapping[str, str | None]) -> bool:
    """For a host's own Alembic or Flask-Migrate setup: leave the forum's tables out,
    so autogenerate never proposes to drop them (``Migrate(app, db, include_name=skip_forum_tables)``)."""
    if type_ == "table":
        return not (name or "").startswith(TABLE_PREFIX)
    return True
