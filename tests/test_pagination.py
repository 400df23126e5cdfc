"""Pages of top-level comments: keyset links, newest first, permalinks onto later pages."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from forum_plugin.models import Comment, Status, Thread

from . import hostapp
from .conftest import comment_id_from, count_statements, post_comment, store_chain


def seed_thread(app, roots: int, replies_under: dict[int, int] | None = None) -> dict[int, int]:
    """``roots`` approved top-level comments "root 1".."root N", a minute apart,
    and a chain of replies under some; returns comment ids by root number."""
    replies_under = replies_under or {}
    start = datetime(2026, 1, 1)
    with app.app_context():
        session = hostapp.db.session
        thread = Thread(key="first-report", title="First field report", url="/posts/first-report")
        session.add(thread)
        session.flush()
        ids = {}
        for n in range(1, roots + 1):
            root = Comment(
                thread_id=thread.id,
                depth=0,
                status=Status.APPROVED.value,
                author_name=f"writer {n}",
                body_markdown=f"root {n}",
                body_html=f"<p>root {n}.</p>",
                created_at=start + timedelta(minutes=n),
            )
            session.add(root)
            session.flush()
            ids[n] = root.id
            chain = store_chain(
                session,
                thread.id,
                replies_under.get(n, 0),
                under=root,
                body=lambda depth, n=n: f"reply {n}.{depth}",
                start=root.created_at,
            )
            ids.update({(n, reply.depth): reply.id for reply in chain})
        thread.approved_count = len(ids)
        session.commit()
        return ids


def roots_on(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<p>root (\d+)\.</p>", html)]


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_pages_walk_forward_and_back(app):
    seed_thread(app, 120)
    client = app.test_client()
    first = client.get("/posts/first-report").text
    assert roots_on(first) == list(range(1, 51)) and link(first, "prev") is None
    second = client.get(link(first, "next")).text
    assert roots_on(second) == list(range(51, 101))
    third = client.get(link(second, "next")).text
    assert roots_on(third) == list(range(101, 121)) and link(third, "next") is None
    back = client.get(link(third, "prev")).text
    assert roots_on(back) == list(range(51, 101))
    assert roots_on(client.get(link(back, "prev")).text) == list(range(1, 51))


def test_newest_first(app):
    seed_thread(app, 120)
    client = app.test_client()
    first = client.get("/posts/first-report?forum_order=newest").text
    assert roots_on(first) == list(range(120, 70, -1))
    assert roots_on(client.get(link(first, "next")).text) == list(range(70, 20, -1))
    assert "show oldest first" in first


def test_a_permalink_to_a_deep_reply_opens_its_page(app):
    ids = seed_thread(app, 120, replies_under={75: 12})
    deep = ids[(75, 12)]
    client = app.test_client()
    page = client.get(f"/posts/first-report?forum_comment={deep}").text
    assert roots_on(page) == list(range(51, 101))
    assert f'id="comment-{deep}"' in page and 'data-depth="12"' in page
    assert f'href="/posts/first-report?forum_comment={deep}#comment-{deep}"' in page
    newest = client.get(f"/posts/first-report?forum_comment={ids[20]}&forum_order=newest").text
    assert roots_on(newest) == list(range(20, 0, -1))
    assert roots_on(client.get("/posts/first-report?forum_comment=999999").text) == list(range(1, 51))


def test_replying_from_a_later_page_stays_on_it(app):
    ids = seed_thread(app, 60)
    client = app.test_client()
    second = client.get(link(client.get("/posts/first-report").text, "next")).text
    reply_link = re.search(rf'href="([^"]+reply_to={ids[55]}[^"]*)"', second).group(1).replace("&amp;", "&")
    assert "forum_after=" in reply_link
    form_page = client.get(reply_link).text
    assert "Reply to writer 55" in form_page


def test_after_posting_the_reader_lands_on_the_page_holding_their_comment(app):
    seed_thread(app, 60)
    client = app.test_client()
    response = post_comment(client, body="my late addition")
    comment_id = comment_id_from(response)
    location = response.headers["Location"]
    assert location == f"/posts/first-report?forum_comment={comment_id}#comment-{comment_id}"
    page = client.get(location).text
    assert "my late addition" in page and "awaiting moderation" in page
    assert "my late addition" not in client.get("/posts/first-report").text


@pytest.mark.parametrize("roots, depth", [(10, 1), (1000, 1), (10, 8), (200, 8)])
def test_any_page_takes_three_statements(app, roots, depth):
    seed_thread(app, roots, replies_under={n: depth for n in range(1, roots + 1, 3)})
    from forum_plugin import threads

    with app.test_request_context():
        session = hostapp.db.session
        with count_statements(hostapp.db.engine) as first_page:
            thread = threads.get_thread(session, "first-report")
            page = threads.load_page(session, thread, max_depth=6, per_page=50)
        with count_statements(hostapp.db.engine) as later_page:
            thread = threads.get_thread(session, "first-report")
            later = threads.load_page(
                session, thread, max_depth=6, per_page=50, wanted=threads.PageRequest(after=page.next_cursor)
            )
    assert len(first_page) == 3 and len(later_page) == 3
    assert len([i for i in page.items if i.comment.depth == 0]) == min(roots, 50)
    later_roots = [i.comment for i in later.items if i.comment.depth == 0]
    assert len(later_roots) == (min(roots - 50, 50) if roots > 50 else min(roots, 50))
