"""The forum inside a blog built the way real Flask sites are (tests/realhost),
driven end to end through the HTTP client the way a browser would: every
page fetched, every form submitted with the hidden fields the page rendered,
and no answer, redirects included, may be a 5xx.

What it shows, as the site owner would see it:
- a reader's comment waits for the blog's editor, is published, counted and
  answered; the next account on the same browser sees nothing of the last;
- the blog's own migrations never propose to touch the forum's tables;
- the blog's pages are not throttled by the forum, and its own limits keep
  working beside the forum's;
- rendering the comments inside the blog's views never writes through the
  blog's session;
- the forum's errors read as the forum's messages, the blog's as its own page;
- Flask-Mail without a server: no "Email me" box and no mail;
- the blog's own translations and the forum's side by side;
- the README's mounting example works as pasted.
"""

from __future__ import annotations

import importlib
import logging
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from sqlalchemy import MetaData, Table, inspect, select
from werkzeug.datastructures import MultiDict

from forum_plugin.migrating import drop_version_table
from forum_plugin.models import Base, Thread

from .conftest import HEAD, database_url
from .realhost import create_app
from .realhost.extensions import db, limiter, mail
from .realhost.models import Post, User

README = Path(__file__).parent.parent / "README.md"
PASSWORD = "correct horse battery staple"
ACCOUNTS = (("editor", "editor"), ("alice", "reader"), ("bob", "reader"))
POSTS = (("first-post", "A first post"), ("second-post", "A second post"))
FORUM_ERROR = 'class="forum-error"'
BLOG_ERROR = 'class="blog-error"'


class NoServerErrors(FlaskClient):
    """A test client that fails the test on any 5xx, redirects included."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        assert response.status_code < 500, (
            f"{response.status_code} for {response.request.method} {response.request.path}:\n"
            f"{response.get_data(as_text=True)[:3000]}"
        )
        return response


@dataclass
class Form:
    action: str
    method: str
    id: str | None
    fields: list[tuple[str, str]] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {name for name, _ in self.fields}


class FormReader(HTMLParser):
    """Every form of a page, with the values a browser would send unchanged:
    inputs (checkboxes and radios only when checked), textareas, and each
    select's selected or first option. Buttons send nothing."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: list[str] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self._form = Form(
                attributes.get("action") or "", (attributes.get("method") or "get").lower(), attributes.get("id")
            )
            self.forms.append(self._form)
        elif self._form is None or not attributes.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self._form.fields.append(
                (attributes["name"], attributes.get("value") or ("on" if kind == "checkbox" else ""))
            )
        elif tag == "textarea":
            self._textarea = [attributes["name"], ""]
        elif tag == "select":
            self._select, self._options = attributes["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((attributes.get("value") or "", "selected" in attributes))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], _without_first_newline(self._textarea[1])))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _ in self._options[:1]
            ]
            self._form.fields.extend((self._select, value) for value in chosen)
            self._select = None


def _without_first_newline(text: str) -> str:
    """A browser drops the newline right after <textarea>, as HTML says."""
    return text[2:] if text.startswith("\r\n") else text.removeprefix("\n")


