"""The forum as a guest in the host's app: its rate limits are its own, it
works whatever order the host sets its extensions up in (and without
Flask-Login), and its error pages show on its routes only."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from flask import Blueprint, Flask, abort, render_template_string
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import text

from forum_plugin import Forum
from forum_plugin.state import get_state

from . import hostapp
from .conftest import (
    add_users,
    approve,
    comment_id_from,
    fresh_tables,
    log_in,
    post_comment,
    stored_comments,
)

ROOT = Path(__file__).resolve().parent.parent
HOST_PAGE = "HOST ERROR PAGE"


def add_post_page(app: Flask) -> None:
    @app.get("/posts/<slug>")
    def post(slug):
        return render_template_string(hostapp.POST_PAGE, slug=slug, title=hostapp.POSTS.get(slug, slug))


# -- the forum's limiter is its own ---------------------------------------------------


def bare_host(db_url: str, **config) -> Flask:
    app = Flask("bare_host")
    app.config.update(SECRET_KEY="host secret", SQLALCHEMY_DATABASE_URI=db_url, FORUM_FORM_MIN_SECONDS=0, **config)
    hostapp.db.init_app(app)
    return app


def test_the_forum_adds_only_its_own_extension_and_cli_group(db_url):
    app = bare_host(db_url)
    extensions, commands = set(app.extensions), set(app.cli.commands)
    Forum(app, db=hostapp.db)
    assert set(app.extensions) - extensions == {"forum"}
    assert set(app.cli.commands) - commands == {"forum"}


def test_a_hosts_ratelimit_settings_never_throttle_host_routes(make_app):
    app = make_app(RATELIMIT_DEFAULT="1/minute", RATELIMIT_APPLICATION="2/minute")
    client = app.test_client()
    assert [client.get("/posts/first-report").status_code for _ in range(4)] == [200] * 4
    assert 429 not in [client.get("/forum/").status_code for _ in range(4)]


def test_the_hosts_own_limiter_and_the_forums_count_apart(make_app):
    app = make_app(FORUM_RATELIMIT="2/minute", RATELIMIT_DEFAULT="3/minute", RATELIMIT_STORAGE_URI="memory://")
    host_limiter = Limiter(lambda: "one visitor", app=app)
    app.add_url_rule("/ping", "ping", lambda: "pong")

    def ping(client):
        return client.get("/ping", environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code

    host_client = app.test_client()
    # The host's visits use up the host's quota only: the forum still takes two comments.
    assert [ping(host_client) for _ in range(3)] == [200, 200, 200]
    reader = app.test_client()
    reader.environ_base["REMOTE_ADDR"] = "198.51.100.1"
    assert [post_comment(reader, body=f"comment {n}").status_code for n in range(2)] == [303, 303]
    third = post_comment(reader, body="one too many for the forum")
    assert third.status_code == 429 and "faster than this site allows (2/minute)" in third.text
    # ...and the host's limit is the host's: 3/minute, as it asked.
    assert ping(host_client) == 429
    assert app.extensions["limiter"] in ({host_limiter}, host_limiter)
    assert stored_comments(app) == 2


# -- order and presence ---------------------------------------------------------------

SETUP_STEPS = ("sqlalchemy", "login", "csrf", "babel", "mail")


def build_host(db_url: str, order: tuple[str, ...], *, forum_gets_db: bool) -> Flask:
    """A host that sets its extensions up in ``order`` ("forum" among them)."""
    from flask_mail import Mail

    app = Flask("ordered_host")
    app.config.update(
        SECRET_KEY="host secret",
        SQLALCHEMY_DATABASE_URI=db_url,
        FORUM_FORM_MIN_SECONDS=0,
        FORUM_RATELIMIT="10000/minute",
        MAIL_SUPPRESS_SEND=True,
    )
    login = LoginManager()
    login.user_loader(lambda user_id: hostapp.db.session.get(hostapp.User, int(user_id)))
    steps = {
        "sqlalchemy": lambda: hostapp.db.init_app(app),
        "login": lambda: login.init_app(app),
        "csrf": lambda: CSRFProtect(app),
        "babel": lambda: Babel(app),
        "mail": lambda: Mail(app),
        "forum": lambda: Forum(app, db=hostapp.db) if forum_gets_db else Forum(app),
    }
    for step in order:
        steps[step]()
    add_post_page(app)
    return app


ORDERS = [
    ("forum", *SETUP_STEPS),
    (*SETUP_STEPS, "forum"),
    ("login", "csrf", "forum", "babel", "sqlalchemy", "mail"),
    tuple(reversed(("forum", *SETUP_STEPS))),
]


@pytest.mark.parametrize("forum_gets_db", [True, False], ids=["db-passed", "db-found"])
@pytest.mark.parametrize("order", ORDERS, ids=["-".join(order) for order in ORDERS])
def test_any_setup_order_carries_a_comment_from_post_to_approval(db_url, order, forum_gets_db):
    app = build_host(db_url, order, forum_gets_db=forum_gets_db)
    with fresh_tables(app, hostapp.db):
        with app.app_context():
            assert get_state().db is hostapp.db
        users = add_users(app)
        comment_id = comment_id_from(post_comment(app.test_client(), body="posted whatever the order"))
        moderator = app.test_client()
        log_in(moderator, users["moderator"])
        assert approve(app, moderator, comment_id).status_code == 303
        assert "posted whatever the order" in app.test_client().get("/posts/first-report").text


@pytest.mark.parametrize("order", [("forum", "sqlalchemy"), ("sqlalchemy", "forum")])
def test_sqlite_gets_write_ahead_logging_whichever_comes_first(tmp_path, order):
    app = build_host(f"sqlite:///{tmp_path / 'wal.sqlite3'}", order, forum_gets_db=True)
    with fresh_tables(app, hostapp.db), app.app_context():
        assert hostapp.db.session.scalar(text("PRAGMA journal_mode")) == "wal"
        assert hostapp.db.session.scalar(text("PRAGMA busy_timeout")) == 15000


def test_set_up_inside_an_app_context_the_forum_works_at_once(tmp_path):
    app = Flask("in_context", instance_path=str(tmp_path / "in_context"))
    app.config.update(SECRET_KEY="s", FORUM_FORM_MIN_SECONDS=0)
    with app.app_context():
        Forum(app)
        Forum.create_all()
        assert get_state().db is app.extensions["sqlalchemy"]
        get_state().db.engine.dispose()


def test_get_state_on_an_app_without_the_forum_names_the_missing_call():
    with Flask("no_forum").app_context():
        with pytest.raises(RuntimeError, match=r"not set up on this app: call Forum\(app\) or forum.init_app\(app\)"):
            get_state()


WITHOUT_FLASK_LOGIN = textwrap.dedent(r"""
    import html, re, sys
    sys.modules["flask_login"] = None  # as if it were not installed
    from flask import Flask, render_template_string
    from forum_plugin import Forum

    app = Flask("no_login", instance_path=sys.argv[1])
    app.config.update(SECRET_KEY="s", FORUM_FORM_MIN_SECONDS=0)
    Forum(app)
    app.add_url_rule("/article", "article", lambda: render_template_string("{{ forum_comments('article', title='A') }}"))
    with app.app_context():
        Forum.create_all()
    client = app.test_client()
    form = re.search(r'<form id="comment-form".*?</form>', client.get("/article").text, re.S).group(0)
    inputs = [dict(re.findall(r'([\w-]+)="([^"]*)"', tag)) for tag in re.findall(r"<input[^>]*>", form)]
    data = {i["name"]: html.unescape(i.get("value", "")) for i in inputs if i.get("type") == "hidden"}
    data.update(author_name="Nobody", body="posted without flask-login")
    posted = client.post("/forum/threads/article/comments", data=data)
    page = client.get("/article").text
    print(posted.status_code, "posted without flask-login" in page, client.get("/forum/moderation/").status_code)
