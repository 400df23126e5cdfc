"""Running the forum's own Alembic migrations on the current app's database."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, Table

from .resources import resource_folder
from .state import get_state

TABLE_PREFIX = "forum_"
# Apart from the host's own alembic_version, so the two histories never meet.
VERSION_TABLE = "forum_alembic_version"


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic filter: compare and migrate only the extension's tables."""
    if type_ == "table":
        return bool(name) and name.startswith(TABLE_PREFIX)
    return True


@contextmanager
def alembic_config() -> Iterator[Config]:
    """An Alembic config for the forum's migrations on the current app's
    database, all inside one transaction."""
    with get_state().db.engine.begin() as connection:
        config = Config(stdout=sys.stdout)
        config.set_main_option("script_location", str(resource_folder("migrations")))
        config.attributes["connection"] = connection
        yield config


def drop_version_table(bind: Engine | Connection) -> None:
    """Forget the migration history, once the tables it tracked are gone."""
    Table(VERSION_TABLE, MetaData()).drop(bind, checkfirst=True)


def current_revision(config: Config) -> str | None:
    """The revision the tables are at, None before the first or after the last downgrade."""
    context = MigrationContext.configure(config.attributes["connection"], opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def skip_forum_tables(name: str | None, type_: str, parent_names: dict) -> bool:
    """For a host's own Alembic or Flask-Migrate setup: leave the forum's tables out,
    so autogenerate never proposes to drop them (``Migrate(app, db, include_name=skip_forum_tables)``)."""
    if type_ == "table":
        return not (name or "").startswith(TABLE_PREFIX)
    return True