class Browser:
    """One person's browser: its own cookies, the page it is on, its forms."""

    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()
        self.page = None

    @property
    def html(self) -> str:
        return self.page.get_data(as_text=True)

    def open(self, url: str, **kwargs):
        self.page = self.client.get(url, follow_redirects=True, **kwargs)
        return self.page

    def form(self, *, id: str | None = None, action: str | None = None) -> Form:
        reader = FormReader()
        reader.feed(self.html)
        for form in reader.forms:
            if (id is None or form.id == id) and (action is None or urlsplit(form.action).path == action):
                return form
        raise AssertionError(f"no form with id={id!r} action={action!r} on {self.page.request.path}")

    def has_form(self, **wanted) -> bool:
        try:
            self.form(**wanted)
        except AssertionError:
            return False
        return True

    def submit(self, form: Form, **values: str):
        """Send ``form`` as the page rendered it, with ``values`` typed in."""
        data = MultiDict(form.fields)
        for name, value in values.items():
            data.setlist(name, [value])
        target = urljoin(self.page.request.url, form.action or self.page.request.url)
        self.page = self.client.open(target, method=form.method.upper(), data=data, follow_redirects=True)
        return self.page

    def comment(self, body: str, **values: str):
        return self.submit(self.form(id="comment-form"), body=body, **values)

    def log_in(self, username: str):
        self.open("/login")
        answer = self.submit(self.form(id="login-form"), username=username, password=PASSWORD)
        assert f"Log out {username}" in answer.get_data(as_text=True)
        return answer

    def log_out(self):
        answer = self.submit(self.form(id="logout-form"))
        assert "Log in" in answer.get_data(as_text=True)
        return answer


def shown_comment_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<article id="comment-(\d+)"', html)]


def count_on_index(browser: Browser, slug: str) -> int:
    browser.open("/")
    found = re.search(rf'<li data-slug="{slug}">.*?<span class="blog-count">(\d+)</span>', browser.html, re.S)
    assert found, browser.html
    return int(found.group(1))


def drop_everything(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        Base.metadata.drop_all(db.engine)
        drop_version_table(db.engine)
        db.drop_all()
        Table("alembic_version", MetaData()).drop(db.engine, checkfirst=True)
        db.engine.dispose()


def seed(app: Flask) -> None:
    with app.app_context():
        for username, role in ACCOUNTS:
            user = User(username=username, email=f"{username}@example.org", role=role)
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.add_all(Post(slug=slug, title=title, body=f"{title}, the text.") for slug, title in POSTS)
        db.session.commit()


def cli(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, f"flask {' '.join(args)}:\n{result.output}"
    return result.output


@pytest.fixture(autouse=True)
def keep_loggers_enabled():
    """Flask-Migrate's generated env.py runs logging.config.fileConfig, which
    disables every logger that exists; later tests read the app's log."""
    yield
    for logger in logging.Logger.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.disabled = False


@pytest.fixture
def make_blog(tmp_path):
    """The blog on the test database, its tables made as its owner would:
    the blog's own, then ``flask forum db upgrade`` for the forum's."""
    made: list[Flask] = []

    def make(**config) -> Flask:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
                "MIGRATIONS_DIRECTORY": str(tmp_path / "migrations"),
                "MAIL_SUPPRESS_SEND": True,  # every message Flask-Mail is asked to send is recorded, none leaves
                "FORUM_FORM_MIN_SECONDS": 0,  # this browser fills forms faster than a person
                "FORUM_MODERATOR_EMAILS": ("editor@example.org",),
                **config,
            }
        )
        app.test_client_class = NoServerErrors
        drop_everything(app)
        made.append(app)
        with app.app_context():
            db.create_all()
        assert "head" in cli(app, "forum", "db", "upgrade")
        seed(app)
        return app

    yield make
    for app in made:
        drop_everything(app)


@pytest.fixture
def blog(make_blog) -> Flask:
    return make_blog()


