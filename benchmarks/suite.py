"""The measures. Each returns table rows: (what, figure, goal, met?)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from dataclasses import dataclass

from flask import render_template
from flask_babel import Babel
from sqlalchemy import insert, select

from forum_plugin import markup, queue, threads
from forum_plugin.identity import current_reader
from forum_plugin.models import Comment, Status
from forum_plugin.paging import Cursor
from forum_plugin.views import public
from forum_plugin.views.section import comment_form
from tests.sql_statements import statements

from . import adversarial
from .measure import counting_calls, median_seconds, side_by_side
from .site import BODY, START, Seeder, create_site


@dataclass
class Row:
    what: str
    figure: str
    goal: str
    met: bool


def _get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.text


def thread_statements(app, db, seeder: Seeder) -> list[Row]:
    """1. Statements per thread page, whatever its size and depth."""
    rows = []
    client = app.test_client()
    for comments in (10, 1_000, 10_000):
        for depth in (1, 8):
            key = f"size-{comments}-depth-{depth}"
            seeder.thread(key, comments, depth)
            _get(client, f"/t/{key}")
            with statements(seeder.engine) as seen:
                _get(client, f"/t/{key}")
            rows.append(
                Row(
                    f"statements, thread page, {comments:,} comments at depth {depth}",
                    str(len(seen)),
                    "<= 3",
                    len(seen) <= 3,
                )
            )
    return rows


def flat_cost(app, db, seeder: Seeder) -> list[Row]:
    """2. Page 1 of a 10,000-comment thread against page 1 of a 100-comment one (same page shape)."""
    seeder.thread("flat-100", 100, 1)
    seeder.thread("flat-10000", 10_000, 1)
    client = app.test_client()
    small, big = side_by_side(lambda: _get(client, "/t/flat-100"), lambda: _get(client, "/t/flat-10000"), repeat=40)
    ratio = big / small
    return [
        Row("page 1 of a 100-comment thread", f"{small * 1000:.2f} ms", "", True),
        Row("page 1 of a 10,000-comment thread", f"{big * 1000:.2f} ms", "", True),
        Row("flat cost: 10,000 / 100", f"{ratio:.2f}x", "<= 1.2x", ratio <= 1.2),
    ]


def write_once(app, db, seeder: Seeder) -> list[Row]:
    """3. No Markdown or sanitizer work while serving pages."""
    client = app.test_client()
    sanitizer_calls = {"count": 0}
    originals = dict(markup.SANITIZERS)

    def counted(function):
        def wrapper(html):
            sanitizer_calls["count"] += 1
            return function(html)

        return wrapper

    markup.SANITIZERS.update({name: counted(fn) for name, fn in originals.items()})
    try:
        with counting_calls(markup, ["markdown_to_html", "render", "sanitize_imported"]) as calls:
            for key in ("flat-100", "flat-10000", "size-1000-depth-8"):
                _get(client, f"/t/{key}")
    finally:
        markup.SANITIZERS.update(originals)
    total = sum(calls.values()) + sanitizer_calls["count"]
    return [Row("Markdown + sanitizer calls while serving 3 thread pages", str(total), "0", total == 0)]


# The section's markup for the same rows, nested lists included, written
# as plainly as Jinja allows: literal text, no translations, no tree.
BARE_LOOP = """{% set ns = namespace(level=0, first=true) %}<ol class="forum-comments">{% for c in rows %}
{% set level = c.depth if c.depth < 6 else 6 %}
{% if ns.first %}{% elif level > ns.level %}<ol class="forum-replies">{% else %}</li>{% for _ in range(ns.level - level) %}</ol></li>{% endfor %}{% endif %}
{% set ns.level, ns.first = level, false %}
<li class="forum-item"><article id="comment-{{ c.id }}" class="forum-comment" data-depth="{{ c.depth }}"{% if c.parent_id %} data-parent="{{ c.parent_id }}"{% endif %}>
<header class="forum-meta"><span class="forum-author">{{ c.author_name }}</span>
<a class="forum-permalink" href="/t/page?forum_comment={{ c.id }}#comment-{{ c.id }}"><time datetime="{{ c.created_at.strftime('%Y-%m-%dT%H:%M:%SZ') }}">{{ c.created_at.day }} {{ c.created_at.strftime('%b %Y, %H:%M') }} UTC</time></a></header>
<div class="forum-body">{{ c.body_html|safe }}</div>
<footer class="forum-comment-actions"><a class="forum-reply-link" href="/t/page?reply_to={{ c.id }}#comment-form" data-forum-reply="{{ c.id }}" data-forum-author="{{ c.author_name }}">Reply<span class="forum-visually-hidden"> to {{ c.author_name }}</span></a>
<details class="forum-report"><summary>Report<span class="forum-visually-hidden"> comment by {{ c.author_name }}</span></summary>
<form method="post" action="/forum/comments/{{ c.id }}/report"><input type="hidden" name="csrf_token" value="{{ token }}">
<label class="forum-report-field">Why should a moderator look at this?
<select name="reason"><option value="spam">Spam or advertising</option><option value="abuse">Abusive or hateful</option><option value="private">Reveals someone's personal details</option><option value="other">Something else</option></select></label>
<label class="forum-report-field">Details (optional)
<input name="details" type="text" maxlength="150"></label>
<button type="submit" class="forum-button forum-button-quiet">Send report</button></form></details></footer>
</article>{% endfor %}</li>{% for _ in range(ns.level) %}</ol></li>{% endfor %}</ol>"""


def _list_markup(html: str) -> tuple[int, ...]:
    """How many comments, reply lists and list ends a page's markup has."""
    return tuple(html.count(tag) for tag in ('<article id="comment-', '<ol class="forum-replies">', "</ol>", "</li>"))


