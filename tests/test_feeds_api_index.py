"""Atom feeds, the JSON API and the forum index: approved comments only, no emails."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest

from forum_plugin.models import Comment, Status, Thread, utcnow

from . import hostapp
from .conftest import (
    by_moderator,
    count_statements,
    csrf_token,
    log_in,
    seed_comment,
    seed_moderation,
    store_chain,
)

ATOM = "{http://www.w3.org/2005/Atom}"
APPROVED_EMAIL = "approved.writer@example.org"
PENDING_EMAIL = "pending.writer@example.org"


def seed(
    app,
    key: str,
    bodies: list[str],
    *,
    title: str | None = None,
    start: datetime | None = None,
    status: Status = Status.APPROVED,
    url: str | None = None,
) -> list[int]:
    """Top-level comments on thread ``key`` (created if new), a minute apart
    from ``start``; their ids."""
    start = start or utcnow() - timedelta(hours=1)
    with app.app_context():
        session = hostapp.db.session
        thread = session.query(Thread).filter_by(key=key).one_or_none()
        if thread is None:
            thread = Thread(key=key, title=title or key, url=url or f"/posts/{key}")
            session.add(thread)
            session.flush()
        ids = []
        for n, body in enumerate(bodies):
            comment = Comment(
                thread_id=thread.id,
                depth=0,
                status=status.value,
                author_name=f"writer {n}",
                author_email=f"seeded{n}@example.org",
                body_markdown=body,
                body_html=f"<p>{body}</p>",
                created_at=start + timedelta(minutes=n),
            )
            session.add(comment)
            session.flush()
            ids.append(comment.id)
        if status == Status.APPROVED:
            thread.approved_count += len(bodies)
        session.commit()
        return ids


def act(client, comment_id: int, action: str):
    token = csrf_token(client.get("/forum/moderation/").text)
    return client.post(f"/forum/moderation/comments/{comment_id}/{action}", data={"csrf_token": token})


@pytest.fixture
def conversation(app, users):
    """On "first-report": an approved comment and a pending one, both with an
    email, and a moderator's three-deep chain with a pending reply at the end;
    on "second-report": one approved comment."""
    moderator = app.test_client()
    log_in(moderator, users["moderator"])
    mod = by_moderator(users)
    approved = seed_comment(app, "Bring *warm* socks.", author_name="Dara", author_email=APPROVED_EMAIL)
    seed_moderation(app, approved, "approve", users)
    pending = seed_comment(app, "Secret pending words.", author_name="Pim", author_email=PENDING_EMAIL)
    root = seed_comment(app, "Chain root", **mod)
    middle = seed_comment(app, "Chain middle", parent_id=root, **mod)
    leaf = seed_comment(app, "Chain leaf", parent_id=middle, **mod)
    held_reply = seed_comment(app, "Held reply words.", parent_id=leaf)
    other = seed_comment(app, "Over on the second report", key="second-report", **mod)
    return {
        "approved": approved,
        "pending": pending,
        "root": root,
        "middle": middle,
        "leaf": leaf,
        "held_reply": held_reply,
        "other": other,
        "moderator": moderator,
    }


def atom(response) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    return feed


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def rfc3339(text: str) -> datetime:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", text), text
    return datetime.fromisoformat(text.removesuffix("Z"))


def check_atom(feed: ET.Element) -> None:
    """The elements RFC 4287 requires of a feed and of each entry."""
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text
    rfc3339(feed.find(f"{ATOM}updated").text)
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"].startswith("http://localhost/forum/") and links["self"].endswith("feed.atom")
    assert links["alternate"].startswith("http://localhost/")
    ids = [entry.find(f"{ATOM}id").text for entry in entries(feed)]
    assert len(set(ids)) == len(ids)
    for entry in entries(feed):
        assert entry.find(f"{ATOM}id").text.startswith("tag:localhost,2026:forum-comment-")
        assert " on " in entry.find(f"{ATOM}title").text
        assert entry.find(f"{ATOM}author/{ATOM}name").text
        assert entry.find(f"{ATOM}author/{ATOM}email") is None
        assert rfc3339(entry.find(f"{ATOM}published").text) <= rfc3339(entry.find(f"{ATOM}updated").text)
        assert entry.find(f"{ATOM}link").get("href").startswith("http://localhost/")
        assert entry.find(f"{ATOM}content").get("type") == "html"


def test_a_threads_feed_is_atom_with_its_approved_comments(app, conversation):
    feed = atom(app.test_client().get("/forum/threads/first-report/feed.atom"))
    check_atom(feed)
    assert feed.find(f"{ATOM}title").text == "Comments on First field report"
    found = entries(feed)
    # Newest first: the chain, then the approved reader's comment.
    wanted = [conversation[name] for name in ("leaf", "middle", "root", "approved")]
    assert [e.find(f"{ATOM}id").text for e in found] == [f"tag:localhost,2026:forum-comment-{i}" for i in wanted]
    dara = found[-1]
    assert dara.find(f"{ATOM}title").text == "Dara on First field report"
    assert dara.find(f"{ATOM}content").text == "<p>Bring <em>warm</em> socks.</p>"
    link = f"http://localhost/posts/first-report?forum_comment={wanted[-1]}#comment-{wanted[-1]}"
    assert dara.find(f"{ATOM}link").get("href") == link


def test_feeds_api_and_index_never_show_emails_or_unapproved_comments(app, conversation):
    client = app.test_client()
    outputs = {
        "thread feed": client.get("/forum/threads/first-report/feed.atom"),
        "site feed": client.get("/forum/feed.atom"),
        "api": client.get("/forum/api/threads/first-report/comments"),
        "index": client.get("/forum/"),
    }
    for name, response in outputs.items():
        assert response.status_code == 200, name
        text = response.data.decode()
        for secret in (
            APPROVED_EMAIL,
            PENDING_EMAIL,
            "mod@example.org",
            "Secret pending words",
            "Held reply words",
            "Pim",
            f"comment-{conversation['pending']}",
            f"comment-{conversation['held_reply']}",
        ):
            assert secret not in text, (name, secret)
        assert "Bring" in text and "Dara" in text, name


def test_the_site_feed_spans_threads(app, conversation):
    feed = atom(app.test_client().get("/forum/feed.atom"))
    check_atom(feed)
    titles = [entry.find(f"{ATOM}title").text for entry in entries(feed)]
    assert titles[0] == "mod on Second field report"
    assert "Dara on First field report" in titles and len(titles) == 5
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": "http://localhost/forum/feed.atom", "alternate": "http://localhost/forum/"}


def test_a_feed_holds_the_50_newest_and_survives_odd_titles_and_characters(app):
    seed(app, "busy", [f"note {n}" for n in range(60)], title='Fish & <chips> "tonight"')
    # A control character XML cannot carry, which would make readers refuse the feed.
    seed(app, "busy", ["bell\x07 rings"], start=utcnow())
    feed = atom(app.test_client().get("/forum/threads/busy/feed.atom"))
    check_atom(feed)
    assert feed.find(f"{ATOM}title").text == 'Comments on Fish & <chips> "tonight"'
    found = entries(feed)
    assert len(found) == 50
    assert found[0].find(f"{ATOM}content").text == "<p>bell rings</p>"
    assert [e.find(f"{ATOM}content").text for e in found[1:3]] == ["<p>note 59</p>", "<p>note 58</p>"]
    assert found[1].find(f"{ATOM}title").text == 'writer 59 on Fish & <chips> "tonight"'


def test_a_key_with_slashes_has_its_feed_api_and_page(app):
    [comment] = seed(app, "2026/05/notes", ["dated notes"], url="/2026/05/notes")
    client = app.test_client()
    feed = atom(client.get("/forum/threads/2026/05/notes/feed.atom"))
    [entry] = entries(feed)
    assert (
        entry.find(f"{ATOM}link").get("href")
        == f"http://localhost/2026/05/notes?forum_comment={comment}#comment-{comment}"
    )
    api = client.get("/forum/api/threads/2026/05/notes/comments").get_json()
    assert api["thread"]["key"] == "2026/05/notes" and [c["id"] for c in api["comments"]] == [comment]
    assert "dated notes" in client.get("/forum/threads/2026/05/notes").text
    assert client.get("/forum/threads/2026/05/other/feed.atom").status_code == 404


def test_the_api_gives_the_approved_tree(app, conversation):
    response = app.test_client().get("/forum/api/threads/first-report/comments")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["thread"] == {
        "key": "first-report",
        "title": "First field report",
        "url": "http://localhost/posts/first-report",
        "approved_count": 4,
    }
    assert data["next"] is None
    assert [c["id"] for c in data["comments"]] == [conversation["approved"], conversation["root"]]
    root = data["comments"][1]
    middle = root["replies"][0]
    leaf = middle["replies"][0]
    assert [(n["id"], n["parent_id"], n["depth"]) for n in (root, middle, leaf)] == [
        (conversation["root"], None, 0),
        (conversation["middle"], conversation["root"], 1),
        (conversation["leaf"], conversation["middle"], 2),
    ]
    assert len(root["replies"]) == 1 and len(middle["replies"]) == 1
    assert leaf["replies"] == []  # the held reply is not published
    assert set(leaf) == {"id", "parent_id", "depth", "author", "created_at", "html", "permalink", "replies"}
    assert leaf["html"] == "<p>Chain leaf</p>" and leaf["author"] == "mod"
    assert leaf["permalink"] == f"http://localhost/posts/first-report?forum_comment={leaf['id']}#comment-{leaf['id']}"
    rfc3339(leaf["created_at"])


def test_a_removed_comment_with_replies_is_a_bare_placeholder(app, conversation):
    act(conversation["moderator"], conversation["root"], "delete")
    data = app.test_client().get("/forum/api/threads/first-report/comments").get_json()
    placeholder = data["comments"][1]
    assert placeholder["id"] == conversation["root"] and placeholder["removed"] is True
    assert "author" not in placeholder and "html" not in placeholder
    assert placeholder["replies"][0]["id"] == conversation["middle"]
    assert "Chain root" not in json.dumps(data)


def test_the_api_answers_for_a_reply_chain_2000_deep(app):
    [root] = seed(app, "deep", ["top"])
    with app.app_context():
        session = hostapp.db.session
        top = session.get(Comment, root)
        store_chain(session, top.thread_id, 2000, under=top, body=lambda depth: f"r{depth}", start=top.created_at)
        session.commit()
    response = app.test_client().get("/forum/api/threads/deep/comments")
    assert response.status_code == 200
    # Nested as the page shows it: indented to FORUM_MAX_DEPTH (6), deeper
    # replies listed at the last level, each with its true parent and depth.
    node = json.loads(response.data)["comments"][0]
    for level in range(1, 6):
        [node] = node["replies"]
        assert node["depth"] == level
    deepest = node["replies"]
    assert [reply["depth"] for reply in deepest] == list(range(6, 2001))
    assert all(reply["replies"] == [] for reply in deepest)
    assert deepest[-1]["html"] == "<p>r2000</p>" and deepest[-1]["in_reply_to"] == "replier"
    assert [reply["parent_id"] for reply in deepest[1:]] == [reply["id"] for reply in deepest[:-1]]


def test_api_pages_follow_next(app):
    ids = seed(app, "long", [f"n{n}" for n in range(120)])
    client = app.test_client()
    seen, url, pages = [], "/forum/api/threads/long/comments", 0
    while url:
        data = client.get(url).get_json()
        seen += [c["id"] for c in data["comments"]]
        pages += 1
        url = f"/forum/api/threads/long/comments?after={data['next']}" if data["next"] else None
    assert pages == 3 and seen == ids
    bad = client.get("/forum/api/threads/long/comments?after=nonsense")
    assert bad.status_code == 400 and "error" in bad.get_json()


def test_counts_for_50_keys_take_one_statement(app):
    seed(app, "key-3", ["a", "b", "c"])
    seed(app, "key-7", ["a"])
    seed(app, "key-9", ["held"], status=Status.PENDING)
    keys = [f"key-{n}" for n in range(50)]
    client = app.test_client()
    with app.app_context(), count_statements(hostapp.db.engine) as statements:
        response = client.get("/forum/api/counts", query_string=[("key", key) for key in keys])
    assert response.status_code == 200 and len(statements) == 1
    counts = response.get_json()["counts"]
    assert list(counts) == keys
    assert (counts["key-3"], counts["key-7"], counts["key-9"], counts["key-0"]) == (3, 1, 0, 0)


def test_api_errors_are_json(app):
    client = app.test_client()
    unknown = client.get("/forum/api/threads/nobody-here/comments")
    assert unknown.status_code == 404 and unknown.mimetype == "application/json"
    assert unknown.get_json()["error"]
    for query in ("", "?" + "&".join(f"key=k{n}" for n in range(501))):
        response = client.get(f"/forum/api/counts{query}")
        assert response.status_code == 400 and response.mimetype == "application/json"
        assert response.get_json()["error"]


def section(html: str, heading: str) -> str:
    start = html.index(f">{heading}</h2>")
    end = html.find("</section>", start)
    return html[start:end]


def test_the_index_lists_latest_comments_in_place_and_the_weeks_busiest_threads(app):
    now = utcnow()
    # Busiest ever, but last week's news: not among this week's most active.
    seed(app, "old-news", [f"old {n}" for n in range(9)], title="Old news", start=now - timedelta(days=10))
    seed(app, "quiet", ["only one"], title="Quiet thread", start=now - timedelta(days=2))
    seed(app, "quiet", [f"held {n}" for n in range(5)], start=now - timedelta(days=1), status=Status.PENDING)
    seed(app, "lively", ["a", "b"], title="Lively thread", start=now - timedelta(days=3))
    long_body = "<strong>Tides</strong> " + "rise and fall " * 40
    [newest] = seed(app, "lively", [long_body], start=now - timedelta(minutes=5))
    client = app.test_client()
    with app.app_context(), count_statements(hostapp.db.engine) as statements:
        html = client.get("/forum/").text
    assert len(statements) == 2
    assert "<h1" in html and 'href="/forum/feed.atom"' in html

    latest = section(html, "Latest comments")
    permalinks = re.findall(r'class="forum-permalink" href="([^"]+)"', latest)
    assert permalinks[0] == f"/posts/lively?forum_comment={newest}#comment-{newest}"
    assert len(permalinks) == 13  # every approved comment, newest first; no held one
    assert "held 0" not in html and "&lt;strong&gt;" not in latest and "<strong>Tides" not in latest
    excerpt = re.search(r'<p class="forum-excerpt">([^<]*)</p>', latest).group(1)
    assert excerpt.startswith("Tides rise and fall") and excerpt.endswith("…") and len(excerpt) <= 201
    assert '<time datetime="' in latest and ">Lively thread</a>" in latest

    active = section(html, "Most active this week")
    assert re.findall(r'<a href="([^"]+)">', active) == ["/posts/lively", "/posts/quiet"]
    assert "3 comments this week" in active and "1 comment this week" in active
    assert "Old news" not in active


def test_an_empty_forum_index_and_feed(app):
    client = app.test_client()
    html = client.get("/forum/").text
    assert "No comments yet." in html and "No comments in the past week." in html
    feed = atom(client.get("/forum/feed.atom"))
    assert entries(feed) == [] and feed.find(f"{ATOM}updated").text