def test_a_readers_comment_waits_for_the_editor_then_is_published_counted_and_answered(blog):
    reader = Browser(blog)
    reader.open("/posts/first-post")
    assert "No comments yet" in reader.html
    first = "The bridge on the north road is open again."
    reader.comment(first, author_name="Mali", author_email="mali@example.org")
    assert reader.page.request.path == "/posts/first-post"
    assert first in reader.html and "awaiting moderation" in reader.html
    assert "mali@example.org" not in reader.html
    [comment_id] = shown_comment_ids(reader.html)

    passer_by = Browser(blog)
    assert first not in passer_by.open("/posts/first-post").get_data(as_text=True)
    assert count_on_index(passer_by, "first-post") == 0

    editor = Browser(blog)
    editor.log_in("editor")
    editor.open("/forum/moderation/")
    assert first in editor.html and "mali@example.org" in editor.html
    editor.submit(editor.form(action=f"/forum/moderation/comments/{comment_id}/approve"))
    assert editor.page.status_code == 200

    passer_by.open("/posts/first-post")
    assert first in passer_by.html and "awaiting moderation" not in passer_by.html
    assert "mali@example.org" not in passer_by.html
    assert count_on_index(passer_by, "first-post") == 1
    assert passer_by.open("/forum/api/counts?key=first-post").get_json() == {"counts": {"first-post": 1}}

    passer_by.open(f"/posts/first-post?reply_to={comment_id}")
    answer = "Thank you, I will take it tomorrow."
    passer_by.comment(answer, author_name="Somchai")
    assert answer in passer_by.html and "awaiting moderation" in passer_by.html
    reply_id = max(shown_comment_ids(passer_by.html))
    assert first in passer_by.html

    editor.open("/forum/moderation/")
    editor.submit(editor.form(action=f"/forum/moderation/comments/{reply_id}/approve"))
    editor.open(f"/posts/first-post?reply_to={reply_id}")
    editors_word = "Please tell us how the crossing went."
    editor.comment(editors_word)
    assert editors_word in editor.html and "awaiting moderation" not in editor.html

    page = reader.open("/posts/first-post").get_data(as_text=True)
    assert f'id="comment-{reply_id}" class="forum-comment" data-depth="1" data-parent="{comment_id}"' in page
    assert all(text in page for text in (first, answer, editors_word))
    assert count_on_index(reader, "first-post") == 3
    assert count_on_index(reader, "second-post") == 0
    thread_page = reader.open("/forum/threads/first-post").get_data(as_text=True)
    assert all(text in thread_page for text in (first, answer, editors_word))


def test_the_next_account_on_the_same_browser_sees_nothing_of_the_last(blog):
    browser = Browser(blog)
    browser.log_in("alice")
    browser.open("/posts/first-post")
    alices = "I saw the convoy at the school this morning."
    browser.comment(alices)
    assert alices in browser.html and "awaiting moderation" in browser.html
    assert "forum-edit-link" in browser.html

    browser.log_out()
    browser.open("/posts/first-post")
    assert alices not in browser.html and "forum-edit-link" not in browser.html

    browser.log_in("bob")
    browser.open("/posts/first-post")
    assert alices not in browser.html
    assert "awaiting moderation" not in browser.html
    assert "forum-edit-link" not in browser.html and "/delete" not in browser.html
    assert re.search(r"Commenting as\s*<strong>bob</strong>", browser.html)


def test_an_anonymous_readers_comments_do_not_follow_the_browser_into_an_account(blog):
    browser = Browser(blog)
    browser.open("/posts/first-post")
    published, held = "The clinic opens at nine on Saturdays.", "Ask for Dr. Niran at the desk."
    browser.comment(published, author_name="A neighbour")
    [published_id] = shown_comment_ids(browser.html)
    editor = Browser(blog)
    editor.log_in("editor")
    editor.open("/forum/moderation/")
    editor.submit(editor.form(action=f"/forum/moderation/comments/{published_id}/approve"))
    browser.open("/posts/first-post")
    browser.comment(held, author_name="A neighbour")
    assert held in browser.html and browser.html.count("forum-edit-link") == 2

    browser.log_in("bob")
    browser.open("/posts/first-post")
    assert published in browser.html
    assert held not in browser.html and "awaiting moderation" not in browser.html
    assert "forum-edit-link" not in browser.html