def template_overhead(app, db, seeder: Seeder) -> list[Row]:
    """4. A whole page of 1,000 comments against a bare loop over the same prefetched rows."""
    seeder.thread_with_wide_roots("page-of-1000", roots=50, replies_each=19)
    client = app.test_client()
    with app.test_request_context():
        thread = threads.get_thread(db.session, "page-of-1000")
        page = threads.load_page(db.session, thread, max_depth=6, per_page=50)
        prefetched = [item.comment for item in page.items]
        assert len(prefetched) == 1000

        def bare():
            return render_template("bare_loop.html", rows=prefetched, token="x" * 90)

        assert _list_markup(bare()) == _list_markup(_get(client, "/t/page-of-1000")), "not the same markup"

        forum, loop = side_by_side(lambda: _get(client, "/t/page-of-1000"), bare, repeat=15)
        # The same page for a host with Flask-Babel, in Thai: translated
        # strings and a thousand dates in the reader's locale.
        Babel(app, locale_selector=lambda: "th")
        try:
            assert "ความคิดเห็น" in _get(client, "/t/page-of-1000")
            thai, thai_loop = side_by_side(lambda: _get(client, "/t/page-of-1000"), bare, repeat=15)
        finally:
            del app.extensions["babel"]
    ratio = forum / loop
    return [
        Row("full page of 1,000 comments (request, queries, tree, template)", f"{forum * 1000:.1f} ms", "", True),
        Row("bare Jinja loop over the same prefetched rows", f"{loop * 1000:.1f} ms", "", True),
        Row("template overhead: forum / bare loop", f"{ratio:.2f}x", "<= 2x", ratio <= 2),
        Row(
            "the same page in Thai through Flask-Babel / bare loop",
            f"{thai * 1000:.1f} ms ({thai / thai_loop:.2f}x)",
            "",
            True,
        ),
    ]


