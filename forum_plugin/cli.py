"""``flask forum …``: the extension's own migrations, privacy tools and imports."""

from __future__ import annotations

import json
import os
import sys

import click
from alembic import command
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from . import personal_data
from .importers import disqus, wordpress
from .importers.load import KEY_SOURCES, key_by, load
from .importers.records import ImportFileError
from .migrating import alembic_config, current_revision, drop_version_table
from .notify import digest_command
from .state import get_state

forum_cli = AppGroup("forum", help="Comments: schema migrations, privacy tools, imports.")
db_cli = AppGroup("db", help="The forum_ tables' own Alembic migrations (version table forum_alembic_version).")
forum_cli.add_command(db_cli)
forum_cli.add_command(digest_command)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Upgrade the forum_ tables to REVISION (default: the newest)."""
    with alembic_config() as config:
        command.upgrade(config, revision)
    click.echo(f"forum tables upgraded to {revision}.")


@db_cli.command("downgrade")
@click.argument("revision", default="-1")
def db_downgrade(revision: str) -> None:
    """Downgrade the forum_ tables to REVISION (default: one step back; "base" drops them)."""
    with alembic_config() as config:
        command.downgrade(config, revision)
        if current_revision(config) is None:
            drop_version_table(config.attributes["connection"])
    click.echo(f"forum tables downgraded to {revision}.")


@db_cli.command("current")
def db_current() -> None:
    """Show the revision the forum_ tables are at."""
    with alembic_config() as config:
        command.current(config, verbose=False)


@db_cli.command("history")
def db_history() -> None:
    """List the forum_ tables' revisions."""
    with alembic_config() as config:
        command.history(config)


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the revision changes.")
@click.option("--rev-id", default=None, help="The new revision's id.")
def db_revision(message: str, rev_id: str | None) -> None:
    """For developers of forum_plugin: write a revision from the models' changes."""
    with alembic_config() as config:
        command.revision(config, message=message, autogenerate=True, rev_id=rev_id)


@forum_cli.command("export")
@click.option("--email", required=True, help="The address the comments were written under.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout).")
def export_command(email: str, output) -> None:
    """Write everything held about the comments of EMAIL as JSON."""
    comments = personal_data.export(get_state().db.session, email)
    if not comments:
        raise click.ClickException(f"No comments were written under {email}.")
    json.dump({"email": email, "comments": comments}, output, ensure_ascii=False, indent=2)
    output.write("\n")
    if output.name != "<stdout>":
        click.echo(f"Wrote {len(comments)} comments to {output.name}.", err=True)


@forum_cli.command("erase")
@click.option("--email", required=True, help="The address the comments were written under.")
@click.option("--remove-bodies", is_flag=True, help="Also replace the comments' text with a placeholder.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(email: str, remove_bodies: bool, yes: bool) -> None:
    """Anonymize the comments of EMAIL: name, email, account and IP hash are removed; replies stay."""
    session = get_state().db.session
    found = personal_data.count(session, email)
    if not found:
        raise click.ClickException(f"No comments were written under {email}.")
    what = "anonymize and remove the text of" if remove_bodies else "anonymize"
    if not yes:
        click.confirm(f"This will {what} {found} comments by {email}. Go on?", abort=True)
    erased = personal_data.erase(session, email, remove_bodies=remove_bodies)
    click.echo(f"Erased {erased} comments by {email}.")


@forum_cli.command("purge")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Clear IP hashes older than this many days (default: FORUM_IP_RETENTION_DAYS).")
def purge_command(days: int | None) -> None:
    """Clear the IP hashes of old comments and reports. Run it daily from cron."""
    state = get_state()
    days = state.settings.ip_retention_days if days is None else days
    comments, reports = personal_data.purge_addresses(state.db.session, days)
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


def _run_import(path: str, parse, source_name: str, key_from: str | None) -> None:
    state = get_state()
    key_for = key_by(key_from) if key_from else state.forum.import_thread_key_fn or key_by("slug")
    with open(path, "rb") as source, click.progressbar(
        length=os.path.getsize(path), label=f"Reading {os.path.basename(path)}", file=sys.stderr
    ) as bar:
        try:
            parsed = parse(source, progress=lambda done: bar.update(done - bar.pos))
        except ImportFileError as error:
            raise click.ClickException(f"{path}: {error}. Nothing was imported.") from error
    session = state.db.session
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