# Flask-Migrate's generated env.py tries Flask-SQLAlchemy 2's get_engine() first.
@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_the_blogs_own_migrations_never_propose_forum_changes(blog, tmp_path):
    with blog.app_context():
        db.drop_all()
    cli(blog, "db", "init")
    cli(blog, "db", "migrate", "-m", "the blog's tables")
    [script] = (tmp_path / "migrations" / "versions").glob("*.py")
    text = script.read_text()
    assert "blog_users" in text and "blog_posts" in text and "forum_" not in text
    cli(blog, "db", "upgrade")
    seed(blog)
    cli(blog, "db", "migrate", "-m", "nothing to do")
    assert len(list((tmp_path / "migrations" / "versions").glob("*.py"))) == 1
    assert f"{HEAD} (head)" in cli(blog, "forum", "db", "current")
    with blog.app_context():
        names = set(inspect(db.engine).get_table_names())
    assert {"blog_users", "blog_posts", "alembic_version", "forum_comments", "forum_alembic_version"} <= names
    reader = Browser(blog)
    reader.open("/posts/first-post")
    reader.comment("Still here after the blog's own migration.", author_name="Mali")
    assert "awaiting moderation" in reader.html


def test_the_forum_never_throttles_the_blogs_own_pages(make_blog):
    blog = make_blog(FORUM_RATELIMIT="2/minute")
    reader = Browser(blog)
    for number in range(2):
        reader.open("/posts/first-post")
        reader.comment(f"Comment number {number} on the road works.", author_name="Mali")
        assert "awaiting moderation" in reader.html
    reader.open("/posts/first-post")
    assert reader.comment("One comment too many.", author_name="Mali").status_code == 429

    for _ in range(10):
        assert reader.open("/").status_code == 200
        assert reader.open("/posts/second-post").status_code == 200
    reader.open("/contact")
    reader.submit(reader.form(id="contact-form"), name="Mali", message="Hello")
    assert reader.page.status_code == 200 and "Thank you, Mali" in reader.html


def test_the_forums_rate_limit_is_explained_in_the_forums_words(make_blog):
    blog = make_blog(FORUM_RATELIMIT="1/minute")
    reader = Browser(blog)
    reader.open("/posts/first-post")
    reader.comment("The only comment this minute allows.", author_name="Mali")
    reader.open("/posts/first-post")
    refused = reader.comment("One comment too many.", author_name="Mali")
    assert refused.status_code == 429
    assert "faster than this site allows" in reader.html and BLOG_ERROR not in reader.html


def test_the_blogs_only_flask_limiter_is_its_own(blog):
    registered = blog.extensions["limiter"]  # one Limiter, or a set of them in newer Flask-Limiters
    assert (registered if isinstance(registered, set) else {registered}) == {limiter}


def test_the_blogs_own_limits_keep_working_beside_the_forums(blog):
    reader = Browser(blog)
    for _ in range(3):
        reader.open("/contact")
        reader.submit(reader.form(id="contact-form"), name="Mali", message="Hello")
        assert "Thank you, Mali" in reader.html
    reader.open("/contact")
    reader.submit(reader.form(id="contact-form"), name="Mali", message="Hello again")
    assert reader.page.status_code == 429 and 'data-code="429"' in reader.html

    # The blog's limits are the blog's: the contact form's count does not stop
    # a comment, and the forum's posts are counted by the blog only as its
    # default limit asks (50 an hour on each page).
    for number in range(4):
        reader.open("/posts/second-post")
        reader.comment(f"Still allowed to comment, number {number}.", author_name="Mali")
        assert reader.page.status_code == 200 and "awaiting moderation" in reader.html

    for _ in range(50):
        assert reader.client.get("/").status_code == 200
    throttled = reader.client.get("/")
    assert throttled.status_code == 429 and 'data-code="429"' in throttled.get_data(as_text=True)


@pytest.mark.parametrize("slug", ["a-new-post", "first-post"], ids=["new slug", "slug already taken"])
def test_a_blog_view_that_renders_comments_and_rolls_back_loses_its_change(blog, slug):
    editor = Browser(blog)
    editor.log_in("editor")
    page = editor.open(f"/drafts/{slug}/preview?title=Draft+title")
    assert page.status_code == 200
    assert "Preview: not published yet." in editor.html and editor.has_form(id="comment-form")
    with blog.app_context():
        titles = db.session.scalars(select(Post.title).where(Post.slug == slug)).all()
        threads = db.session.scalars(select(Thread.title).where(Thread.key == slug)).all()
    assert "Draft title" not in titles
    assert "Draft title" not in threads