def moderation_queue(app, db, seeder: Seeder) -> list[Row]:
    """5. Dashboard pages with 1,000 and with 100,000 pending comments."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "moderator"

    def dashboard(path):
        with statements(seeder.engine) as seen:
            _get(client, path)
        return len(seen)

    seeder.pending("queue-1", 1_000, authors=300)
    small_first = dashboard("/forum/moderation/")
    small = median_seconds(lambda: _get(client, "/forum/moderation/"), repeat=15)
    for n in range(99):
        seeder.pending(f"queue-{n + 2}", 1_000, authors=300, offset=(n + 1) * 1_000)
    with app.app_context():
        boundary = db.session.execute(
            select(Comment.created_at, Comment.id)
            .where(Comment.status == Status.PENDING)
            .order_by(Comment.created_at, Comment.id)
            .offset(99 * queue.PAGE_SIZE - 1)
            .limit(1)
        ).one()
    page_100 = f"/forum/moderation/?after={Cursor.of(boundary).encode()}"
    big_first_statements = dashboard("/forum/moderation/")
    big_100_statements = dashboard(page_100)
    big_first, big_100 = side_by_side(
        lambda: _get(client, "/forum/moderation/"), lambda: _get(client, page_100), repeat=15
    )
    small_again = median_seconds(lambda: _get(client, "/forum/moderation/?thread=queue-1"), repeat=15)
    worst = max(small_first, big_first_statements, big_100_statements)
    return [
        Row(
            "statements, dashboard page 1 and 100 (1,000 / 100,000 pending)",
            f"{small_first} / {big_first_statements}, {big_100_statements}",
            "<= 3",
            worst <= 3,
        ),
        Row("dashboard page 1, 1,000 pending", f"{small * 1000:.2f} ms", "", True),
        Row(
            "dashboard page 1, 100,000 pending",
            f"{big_first * 1000:.2f} ms ({big_first / small:.2f}x)",
            "<= 2x",
            big_first / small <= 2,
        ),
        Row(
            "dashboard page 100, 100,000 pending",
            f"{big_100 * 1000:.2f} ms ({big_100 / small:.2f}x)",
            "<= 2x",
            big_100 / small <= 2,
        ),
        Row("dashboard page 1 of one 1,000-comment thread among 100,000", f"{small_again * 1000:.2f} ms", "", True),
    ]


def accepting(app, db, seeder: Seeder) -> list[Row]:
    """6. Posting a comment through the whole pipeline, with each sanitizer,
    against a bare INSERT + COMMIT."""
    seeder.thread("accepting", 10, 1)
    count = 300
    n = {"post": 0, "bare": 0}
    default = app.extensions["forum"]
    with_sanitizer = {
        name: dataclasses.replace(default, settings=dataclasses.replace(default.settings, sanitizer=name))
        for name in ("bleach", "nh3")
    }

    def post(sanitizer: str):
        def run():
            # What a POST does between parsing the request and answering it.
            app.extensions["forum"] = with_sanitizer[sanitizer]
            n["post"] += 1
            data = {"author_name": "Bench Reader", "body": f"{BODY}\n\nnumber {n['post']}"}
            address = f"10.1.{n['post'] // 250}.{n['post'] % 250}"
            with app.test_request_context("/", method="POST", data=data, environ_base={"REMOTE_ADDR": address}):
                form = comment_form(from_request=True)
                assert form.validate(), form.errors
                thread = threads.get_thread(db.session, "accepting")
                posted = public.accept(thread, form, current_reader())
                assert posted.comment.status == "pending"

        return run

    engine = seeder.engine

    def bare():
        n["bare"] += 1
        with engine.begin() as connection:
            connection.execute(
                insert(Comment).values(
                    thread_id=1,
                    depth=0,
                    status="pending",
                    moderation_reason="",
                    author_name="Bench Reader",
                    body_markdown=BODY,
                    body_html=BODY,
                    created_at=START,
                    updated_at=START,
                    notify=False,
                    flag_count=0,
                )
            )

    try:
        bleach_post, nh3_post, inserting = side_by_side(post("bleach"), post("nh3"), bare, repeat=count)
    finally:
        app.extensions["forum"] = default
    bodies = [f"{BODY}\n\n**variant {i}** `code {i}` and <b>raw {i}</b>" for i in range(300)]
    with_bleach = median_seconds(lambda: [markup.render(b, "bleach") for b in bodies], repeat=5) / len(bodies)
    with_nh3 = median_seconds(lambda: [markup.render(b, "nh3") for b in bodies], repeat=5) / len(bodies)
    share, nh3_share = inserting / bleach_post, inserting / nh3_post
    # A floor no pipeline can go under: validating the form, Markdown and
    # bleach, and one insert + commit, with no policy, counts or audit row.
    data = {"author_name": "Bench Reader", "body": BODY}
    with app.test_request_context("/", method="POST", data=data):
        validating = median_seconds(lambda: comment_form(from_request=True).validate(), repeat=count)
    floor = validating + with_bleach + inserting
    return [
        Row(
            "accept a comment (validate form, Markdown, bleach, policy, insert, commit)",
            f"{1 / bleach_post:,.0f}/s",
            "",
            True,
        ),
        Row('the same with FORUM_SANITIZER = "nh3"', f"{1 / nh3_post:,.0f}/s", "", True),
        Row("bare INSERT + COMMIT, same engine", f"{1 / inserting:,.0f}/s", "", True),
        Row(
            "accepting throughput / bare insert throughput (bleach, the default)",
            f"{share:.0%}",
            ">= 50%",
            share >= 0.5,
        ),
        Row("accepting throughput / bare insert throughput (nh3)", f"{nh3_share:.0%}", "", True),
        Row(
            "Markdown + bleach per comment",
            f"{with_bleach * 1e6:.0f} µs ({with_bleach / inserting:.2f}x a bare insert)",
            "",
            True,
        ),
        Row("Markdown + nh3 per comment", f"{with_nh3 * 1e6:.0f} µs ({with_bleach / with_nh3:.1f}x faster)", "", True),
        Row("comment form validation", f"{validating * 1e6:.0f} µs", "", True),
        Row(
            "best possible share with bleach: bare / (validation + Markdown + bleach + bare)",
            f"{inserting / floor:.0%}",
            "",
            True,
        ),
    ]


def adversarial_markup(app, db, seeder: Seeder) -> list[Row]:
    """7. The most costly body of the adversarial corpus at the longest a
    comment may be, with each sanitizer, measured side by side, against the
    goal of under 50 ms of markup work per comment."""
    length = app.extensions["forum"].settings.max_length
    results = adversarial.timings(length)
    goal = f"< {adversarial.BUDGET_SECONDS * 1000:.0f} ms"
    rows = []
    for sanitizer in sorted(markup.SANITIZERS):
        seconds, name = adversarial.worst(results, sanitizer)
        over = sum(figures[sanitizer] >= adversarial.BUDGET_SECONDS for figures in results.values())
        rows.append(
            Row(
                f"worst markup, {len(results)} adversarial {length:,}-char bodies, {sanitizer}: {name}",
                f"{seconds * 1000:.1f} ms",
                goal,
                seconds < adversarial.BUDGET_SECONDS,
            )
        )
        rows.append(Row(f"adversarial bodies not under {goal[2:]}, {sanitizer}", f"{over} of {len(results)}", "", True))
    return rows


def memory(database_url: str) -> list[Row]:
    """8. Peak memory while paging through a whole 10,000-comment thread, in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.paging_memory", database_url],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    first, whole, pages = result.stdout.split()
    first_mib, whole_mib = float(first), float(whole)
    ratio = whole_mib / first_mib
    return [
        Row("peak RSS after page 1 of a 10,000-comment thread", f"{first_mib:.1f} MiB", "", True),
        Row(f"peak RSS after all {pages} pages", f"{whole_mib:.1f} MiB ({ratio:.2f}x)", "<= 1.2x", ratio <= 1.2),
    ]


MEASURES = (
    thread_statements,
    flat_cost,
    write_once,
    template_overhead,
    moderation_queue,
    accepting,
    adversarial_markup,
)


def run(database_url: str) -> tuple[list[Row], float]:
    started = time.perf_counter()
    app, db = create_site(database_url, templates={"bare_loop.html": BARE_LOOP})
    seeder = Seeder(app, db)
    rows: list[Row] = []
    try:
        for measure in MEASURES:
            rows += measure(app, db, seeder)
    finally:
        from .site import drop_tables

        drop_tables(app, db)
    rows += memory(database_url)
    return rows, time.perf_counter() - started
