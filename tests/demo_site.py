"""The demo blog served for real on 127.0.0.1, and what a browser does on it.

Used by the end-to-end and accessibility tests (``tests/conftest.py``
registers its fixtures for every module) and by ``docs/screenshots.py``. Every step
goes through the pages (typing, clicking, submitting), as a person would:
the moderator logs in through ``/login`` in a browser context of its own.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

import pytest

from .browser import LiveServer, chromium, keep_on_origin, live_server

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser, BrowserContext, Page

# Waits in the browser never hang a run: every step gives up after this.
STEP_MS = 10_000

# A post whose seeded comments make a lively thread, and one that starts quiet.
BUSY_POST = "field-notes-from-the-border-shelter"
QUIET_POST = "what-i-learned-in-training-week"

MODERATOR = ("moderator", "moderate-demo")
PENDING_NOTICE = "awaiting moderation"


@dataclass
class DemoSite:
    app: Flask
    server: LiveServer

    @property
    def url(self) -> str:
        return self.server.url

    def post_url(self, slug: str) -> str:
        return f"{self.server.url}/posts/{slug}"

    def context(self, browser: Browser, **options) -> BrowserContext:
        """A fresh browser profile (its own cookies) that cannot leave the demo's origin."""
        context = browser.new_context(**options)
        context.set_default_timeout(STEP_MS)
        context.set_default_navigation_timeout(STEP_MS)
        keep_on_origin(context, self.server)
        return context


@contextmanager
def serve_demo(tmp_path, db_url: str, **config) -> Iterator[DemoSite]:
    """The demo app on the test database, served from a thread; its tables are dropped afterwards."""
    from forum_plugin.demo import create_app
    from forum_plugin.demo.models import db
    from forum_plugin.models import Base

    settings = {"SQLALCHEMY_DATABASE_URI": db_url, "FORUM_FORM_MIN_SECONDS": 0, **config}
    app = create_app(settings, instance_path=str(tmp_path / "instance"))
    try:
        with live_server(app) as server:
            yield DemoSite(app, server)
    finally:
        with app.app_context():
            db.session.remove()
            Base.metadata.drop_all(db.engine)
            db.drop_all()
            db.engine.dispose()


@pytest.fixture
def site(tmp_path, db_url) -> Iterator[DemoSite]:
    with serve_demo(tmp_path, db_url) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def log_in(context: BrowserContext, site: DemoSite, username: str, password: str) -> Page:
    """Log in through the demo's form; returns the page, left on the moderation queue."""
    page = context.new_page()
    page.goto(f"{site.url}/login?next=/forum/moderation/", wait_until="load")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation(wait_until="load"):
        page.click("form.login-form button[type=submit]")
    assert page.url.endswith("/forum/moderation/"), f"login did not land on the queue: {page.url}"
    return page


def submit_comment(page: Page, body: str, name: str | None = None, *, inline: bool = False) -> None:
    """Fill the comment form that is on the page and send it.

    ``inline`` is for pages running forum.js, which posts without a page
    load; otherwise the form's ordinary post-redirect-get is awaited.
    """
    form = page.locator("#comment-form")
    if name is not None:
        form.locator("#author_name").fill(name)
    form.locator("#body").fill(body)
    button = form.locator("button[type=submit]")
    if inline:
        button.click()
    else:
        with page.expect_navigation(wait_until="load"):
            button.click()


def comment_id_in(url: str) -> int:
    """The comment a post-redirect-get landed on (``…#comment-12``)."""
    assert "#comment-" in url, f"not a comment's address: {url}"
    return int(url.rsplit("#comment-", 1)[1])
