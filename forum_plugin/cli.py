"""``flask forum …``: the extension's own migrations, privacy tools and imports."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

import click
from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from . import personal_data
from .importers import disqus, wordpress
from .importers.load import KEY_SOURCES, key_by, load
from .importers.parsing import Parser
from .importers.records import ImportFileError
from .migrating import (
    AdoptionError,
    adopt_existing_tables,
    alembic_config,
    current_revision,
    drop_version_table,
    forum_tables,
    under_migration_control,
)
from .notify import digest_command
from .state import db_session, get_state

forum_cli = AppGroup("forum", help="Comments: schema migrations, privacy tools, imports.")
db_cli = AppGroup("db", help="The forum_ tables' own Alembic migrations (version table forum_alembic_version).")
forum_cli.add_command(db_cli)
forum_cli.add_command(digest_command)


def _refusal(error: Exception) -> str:
    """A database's or Alembic's complaint in one line, without the SQL around it."""
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]


@contextmanager
def migrating() -> Iterator[Config]:
    """:func:`alembic_config`, with failures told as messages rather than tracebacks."""
    try:
        with alembic_config() as config:
            yield config
    except AdoptionError as error:
        raise click.ClickException(str(error)) from error
    except CommandError as error:
        raise click.ClickException(f"Alembic: {_refusal(error)}") from error
    except SQLAlchemyError as error:
        raise click.ClickException(f"The database refused, nothing was changed: {_refusal(error)}") from error


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Upgrade the forum_ tables to REVISION (default: the newest).

    Tables made by ``forum.create_all()`` that match the newest revision are
    marked as being at it first; others need ``flask forum db stamp REV``."""
    with migrating() as config:
        adopted = adopt_existing_tables(config)
        if adopted:
            click.echo(
                f"The forum tables were made without migrations and match revision {adopted}: marked them as at {adopted}."
            )
        command.upgrade(config, revision)
    click.echo(f"forum tables upgraded to {revision}.")


@db_cli.command("stamp")
@click.argument("revision")
def db_stamp(revision: str) -> None:
    """Mark the existing forum_ tables as being at REVISION, changing nothing else:
    for tables made by ``forum.create_all()`` or by an older release without migrations."""
    with migrating() as config:
        if not forum_tables(config.attributes["connection"]):
            raise click.ClickException("There are no forum tables to mark; `flask forum db upgrade` creates them.")
        command.stamp(config, revision)
    click.echo(f"forum tables marked as at {revision}.")


@db_cli.command("downgrade")
@click.argument("revision", default="-1")
def db_downgrade(revision: str) -> None:
    """Downgrade the forum_ tables to REVISION (default: one step back; "base" drops them)."""
    with migrating() as config:
        command.downgrade(config, revision)
        if current_revision(config) is None:
            drop_version_table(config.attributes["connection"])
    click.echo(f"forum tables downgraded to {revision}.")


@db_cli.command("current")
def db_current() -> None:
    """Show the revision the forum_ tables are at."""
    with migrating() as config:
        connection = config.attributes["connection"]
        if not under_migration_control(connection):
            hint = (
                "run `flask forum db upgrade` to adopt tables made by forum.create_all(), "
                "or `flask forum db stamp REV` for tables of an older release"
                if forum_tables(connection)
                else "there are no forum tables yet; `flask forum db upgrade` creates them"
            )
            click.echo(f"The forum tables are not under migration control: {hint}.")
        elif current_revision(config) is None:
            click.echo("The forum tables are at no revision: `flask forum db upgrade` builds them.")
        else:
            command.current(config, verbose=False)


@db_cli.command("history")
def db_history() -> None:
    """List the forum_ tables' revisions."""
    with migrating() as config:
        command.history(config)


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the revision changes.")
@click.option("--rev-id", default=None, help="The new revision's id.")
def db_revision(message: str, rev_id: str | None) -> None:
    """For developers of forum_plugin: write a revision from the models' changes."""
    with migrating() as config:
        command.revision(config, message=message, autogenerate=True, rev_id=rev_id)


def _person(email: str) -> personal_data.Person:
    """The person who wrote under ``email``; a message instead when nothing is held about them."""
    if "@" not in email:
        raise click.ClickException(f"{email!r} is not an email address.")
    session = db_session()
    person = personal_data.find(session, email)
    if not personal_data.holds_anything(session, person):
        raise click.ClickException(f"Nothing is held about {email}: no comments, bans or mail address.")
    return person