""")


@pytest.mark.slow  # a fresh interpreter imports the forum and serves a page
def test_without_flask_login_installed_anonymous_comments_work(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_FLASK_LOGIN, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["303", "True", "401"]


# -- error pages -------------------------------------------------------------------------

HOST_HANDLED = (400, 403, 404, 405, 413, 429, 500)


def host_error_page(error):
    code = getattr(error, "code", None) or 500
    return f"{HOST_PAGE} {code}", code


@pytest.fixture
def handled_host(make_app):
    """A host whose app-level handlers answer every error with its own page."""
    app = make_app(csrf_protect=True, FORUM_RATELIMIT="1/minute", MAX_CONTENT_LENGTH=50_000)
    for code in (400, 405, 413, 429, 500):
        app.register_error_handler(code, host_error_page)
    app.errorhandler(404)(host_error_page)
    pages = Blueprint("host_pages", __name__)
    pages.app_errorhandler(403)(host_error_page)
    for code in (400, 403, 404, 413, 429):
        pages.add_url_rule(f"/host/{code}", f"abort_{code}", lambda code=code: abort(code))
    pages.add_url_rule("/host/500", "boom", lambda: 1 / 0)
    pages.add_url_rule("/host/form", "form", lambda: "posted", methods=["POST"])
    app.register_blueprint(pages)

    forum = app.extensions["forum"].forum

    @forum.policy_rule
    def breaks_on_purpose(draft, context):
        if draft.body == "break the forum":
            raise RuntimeError("a host rule with a bug")
        return None

    yield app
    forum.host_rules.remove(breaks_on_purpose)


def test_host_routes_keep_the_hosts_error_pages(handled_host):
    client = handled_host.test_client()
    answers = {code: client.get(f"/host/{code}") for code in (400, 403, 404, 413, 429, 500)}
    answers[404] = client.get("/no/such/host/page")
    answers[405] = client.get("/host/form")
    assert {code: (r.status_code, r.text) for code, r in answers.items()} == {
        code: (code, f"{HOST_PAGE} {code}") for code in HOST_HANDLED
    }


def forum_answers(app) -> dict[str, object]:
    users = add_users(app)
    reader = app.test_client()
    log_in(reader, users["reader"])
    answers = {
        "400 NUL": app.test_client().get("/forum/threads/first-report?q=%00"),
        "400 CSRF": app.test_client().post("/forum/threads/first-report/comments", data={"body": "no token"}),
        "403": reader.get("/forum/moderation/"),
        "404 unmatched": app.test_client().get("/forum/no/such/page"),
        "404 id": app.test_client().get(f"/forum/comments/{2**64}/edit"),
        "405": app.test_client().get("/forum/threads/first-report/comments"),
        "413": app.test_client().post("/forum/threads/first-report/comments", data={"body": "x" * 60_000}),
        "500": post_comment(app.test_client(), body="break the forum"),
    }
    limited = app.test_client()
    limited.environ_base["REMOTE_ADDR"] = "192.0.2.9"
    post_comment(limited, body="the one allowed")
    answers["429"] = post_comment(limited, body="one too many")
    return answers


def test_forum_routes_show_the_forums_own_message_whatever_the_host_handles(handled_host):
    answers = forum_answers(handled_host)
    for name, response in answers.items():
        assert response.status_code == int(name[:3]), name
        assert 'class="forum-error"' in response.text and HOST_PAGE not in response.text, name
    assert "nothing was saved" in answers["400 CSRF"].text and "NUL character" in answers["400 NUL"].text
    assert "a host rule with a bug" not in answers["500"].text


def test_the_forums_405_says_which_methods_work(handled_host):
    response = handled_host.test_client().get("/forum/comments/1/report")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"


@pytest.mark.parametrize("path", ["/forum/moderation", "/forum"])
def test_a_forum_url_without_its_slash_still_redirects(app, path):
    response = app.test_client().get(path)
    assert response.status_code == 308 and response.headers["Location"].endswith(path + "/")
