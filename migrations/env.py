"""Alembic environment for the forum_ tables only.

``flask forum db …`` hands this script an open connection in
``config.attributes["connection"]``; the host's own tables and its own
Alembic history (Flask-Migrate or not) are never looked at.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from forum_plugin.migrating import VERSION_TABLE, include_name
from forum_plugin.models import Base


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        include_name=include_name,
        compare_type=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = engine_from_config(
        context.config.get_section(context.config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.begin() as connection:
        run_migrations(connection)


if context.is_offline_mode():
    raise SystemExit("forum_plugin migrations run online only: use `flask forum db upgrade`.")
run_online()