@forum_cli.command("export")
@click.option("--email", required=True, help="The address the comments were written under.")
@click.option(
    "-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout)."
)
def export_command(email: str, output: TextIO) -> None:
    """Write everything held about the person who wrote under EMAIL as JSON: comments with their
    earlier versions, held edits, reports and history; reports they made; bans on them; their mail address."""
    _person(email)
    data = personal_data.export(db_session(), email)
    json.dump(data, output, ensure_ascii=False, indent=2)
    output.write("\n")
    if output.name != "<stdout>":
        click.echo(
            f"Wrote {len(data['comments'])} comments and what else is held about {email} to {output.name}.", err=True
        )


@forum_cli.command("erase")
@click.option("--email", required=True, help="The address the comments were written under.")
@click.option(
    "--remove-bodies",
    is_flag=True,
    help="Also replace the comments' text, and every earlier version of it, with a placeholder.",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(email: str, remove_bodies: bool, yes: bool) -> None:
    """Forget the person who wrote under EMAIL in every forum table: comments read "Anonymous" and
    lose address, account, IP hash and held edits; revisions, audit entries, reports, bans and
    reasons no longer name them; their mail address is deleted. Replies stay."""
    person = _person(email)
    what = "anonymize and remove the text of" if remove_bodies else "anonymize"
    if not yes:
        click.confirm(
            f"This will {what} {len(person.comment_ids)} comments by {email} and remove {email} "
            "from every revision, audit entry, report, ban and mail address. Go on?",
            abort=True,
        )
    try:
        erased = personal_data.erase(db_session(), email, remove_bodies=remove_bodies)
    except SQLAlchemyError as error:
        raise click.ClickException(
            f"Nothing was erased: the database refused ({getattr(error, 'orig', error)})."
        ) from error
    click.echo(f"Erased {erased.comments} comments by {email} ({erased.summary()} changed).")


@forum_cli.command("purge")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=None,
    help="Clear IP hashes older than this many days (default: FORUM_IP_RETENTION_DAYS).",
)
def purge_command(days: int | None) -> None:
    """Clear the IP hashes of old comments and reports. Run it daily from cron."""
    state = get_state()
    days = state.settings.ip_retention_days if days is None else days
    comments, reports = personal_data.purge_addresses(db_session(), days)
    click.echo(f"Cleared the IP hashes of {comments} comments and {reports} reports older than {days} days.")


import_cli = AppGroup("import", help="Bring comments in from another system's export.")
forum_cli.add_command(import_cli)

key_from_option = click.option(
    "--key-from",
    type=click.Choice(KEY_SOURCES),
    default=None,
    help="Make thread keys from the old post's slug, URL path or id. "
    "Default: the host's @forum.import_thread_key function, else the slug.",
)


def _run_import(path: str, parse: Parser, source_name: str, key_from: str | None) -> None:
    state = get_state()
    key_for = key_by(key_from) if key_from else state.forum.import_thread_key_fn or key_by("slug")
    with (
        open(path, "rb") as source,
        click.progressbar(
            length=os.path.getsize(path), label=f"Reading {os.path.basename(path)}", file=sys.stderr
        ) as bar,
    ):
        try:
            parsed = parse(source, progress=lambda done: bar.update(done - bar.pos))
        except ImportFileError as error:
            raise click.ClickException(f"{path}: {error}. Nothing was imported.") from error
    session = db_session()
    try:
        report = load(
            session,
            parsed,
            key_for=key_for,
            sanitizer=state.settings.sanitizer,
            secret=current_app.secret_key or "",
            source_name=source_name,
        )
        session.commit()
    except (ValueError, SQLAlchemyError) as error:
        session.rollback()
        raise click.ClickException(f"{path}: {error}. Nothing was imported.") from error
    click.echo(
        f"Imported {report.comments_added} comments into {report.threads_created} new threads "
        f"({report.already_imported} already imported, {report.skipped} pingbacks and trackbacks skipped, "
        f"{report.orphans} replies whose parent was missing kept as top-level comments)."
    )


@import_cli.command("wordpress")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@key_from_option
def import_wordpress(file: str, key_from: str | None) -> None:
    """Import the comments of a WordPress export (WXR) FILE."""
    _run_import(file, wordpress.parse, "WordPress", key_from)


@import_cli.command("disqus")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@key_from_option
def import_disqus(file: str, key_from: str | None) -> None:
    """Import the comments of a Disqus export FILE."""
    _run_import(file, disqus.parse, "Disqus", key_from)
