"""Fifty readers posting into one thread at the same moment, through a real server.

What this proves, on whichever database the suite runs on (an SQLite file in
WAL mode with a busy timeout by default; PostgreSQL or MariaDB/MySQL through
FORUM_TEST_DATABASE_URL):

- a threaded HTTP server on 127.0.0.1, 50 clients with their own cookies and
  CSRF tokens, released together by a barrier, each posting one comment,
  while 10 more clients keep reading the thread's page: no request gets a
  5xx, no page says "database is locked" or "Internal Server Error", the
  server logs no error, every post is answered 303;
- every accepted comment is stored exactly once (as many rows as 303s, each
  body once, each redirect naming its own comment);
- the counts kept on the thread agree with a fresh count of its comments per
  status, and the audit log holds exactly one "post" event per comment.

Only the standard library speaks HTTP here (``urllib.request`` with a cookie
jar, redirects not followed). Every socket call has a timeout, every client
thread is joined against one deadline (TEST_BUDGET) and the server stops in a
``finally``, so the test ends by itself whether it passes or not: a passing
run takes a few seconds on each database.
"""

from __future__ import annotations

import http.cookiejar
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from forum_plugin.models import Comment, ModerationEvent, Status, Thread

from . import hostapp
from .browser import live_server
from .conftest import form_fields

POSTERS = 50
READERS = 10
SLUG = "first-report"
SOCKET_TIMEOUT = 15.0  # seconds, for every connect, send and receive
TEST_BUDGET = 40.0  # seconds for all clients together, from their start to the last join
FAILURE_TEXTS = ("database is locked", "Internal Server Error")


def body_of(n: int) -> str:
    return f"client {n:02d}: the water reached the school at dawn. ความคิดเห็นที่ {n} จากผู้อ่าน ขอบคุณครับ"


class _StopAtRedirect(urllib.request.HTTPRedirectHandler):
    """Hand a redirect back as it came (an HTTPError with its status) instead of following it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Reply:
    method: str
    url: str
    status: int | None = None
    location: str | None = None
    body: str = ""
    error: str | None = None  # a socket or protocol error: no answer at all
    started: float = 0.0
    ended: float = 0.0


def make_client() -> urllib.request.OpenerDirector:
    """One browser-like client: its own cookie jar, redirects left unfollowed."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _StopAtRedirect()
    )


def fetch(client: urllib.request.OpenerDirector, url: str, form: dict[str, str] | None = None) -> Reply:
    """One request; a status of 3xx, 4xx or 5xx is an answer, not an exception."""
    reply = Reply("POST" if form is not None else "GET", url, started=time.monotonic())
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        try:
            response = client.open(url, data=data, timeout=SOCKET_TIMEOUT)
        except urllib.error.HTTPError as answered:
            response = answered
        with response:
            reply.status = response.status
            reply.location = response.headers.get("Location")
            reply.body = response.read().decode("utf-8", "replace")
    except Exception as error:  # timeouts, refused or reset connections
        reply.error = f"{type(error).__name__}: {error}"
    reply.ended = time.monotonic()
    return reply


@dataclass
class Outcome:
    """What every client saw; filled from many threads, so guarded by a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    pages: list[Reply] = field(default_factory=list)  # posters' GETs
    posts: dict[int, Reply] = field(default_factory=dict)  # poster number -> its POST
    reads: list[Reply] = field(default_factory=list)  # readers' GETs
    problems: list[str] = field(default_factory=list)  # anything a client could not do

    def add(self, where: list, reply: Reply) -> None:
        with self.lock:
            where.append(reply)

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)


class ErrorLog(logging.Handler):
    """Keeps the server's error records, tracebacks included."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s: %(message)s"))
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


def poster(n: int, base: str, barrier: threading.Barrier, outcome: Outcome) -> None:
    client = make_client()
    page = fetch(client, f"{base}/posts/{SLUG}")
    outcome.add(outcome.pages, page)
    fields = None
    if page.status == 200:
        try:
            fields = form_fields(page.body)
        except AssertionError:
            outcome.problem(f"client {n}: the page had no comment form ticket")
    else:
        outcome.problem(f"client {n}: GET answered {page.status} {page.error or ''}")
    try:
        barrier.wait()  # everyone posts together, or nobody waits forever
    except threading.BrokenBarrierError:
        outcome.problem(f"client {n}: the barrier broke (another client never arrived)")
        return
    if fields is None:
        return
    form = {**fields, "author_name": f"ผู้อ่าน {n}", "body": body_of(n)}
    reply = fetch(client, f"{base}/forum/threads/{SLUG}/comments", form)
    with outcome.lock:
        outcome.posts[n] = reply


def reader(base: str, done: threading.Event, outcome: Outcome) -> None:
    client = make_client()
    while True:
        outcome.add(outcome.reads, fetch(client, f"{base}/posts/{SLUG}"))
        if done.is_set():
            return


def server_errors(records: list[str]) -> str:
    """The server's errors, grouped by what went wrong, with the first traceback in full."""
    kinds = Counter(
        next((line for line in reversed(r.splitlines()) if "Error" in line), r.splitlines()[-1]) for r in records
    )
    grouped = "\n".join(f"  {count} x {kind}" for kind, count in kinds.most_common())
    return f"the server logged {len(records)} errors:\n{grouped}\nfirst of them:\n{records[0]}"


def described(reply: Reply) -> str:
    head = reply.error or f"{reply.status} location={reply.location!r}"
    return f"{reply.method} {reply.url} -> {head}" + (f"\n{reply.body[:1500]}" if reply.body else "")


