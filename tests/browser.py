"""Helpers for tests that drive a real browser against the host app.

Chromium is Debian's (``/usr/bin/chromium``), started through Playwright's
sync API; Playwright's own browser downloads are never used. A missing or
broken browser is a skip outside CI and a failure in CI (``skip_or_fail``).

- :func:`chromium` launches one headless browser and closes it afterwards.
- :class:`LiveServer` / :func:`live_server` serve a Flask app on 127.0.0.1
  from a daemon thread, so the browser has a real origin to load.
- :func:`copy_session_cookie` hands a Flask test client's session to a
  browser context: the host app has no password login, so this is how a
  browser acts as a logged-in moderator.
- :func:`keep_on_origin` aborts every request that leaves the live server,
  so a page never waits on the network and any attempt is recorded.
- :class:`ScriptWatch` notices script that runs: overridden ``alert`` and
  friends count into ``window.__xss``, and dialogs, page errors and popups
  are recorded.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator
from urllib.parse import urlsplit

from werkzeug.serving import make_server

from .conftest import skip_or_fail

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Route

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium(*, timeout_ms: float = 30_000) -> Iterator[Browser]:
    """One headless Debian Chromium for the block; skip (or fail in CI) if it cannot start."""
    if not os.access(CHROMIUM, os.X_OK):
        skip_or_fail(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        skip_or_fail(f"playwright is not importable: {error}")
    try:
        playwright = sync_playwright().start()
    except Exception as error:  # the driver itself could not start
        skip_or_fail(f"playwright could not start: {error}")
    try:
        try:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=timeout_ms
            )
        except PlaywrightError as error:
            skip_or_fail(f"playwright could not launch {CHROMIUM}: {error.message.splitlines()[0]}")
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


class LiveServer:
    """A Flask app served on 127.0.0.1 at an ephemeral port, from a daemon thread.

    Threaded, so the page and its stylesheet and script load in parallel as
    they would from a real server. Use :func:`live_server` so it always stops.
    """

    def __init__(self, app: Flask, host: str = "127.0.0.1") -> None:
        self._server = make_server(host, 0, app, threaded=True)
        self.host = host
        self.port = self._server.server_port
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"live-server-{self.port}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, close the socket and wait for the thread; safe to call twice."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=10)
        self._server.server_close()


@contextmanager
def live_server(app: Flask) -> Iterator[LiveServer]:
    server = LiveServer(app)
    try:
        yield server
    finally:
        server.stop()


def copy_session_cookie(client: FlaskClient, context: BrowserContext, server: LiveServer) -> None:
    """Give ``context`` the session of ``client`` (e.g. after ``log_in``), for ``server``'s host.

    Flask signs the cookie with the app's secret key, so it is valid on the
    live server as long as it serves the same app.
    """
    name = client.application.config.get("SESSION_COOKIE_NAME", "session")
    cookie = client.get_cookie(name)
    if cookie is None:  # a client that never had a session yet: one request gives it one
        client.get("/")
        cookie = client.get_cookie(name)
    assert cookie is not None, "the test client has no session cookie to copy"
    context.clear_cookies(name=name)  # one session cookie, not the anonymous one beside it
    context.add_cookies(
        [{"name": name, "value": cookie.value, "domain": server.host, "path": "/", "httpOnly": True, "sameSite": "Lax"}]
    )


def keep_on_origin(context: BrowserContext, server: LiveServer) -> list[str]:
    """Abort every request not addressed to ``server``; the list fills with their URLs.

    Pages under test load nothing from elsewhere, so an entry means some
    markup made the browser reach out (a script, frame or image source).
    """
    left: list[str] = []
    origin = urlsplit(server.url)

    def route(route: Route) -> None:
        parts = urlsplit(route.request.url)
        if (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc):
            route.continue_()
        else:
            left.append(f"{route.request.resource_type} {route.request.url}")
            route.abort()

    context.route("**/*", route)
    return left


# Installed before any of the page's own script runs, in every frame. The
# counter is a getter over a closure, so script on the page cannot reset it.
_WATCH_SCRIPT = """
(() => {
  const calls = [];
  const record = (name, args) => {
    let shown;
    try { shown = Array.from(args, String).join(", "); } catch (e) { shown = "?"; }
    calls.push(name + "(" + shown + ")");
  };
  const answers = {alert: undefined, confirm: false, prompt: null, print: undefined};
  for (const name of Object.keys(answers)) {
    const fake = function () { record(name, arguments); return answers[name]; };
    Object.defineProperty(window, name, {value: fake, writable: false, configurable: false});
  }
  Object.defineProperty(window, "__xss", {get: () => calls.length, configurable: false});
  Object.defineProperty(window, "__xssCalls", {get: () => calls.slice(), configurable: false});
})();
"""


@dataclass
class Observed:
    """What one page load showed: a non-empty field means script ran or tried to."""

    url: str
    counter: int
    calls: list[str]
    dialogs: list[str]
    errors: list[str]
    popups: list[str]

    def problems(self) -> list[str]:
        found = []
        if self.counter:
            found.append(f"window.__xss = {self.counter}: {self.calls}")
        found += [f"dialog opened: {d}" for d in self.dialogs]
        found += [f"uncaught page error: {e}" for e in self.errors]
        found += [f"window opened: {p}" for p in self.popups]
        return found


@dataclass
class ScriptWatch:
    """Counts calls to ``alert``/``confirm``/``prompt``/``print`` and records
    dialogs, uncaught errors and popups, for the pages of one context.

    Create it before the first page; open pages with :meth:`new_page`; after
    each load, :meth:`take` reads the counter and empties the lists.
    """

    context: BrowserContext
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    popups: list[str] = field(default_factory=list)
    _pages: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.context.add_init_script(_WATCH_SCRIPT)
        self.context.on("page", self._attach)

    def _attach(self, page: Page) -> None:
        if id(page) in self._pages:
            return
        self._pages.add(id(page))
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("popup", lambda popup: self.popups.append(popup.url))

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message!r} on {dialog.page.url if dialog.page else '?'}")
        dialog.dismiss()

    def new_page(self) -> Page:
        page = self.context.new_page()
        self._attach(page)
        return page

    def take(self, page: Page) -> Observed:
        """What happened on ``page`` since the last call; call it after the load has settled."""
        counter, calls = 0, []
        for frame in page.frames:  # a payload's frame has a window, and a counter, of its own
            try:
                count, made = frame.evaluate("() => [window.__xss || 0, window.__xssCalls || []]")
            except Exception as error:  # a frame that went away while being read
                calls.append(f"frame {frame.url!r} could not be read: {error}")
                continue
            counter += count
            calls += made if frame is page.main_frame else [f"{call} in frame {frame.url!r}" for call in made]
        observed = Observed(page.url, counter, calls, self.dialogs[:], self.errors[:], self.popups[:])
        self.dialogs.clear()
        self.errors.clear()
        self.popups.clear()
        return observed
