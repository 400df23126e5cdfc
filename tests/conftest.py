from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from datetime import datetime, timedelta
from html import unescape
from typing import Callable

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask_babel import Babel
from sqlalchemy import func, select

from forum_plugin import Forum
from forum_plugin.migrating import drop_version_table
from forum_plugin.models import Base, Comment, Status
from forum_plugin.resources import resource_folder

from . import hostapp
from .sql_statements import statements as count_statements  # noqa: F401  (for the test modules)
from .template_code import share_compiled_templates

# Fixtures every module may use without importing them: the mail tests' SMTP
# server and inbox, and the browser tests' demo site and Chromium.
pytest_plugins = ("tests.mailbox", "tests.demo_site")

DATABASE_URL_VARIABLE = "FORUM_TEST_DATABASE_URL"
# The newest revision of the forum's migrations.
HEAD = ScriptDirectory(str(resource_folder("migrations"))).get_current_head()


# Memory-backed, where the machine has it: every commit to a SQLite file on
# disk waits for fsync, and most tests make a database, fill it and drop it.
MEMORY_FOLDER = "/dev/shm"

_MEMORY_BASETEMP = pytest.StashKey[str]()

share_compiled_templates()


@pytest.hookimpl(tryfirst=True)  # before pytest's own tmp_path factory reads --basetemp
def pytest_configure(config: pytest.Config) -> None:
    """Keep the run's temporary files (the SQLite databases above all) in
    memory when the machine has a memory-backed folder and ``--basetemp`` was
    not given; a worker of pytest-xdist is handed its folder by the main
    process. With ``tmp_path_retention_policy = "failed"`` a passed test's
    folder goes when it ends, and the whole folder at the end of the run,
    unless a test failed: then it stays (``/dev/shm/forum-tests-*``) with
    the failed tests' files."""
    if config.option.basetemp or hasattr(config, "workerinput") or not os.access(MEMORY_FOLDER, os.W_OK):
        return
    config.option.basetemp = tempfile.mkdtemp(prefix="forum-tests-", dir=MEMORY_FOLDER)
    config.stash[_MEMORY_BASETEMP] = config.option.basetemp


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """With FORUM_TEST_DATABASE_URL set, ``-n auto`` means one process: the
    PostgreSQL and MariaDB runs share one ``test`` database, which parallel
    workers would trample. On SQLite each test has its own file, and
    pytest-xdist gives one worker per core."""
    return 0 if os.environ.get(DATABASE_URL_VARIABLE) else None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    folder = session.config.stash.get(_MEMORY_BASETEMP, None)
    if folder and exitstatus != pytest.ExitCode.TESTS_FAILED:
        shutil.rmtree(folder, ignore_errors=True)


def database_url(tmp_path) -> str:
    """The database the suite runs on: FORUM_TEST_DATABASE_URL, else a fresh SQLite file."""
    return os.environ.get(DATABASE_URL_VARIABLE) or f"sqlite:///{tmp_path / 'test.sqlite3'}"


def skip_or_fail(reason: str) -> None:
    """Skip outside CI; in CI a missing prerequisite is a failure, never a silent skip."""
    if os.environ.get("CI"):
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@contextmanager
def fresh_tables(app, db):
    """Create the host's and the forum's tables, and drop them afterwards."""
    with app.app_context():
        db.drop_all()
        Base.metadata.drop_all(db.engine)
        drop_version_table(db.engine)
        db.create_all()
        Forum.create_all()
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
            Base.metadata.drop_all(db.engine)
            drop_version_table(db.engine)
            db.drop_all()
            db.engine.dispose()


@pytest.fixture
def db_url(tmp_path):
    return database_url(tmp_path)


@pytest.fixture
def make_app(db_url):
    """Build host apps on the test database; tables are dropped afterwards."""
    stack = []

    def make(**config):
        app = hostapp.create_app(db_url, **config)
        context = fresh_tables(app, hostapp.db)
        context.__enter__()
        stack.append(context)
        return app

    yield make
    for context in reversed(stack):
        context.__exit__(None, None, None)