def test_the_blog_commits_its_own_writes_after_rendering_the_comments(blog):
    reader = Browser(blog)
    for _ in range(3):
        reader.open("/posts/first-post")
    assert '<p class="blog-views">3</p>' in reader.html
    reader.comment("A comment between two counted views.", author_name="Mali")
    reader.open("/posts/first-post")
    assert '<p class="blog-views">5</p>' in reader.html
    with blog.app_context():
        assert db.session.scalar(select(Post.views).where(Post.slug == "first-post")) == 5


def test_a_forum_page_the_reader_may_not_see_explains_itself_in_the_forums_words(blog):
    reader = Browser(blog)
    reader.log_in("alice")
    page = reader.open("/forum/moderation/")
    assert page.status_code == 403
    assert "Only moderators may see this page." in reader.html and BLOG_ERROR not in reader.html


@pytest.mark.parametrize(
    ("method", "path", "status", "message"),
    [
        ("GET", "/forum/threads/nobody-wrote-here", 404, "There are no comments on a page by that name."),
        ("GET", "/forum/no-such-forum-page", 404, None),
        ("GET", "/forum/comments/99999/edit", 404, None),
        ("POST", "/forum/threads/first-post/comments", 400, "nothing was saved"),
        ("POST", "/forum/comments/1/report", 400, "nothing was saved"),
        ("GET", "/forum/threads/first-post/comments", 405, None),
    ],
)
def test_the_forums_errors_show_the_forums_message_not_the_blogs_page(blog, method, path, status, message):
    browser = Browser(blog)
    browser.open("/posts/first-post")
    answer = browser.client.open(path, method=method, data={"body": "No token here.", "author_name": "Mali"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == status
    assert FORUM_ERROR in html and BLOG_ERROR not in html
    if message:
        assert message in html


def test_an_oversized_comment_is_refused_with_the_forums_message(blog):
    browser = Browser(blog)
    browser.open("/posts/first-post")
    answer = browser.client.post(
        "/forum/threads/first-post/comments", data={"body": "x" * 400_000, "author_name": "Mali"}
    )
    assert answer.status_code == 413
    html = answer.get_data(as_text=True)
    assert FORUM_ERROR in html and BLOG_ERROR not in html


@pytest.mark.parametrize(
    ("method", "path", "status", "as_user"),
    [
        ("GET", "/no-such-page", 404, None),
        ("GET", "/posts/no-such-post", 404, None),
        ("GET", "/drafts/a-draft/preview", 403, "alice"),
        ("POST", "/contact", 400, None),
    ],
)
def test_the_blogs_errors_keep_the_blogs_page(blog, method, path, status, as_user):
    browser = Browser(blog)
    if as_user:
        browser.log_in(as_user)
    answer = browser.client.open(path, method=method, data={"name": "Mali", "message": "No token here."})
    html = answer.get_data(as_text=True)
    assert answer.status_code == status
    assert f'{BLOG_ERROR} data-code="{status}"' in html and FORUM_ERROR not in html


def test_flask_mail_without_a_server_offers_no_mail_and_sends_none(blog):
    reader = Browser(blog)
    reader.open("/posts/first-post")
    form = reader.form(id="comment-form")
    assert "notify" not in form.names and "Email me" not in reader.html
    with mail.record_messages() as outbox:
        reader.submit(
            form,
            body="Please write to me when someone answers.",
            author_name="Mali",
            author_email="mali@example.org",
            notify="y",
        )
        [comment_id] = shown_comment_ids(reader.html)
        editor = Browser(blog)
        editor.log_in("editor")
        editor.open("/forum/moderation/")
        editor.submit(editor.form(action=f"/forum/moderation/comments/{comment_id}/approve"))
        editor.open(f"/posts/first-post?reply_to={comment_id}")
        editor.comment("We will, as soon as we know more.")
    assert outbox == []


def test_the_blogs_translations_and_the_forums_are_read_side_by_side(blog):
    reader = Browser(blog)
    reader.open("/?lang=th")
    assert "โพสต์ล่าสุด" in reader.html
    reader.open("/posts/first-post?lang=th")
    assert "บล็อกตัวอย่าง" in reader.html  # the blog's own catalog
    assert "แสดงความคิดเห็น" in reader.html  # the forum's: "Leave a comment"
    reader.open("/posts/first-post", headers={"Accept-Language": "en"})
    assert "The Example Blog" in reader.html and "Leave a comment" in reader.html


def test_the_forum_stylesheet_the_readme_links_is_served(blog):
    reader = Browser(blog)
    reader.open("/posts/first-post")
    [stylesheet] = re.findall(r'<link rel="stylesheet" href="([^"]+)"', reader.html)
    with reader.client.get(stylesheet) as answer:
        assert answer.status_code == 200 and answer.mimetype == "text/css"
        css = answer.get_data(as_text=True)
    assert re.search(r"\.forum-trap\s*\{[^}]*(left:\s*-\d+px|display:\s*none)", css)


def readme_block(heading: str, language: str) -> str:
    """The first ``language`` code block of the README's section ``heading``."""
    section = README.read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    found = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert found, f"no {language} block under ## {heading}"
    return found.group(1)


@pytest.fixture
def readme_site(tmp_path, monkeypatch):
    """The README's mounting example as a module, on the test database; the
    only change: forms may be sent at once (this browser is fast)."""
    database_line = 'app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///blog.sqlite3"'
    source = readme_block("Mounting", "python")
    assert database_line in source
    source = source.replace(
        database_line,
        f'app.config["SQLALCHEMY_DATABASE_URI"] = {database_url(tmp_path)!r}\napp.config["FORUM_FORM_MIN_SECONDS"] = 0',
    )
    (tmp_path / "readme_site.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    site = importlib.import_module("readme_site")
    site.app.test_client_class = NoServerErrors
    drop_readme_tables(site)
    try:
        yield site
    finally:
        drop_readme_tables(site)
        sys.modules.pop("readme_site", None)


def drop_readme_tables(site) -> None:
    with site.app.app_context():
        site.db.session.remove()
        Base.metadata.drop_all(site.db.engine)
        drop_version_table(site.db.engine)
        site.db.drop_all()
        site.db.engine.dispose()


def test_the_readmes_mounting_example_works_as_pasted(readme_site):
    app, post = readme_site.app, SimpleNamespace(slug="first-post", title="A first post")
    post_page = readme_block("Mounting", "jinja")

    @app.get("/posts/<slug>")
    def show_post(slug):
        return render_template_string(post_page, post=post)

    with app.app_context():
        readme_site.db.create_all()
        editor = readme_site.User(username="editor", role="editor")
        readme_site.db.session.add(editor)
        readme_site.db.session.commit()
        editor_id = editor.id
    assert "head" in cli(app, "forum", "db", "upgrade")

    reader = Browser(app)
    reader.open("/posts/first-post")
    [stylesheet] = re.findall(r'<link rel="stylesheet" href="([^"]+)"', reader.html)
    with reader.client.get(stylesheet) as answer:
        assert answer.status_code == 200
    reader.comment("Pasted, and it works.", author_name="Mali")
    assert "awaiting moderation" in reader.html
    [comment_id] = shown_comment_ids(reader.html)

    editor = Browser(app)
    with editor.client.session_transaction() as session:
        session["_user_id"] = str(editor_id)
    editor.open("/forum/moderation/")
    editor.submit(editor.form(action=f"/forum/moderation/comments/{comment_id}/approve"))
    assert "Pasted, and it works." in Browser(app).open("/posts/first-post").get_data(as_text=True)
