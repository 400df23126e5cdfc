"""The host site the benchmarks drive, and fast ways to fill its database."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, render_template
from flask_login import LoginManager, UserMixin
from flask_sqlalchemy import SQLAlchemy
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import func, insert, select, text

from forum_plugin import Forum
from forum_plugin.migrating import drop_version_table
from forum_plugin.models import Base, Comment, Status, Thread

PAGE = "<!doctype html><title>{{ key }}</title><h1>{{ key }}</h1>{{ forum_comments(key, title=key, url=request.path) }}"
START = datetime(2026, 1, 1)


class Moderator(UserMixin):
    """A moderator who needs no table, so dashboard timings hold only the forum's work."""

    is_moderator = True
    name = "Benchmark moderator"

    def __init__(self, user_id: str) -> None:
        self.id = user_id


def create_site(database_url: str, templates: dict[str, str] | None = None, **config) -> tuple[Flask, SQLAlchemy]:
    templates = {"page.html": PAGE, **(templates or {})}
    app = Flask("benchmark_site")
    app.config.update(SECRET_KEY="benchmark", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=False, **config)
    db = SQLAlchemy(app)
    login = LoginManager(app)
    login.user_loader(Moderator)
    Forum(app, db=db)
    # A host's page is a template file, compiled once; so is the bare loop.
    app.jinja_loader = ChoiceLoader([DictLoader(templates), app.jinja_loader])

    @app.get("/t/<key>")
    def thread(key):
        return render_template("page.html", key=key)

    with app.app_context():
        Base.metadata.drop_all(db.engine)
        drop_version_table(db.engine)
        Base.metadata.create_all(db.engine)
    return app, db


def drop_tables(app: Flask, db: SQLAlchemy) -> None:
    with app.app_context():
        db.session.remove()
        Base.metadata.drop_all(db.engine)
        db.engine.dispose()


@dataclass
class Seeder:
    """Inserts comments in bulk with ids it chooses, so replies can name
    their parents without a round trip per row."""

    app: Flask
    db: SQLAlchemy

    @property
    def engine(self):
        with self.app.app_context():
            return self.db.engine

    def _next_id(self, session) -> int:
        return (session.scalar(select(func.max(Comment.id))) or 0) + 1

    def _write(self, thread: dict, rows: list[dict]) -> None:
        with self.app.app_context():
            session = self.db.session
            thread_id = session.execute(insert(Thread).values(**thread).returning(Thread.id)).scalar_one()
            for row in rows:
                row["thread_id"] = thread_id
            for start in range(0, len(rows), 5000):
                session.execute(insert(Comment), rows[start : start + 5000])
            postgresql = self.db.engine.dialect.name == "postgresql"
            if postgresql:
                session.execute(
                    text(
                        "SELECT setval(pg_get_serial_sequence('forum_comments', 'id'), (SELECT max(id) FROM forum_comments))"
                    )
                )
            session.commit()
            if postgresql:
                # What autovacuum does soon after a bulk load on a real site:
                # without statistics the planner guesses badly.
                with self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(text("ANALYZE forum_comments, forum_threads"))

    def thread(self, key: str, comments: int, depth: int, status: Status = Status.APPROVED) -> None:
        """``comments`` comments: top-level ones, each with a chain of ``depth`` replies."""
        with self.app.app_context():
            next_id = self._next_id(self.db.session)
        rows: list[dict] = []
        moment = START
        while len(rows) < comments:
            root_id = next_id + len(rows)
            chain = min(depth, comments - len(rows) - 1)
            for level in range(chain + 1):
                moment += timedelta(seconds=1)
                row_id = next_id + len(rows)
                rows.append(
                    _comment(row_id, root_id if level else None, row_id - 1 if level else None, level, status, moment)
                )
        counts = {
            "approved_count": comments if status == Status.APPROVED else 0,
            "pending_count": comments if status == Status.PENDING else 0,
        }
        self._write({"key": key, "title": key, "url": f"/t/{key}", "created_at": START, **counts}, rows)

    def thread_with_wide_roots(self, key: str, roots: int, replies_each: int) -> None:
        """``roots`` top-level comments with ``replies_each`` direct replies each."""
        with self.app.app_context():
            next_id = self._next_id(self.db.session)
        rows: list[dict] = []
        moment = START
        for _ in range(roots):
            root_id = next_id + len(rows)
            for n in range(replies_each + 1):
                moment += timedelta(seconds=1)
                row_id = next_id + len(rows)
                rows.append(
                    _comment(
                        row_id, root_id if n else None, root_id if n else None, 1 if n else 0, Status.APPROVED, moment
                    )
                )
        self._write(
            {"key": key, "title": key, "url": f"/t/{key}", "created_at": START, "approved_count": len(rows)}, rows
        )

    def pending(self, key: str, count: int, authors: int, offset: int = 0) -> None:
        """``count`` pending top-level comments by ``authors`` different anonymous readers."""
        with self.app.app_context():
            next_id = self._next_id(self.db.session)
        rng = random.Random(count)
        rows = []
        for n in range(count):
            author = rng.randrange(authors)
            row = _comment(next_id + n, None, None, 0, Status.PENDING, START + timedelta(seconds=offset + n))
            row.update(
                author_name=f"Reader {author}", author_email=f"reader{author}@example.org", ip_hash=f"{author:064x}"
            )
            rows.append(row)
        self._write({"key": key, "title": key, "url": f"/t/{key}", "created_at": START, "pending_count": count}, rows)


BODY = (
    "Thank you for this *careful* report. We saw the same thing at the shelter last month:\n\n"
    "> the wages were held back for three months\n\n"
    "More at https://example.org/notes and in the [annual review](https://example.org/review)."
)


def _comment(row_id, root_id, parent_id, depth, status, moment) -> dict:
    return {
        "id": row_id,
        "parent_id": parent_id,
        "root_id": root_id,
        "depth": depth,
        "status": status.value,
        "moderation_reason": "",
        "author_name": f"Reader {row_id % 97}",
        "author_email": None,
        "ip_hash": None,
        "body_markdown": f"Comment {row_id}",
        "body_html": f"<p>Comment {row_id}: thank you for this <em>careful</em> report.</p>",
        "created_at": moment,
        "updated_at": moment,
        "notify": False,
        "flag_count": 0,
    }