def listing(title: str, items: list[str], shown: int = 5) -> str:
    more = f"\n... and {len(items) - shown} more" if len(items) > shown else ""
    return f"{title} ({len(items)}):\n" + "\n".join(items[:shown]) + more


@pytest.mark.slow  # sixty clients against a real server, seconds on any database
def test_fifty_clients_post_into_one_thread_at_once(make_app):
    app = make_app()
    errors = ErrorLog()
    watched = [app.logger, logging.getLogger("werkzeug")]
    for logger in watched:
        logger.addHandler(errors)

    outcome = Outcome()
    done = threading.Event()
    try:
        with live_server(app) as server:
            barrier = threading.Barrier(POSTERS, timeout=SOCKET_TIMEOUT + 5)
            posters = [
                threading.Thread(target=poster, args=(n, server.url, barrier, outcome), name=f"poster-{n}", daemon=True)
                for n in range(POSTERS)
            ]
            readers = [
                threading.Thread(target=reader, args=(server.url, done, outcome), name=f"reader-{n}", daemon=True)
                for n in range(READERS)
            ]
            started = time.monotonic()
            deadline = started + TEST_BUDGET
            try:
                for thread in readers + posters:
                    thread.start()
                for thread in posters:
                    thread.join(timeout=max(0.0, deadline - time.monotonic()))
            finally:
                done.set()
                barrier.abort()  # frees any poster still waiting, should one have died early
                for thread in readers + posters:
                    thread.join(timeout=max(0.0, deadline - time.monotonic()))
            elapsed = time.monotonic() - started
            stuck = [thread.name for thread in readers + posters if thread.is_alive()]
    finally:
        for logger in watched:
            logger.removeHandler(errors)

    # What the clients saw, copied once: a thread that overran the budget cannot change it any more.
    with outcome.lock:
        pages, reads, problems = list(outcome.pages), list(outcome.reads), list(outcome.problems)
        posted = dict(sorted(outcome.posts.items()))
    logged = list(errors.records)
    posts = list(posted.values())
    every_reply = pages + posts + reads
    first = min((p.started for p in posts), default=0.0)
    last = max((p.ended for p in posts), default=0.0)
    if posts:
        print(
            f"\n{app.config['SQLALCHEMY_DATABASE_URI'].split(':', 1)[0]}: {len(posts)} posts in "
            f"{last - first:.2f} s, {len(reads)} reads alongside, {elapsed:.2f} s in all"
        )

    # The run itself: it ended in time, the server logged no error (its
    # tracebacks say the most, so they come first), every client did what it came to do.
    statuses = (
        f"POST statuses {dict(Counter(r.status for r in posts))}, "
        f"GET statuses {dict(Counter(r.status for r in pages + reads))}"
    )
    assert not stuck, f"threads still running after {TEST_BUDGET} s: {stuck}; {statuses}"
    assert not logged, f"{statuses}\n{server_errors(logged)}"
    assert not problems, listing(statuses, problems)
    unanswered = [described(r) for r in every_reply if r.status is None]
    assert not unanswered, listing("requests without an answer", unanswered)
    failed = [described(r) for r in every_reply if r.status >= 500]
    assert not failed, listing("server errors", failed)
    telling = [described(r) for r in every_reply if any(text in r.body for text in FAILURE_TEXTS)]
    assert not telling, listing("pages reporting a failure", telling)
    assert len(posts) == POSTERS, statuses
    not_redirected = [f"client {n}: {described(r)}" for n, r in posted.items() if r.status != 303]
    assert not not_redirected, listing("posts not answered 303", not_redirected)
    assert all(r.status == 200 for r in pages + reads), statuses
    # Reads really happened while the posts were being written.
    assert len(reads) >= READERS
    assert any(r.started < last and r.ended > first for r in reads), "no read overlapped the posting window"

    # Each 303 names its own comment, and no two name the same one.
    redirected_to = {n: int(r.location.rsplit("#comment-", 1)[1]) for n, r in posted.items()}
    assert len(set(redirected_to.values())) == POSTERS, redirected_to

    with app.app_context():
        session = hostapp.db.session
        thread = session.scalars(select(Thread).where(Thread.key == SLUG)).one()
        stored = session.execute(select(Comment.id, Comment.body_markdown, Comment.thread_id, Comment.status)).all()
        assert len(stored) == sum(r.status == 303 for r in posts) == POSTERS
        assert {row.thread_id for row in stored} == {thread.id}
        bodies = Counter(row.body_markdown for row in stored)
        assert bodies == Counter(body_of(n) for n in range(POSTERS)), "comments lost, doubled or altered"
        assert {row.body_markdown: row.id for row in stored} == {body_of(n): i for n, i in redirected_to.items()}

        # The counts kept on the thread, against a count made now.
        counted = dict(
            session.execute(
                select(Comment.status, func.count()).where(Comment.thread_id == thread.id).group_by(Comment.status)
            ).all()
        )
        kept = {status.value: getattr(thread, Thread.count_column(status.value)) for status in Status}
        recounted = {status.value: counted.get(status.value, 0) for status in Status}
        assert kept == recounted, f"the thread's kept counts {kept} disagree with a recount {recounted}"
        assert kept["pending"] + kept["approved"] == POSTERS

        # The audit log: one "post" event for every comment, none for anything else.
        post_events = Counter(
            session.scalars(select(ModerationEvent.comment_id).where(ModerationEvent.action == "post")).all()
        )
        assert post_events == Counter({row.id: 1 for row in stored})