@pytest.fixture
def app(make_app):
    return make_app()


def add_users(app) -> dict[str, int]:
    """A reader and a moderator account on the host; their ids by role."""
    with app.app_context():
        reader = hostapp.User(username="reader", email="reader@example.org")
        moderator = hostapp.User(username="mod", email="mod@example.org", is_moderator=True)
        hostapp.db.session.add_all([reader, moderator])
        hostapp.db.session.commit()
        return {"reader": reader.id, "moderator": moderator.id}


@pytest.fixture
def users(app):
    return add_users(app)


def log_in(client, user_id: int) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True


@pytest.fixture
def moderator(app, users):
    """A test client signed in as the moderator of :func:`add_users`."""
    client = app.test_client()
    log_in(client, users["moderator"])
    return client


def csrf_token(html: str) -> str:
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def form_ticket(html: str) -> str:
    """The signed ticket in the page's comment form."""
    match = re.search(r'<input[^>]*name="forum_ticket"[^>]*value="([^"]+)"', html)
    assert match, "the page's comment form has no ticket"
    return match.group(1)


def form_fields(html: str) -> dict[str, str]:
    """The hidden fields a page's comment form sends: its ticket, and its
    CSRF token unless the host switched CSRF off."""
    fields = {"forum_ticket": form_ticket(html)}
    if 'name="csrf_token"' in html:
        fields["csrf_token"] = csrf_token(html)
    return fields


def post_comment(client, slug: str = "first-report", *, page: str | None = None, prefix: str = "/forum", **fields):
    """Open the page of thread ``slug`` as a reader would and submit its comment form."""
    page = client.get(page or f"/posts/{slug}")
    assert page.status_code == 200
    data = {**form_fields(page.text), "author_name": "Mali", "body": "Thank you for this report."}
    data.update(fields)
    return client.post(f"{prefix}/threads/{slug}/comments", data={k: v for k, v in data.items() if v is not None})


# The test client's address: what a comment posted through it is stored with.
CLIENT_ADDRESS = "127.0.0.1"


def host_place(key: str = "first-report"):
    """The place a test host page names for the thread ``key``: its title and URL."""
    from forum_plugin import threads

    return threads.page_place(key, hostapp.POSTS.get(key), f"/posts/{key}")


def seed_comment(
    app, body: str = "Thank you for this report.", *, key: str = "first-report", parent_id: int | None = None, **draft
) -> int:
    """Store a comment through the write side, as the comment form stores a
    reader's post from the test client (the host's title and URL for the
    page, the client's hashed address), and return its id: for tests whose
    subject is not the posting request. ``draft`` fills the rest of
    :class:`forum_plugin.policy.Draft`; the author is "Mali" unless named."""
    from forum_plugin import comments
    from forum_plugin.policy import Draft
    from forum_plugin.privacy import hash_ip
    from forum_plugin.state import get_state

    draft.setdefault("author_name", "Mali")
    draft.setdefault("ip_hash", hash_ip(app.secret_key, CLIENT_ADDRESS))
    with app.test_request_context():
        posted = comments.post(
            hostapp.db.session,
            host_place(key),
            Draft(body=body, **draft),
            parent_id=parent_id,
            settings=get_state().settings,
            ip_private=comments.shared_address(CLIENT_ADDRESS),
        )
        return posted.comment.id


def by_moderator(users: dict[str, int]) -> dict[str, object]:
    """The rest of the draft of a comment that the moderator of
    :func:`add_users` posts while signed in (for :func:`seed_comment`)."""
    return {
        "author_name": "mod",
        "author_email": "mod@example.org",
        "author_id": str(users["moderator"]),
        "author_is_moderator": True,
    }


def seed_moderation(app, comment_id: int, action: str, users: dict[str, int]) -> None:
    """The moderator of :func:`add_users` applies ``action`` to a comment
    through the write side, as the dashboard's button would."""
    from forum_plugin import comments

    with app.test_request_context():
        comment = hostapp.db.session.get(Comment, comment_id)
        comments.moderate(hostapp.db.session, [comment], action, by=comments.Actor(str(users["moderator"]), "mod"))


def issue_ticket(app, key: str, title: str | None = None, url: str | None = None) -> str:
    """A ticket for ``key`` as a host page rendering it would sign one (for
    tests that post to keys no test host page renders)."""
    from forum_plugin import threads, tickets

    return tickets.issue(app.secret_key, threads.page_place(key, title, url or f"/posts/{key}"))


def comment_id_from(response) -> int:
    assert response.status_code == 303, response.text
    return int(response.headers["Location"].rsplit("#comment-", 1)[1])


def approve(app, client_of_moderator, comment_id: int):
    queue = client_of_moderator.get("/forum/moderation/")
    return client_of_moderator.post(
        f"/forum/moderation/comments/{comment_id}/approve", data={"csrf_token": csrf_token(queue.text)}
    )


def send(client, path: str, **data):
    """POST a moderation form the way the dashboard's buttons do."""
    # The ban list always has a form, whatever the queue holds.
    token = csrf_token(client.get("/forum/moderation/bans").text)
    return client.post(path, data={"csrf_token": token, **data})


def moderate(client_of_moderator, comment_id: int, action: str):
    """A moderator's button on the dashboard: ``action`` is an
    :class:`~forum_plugin.vocabulary.Action` value."""
    return send(client_of_moderator, f"/forum/moderation/comments/{comment_id}/{action}")


def report(client, comment_id: int, *, address: str = "127.0.0.1", page: str = "/posts/first-report"):
    """A reader at ``address`` reports a comment through the page's report form."""
    environ = {"REMOTE_ADDR": address}
    token = csrf_token(client.get(page, environ_base=environ).text)
    return client.post(
        f"/forum/comments/{comment_id}/report", data={"csrf_token": token, "reason": "abuse"}, environ_base=environ
    )


def status_of(app, comment_id: int) -> str:
    with app.app_context():
        return hostapp.db.session.get(Comment, comment_id).status


def stored_comments(app) -> int:
    with app.app_context():
        return hostapp.db.session.scalar(select(func.count()).select_from(Comment))


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def store_chain(
    session,
    thread_id: int,
    length: int,
    *,
    under: Comment | None = None,
    author: Callable[[int], str] = lambda depth: "replier",
    body: Callable[[int], str] = lambda depth: f"reply {depth}",
    start: datetime | None = None,
) -> list[Comment]:
    """``length`` approved comments straight into the database, each replying
    to the one before; the first answers ``under``, or starts a conversation.
    ``author`` and ``body`` name and word each by its depth; times are a
    second apart after ``start`` (now when not given). Flushed, not committed."""
    chain: list[Comment] = []
    parent = under
    for _ in range(length):
        depth = parent.depth + 1 if parent else 0
        comment = Comment(
            thread_id=thread_id,
            parent_id=parent.id if parent else None,
            root_id=(parent.root_id or parent.id) if parent else None,
            depth=depth,
            status=Status.APPROVED.value,
            author_name=author(depth),
            body_markdown=body(depth),
            body_html=f"<p>{body(depth)}</p>",
        )
        if start is not None:
            comment.created_at = start + timedelta(seconds=depth)
        session.add(comment)
        session.flush()
        chain.append(comment)
        parent = comment
    return chain


@pytest.fixture
def thai():
    """A request of a bare app whose Flask-Babel picks Thai: for rendering
    texts in Thai without a forum."""
    app = Flask(__name__)
    Babel(app, locale_selector=lambda: "th")
    with app.test_request_context():
        yield
