"""A thread's comments on the page: nesting, depth, bad parents, hostile input, statements."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from forum_plugin import threads
from forum_plugin.models import Thread

from . import hostapp
from .conftest import (
    approve,
    comment_id_from,
    count_statements,
    log_in,
    post_comment,
    store_chain,
    stored_comments,
)


class CommentLayout(HTMLParser):
    """For each comment article: its attributes and how many reply lists enclose it."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.articles: list[dict] = []
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag in ("ol", "li"):
            self.open.append(attrs.get("class", tag))
        if tag == "article":
            attrs["indent"] = self.open.count("forum-replies")
            self.articles.append(attrs)

    def handle_endtag(self, tag):
        if tag in ("ol", "li"):
            assert self.open, f"</{tag}> closes nothing"
            self.open.pop()


def layout(html: str) -> CommentLayout:
    parser = CommentLayout()
    parser.feed(html)
    assert parser.open == [], "lists left open"
    return parser


def reply_chain(client, length: int, slug: str = "first-report") -> list[int]:
    ids: list[int] = []
    for n in range(length):
        fields = {"body": f"level {n}", "parent_id": str(ids[-1]) if ids else None}
        ids.append(comment_id_from(post_comment(client, slug, **fields)))
    return ids


def test_replies_nest_with_their_true_depth_and_stop_indenting_at_the_cap(make_app):
    app = make_app(FORUM_MAX_DEPTH=3)
    client = app.test_client()
    with app.app_context():
        hostapp.db.session.add(hostapp.User(username="boss", email="b@example.org", is_moderator=True))
        hostapp.db.session.commit()
        boss = hostapp.db.session.scalar(hostapp.db.select(hostapp.User.id).filter_by(username="boss"))
    log_in(client, boss)
    ids = reply_chain(client, 6)
    sibling = comment_id_from(post_comment(client, body="second top-level"))
    articles = layout(client.get("/posts/first-report").text).articles
    assert [a["id"] for a in articles] == [f"comment-{i}" for i in [*ids, sibling]]
    assert [int(a["data-depth"]) for a in articles] == [0, 1, 2, 3, 4, 5, 0]
    assert [a["indent"] for a in articles] == [0, 1, 2, 3, 3, 3, 0]
    assert "data-parent" not in articles[0] and "data-parent" not in articles[-1]
    assert [a["data-parent"] for a in articles[1:6]] == [str(i) for i in ids[:5]]
    page = client.get("/posts/first-report").text
    assert page.count("in reply to boss") == 2


@pytest.mark.slow  # stores and renders 2,000 comments
def test_a_two_thousand_deep_chain_renders(app):
    with app.app_context():
        session = hostapp.db.session
        thread = Thread(key="first-report", title="First", url="/posts/first-report", approved_count=2000)
        session.add(thread)
        session.flush()
        store_chain(session, thread.id, 2000, author=lambda depth: f"writer {depth}")
        session.commit()
    response = app.test_client().get("/posts/first-report")
    assert response.status_code == 200
    articles = layout(response.text).articles
    assert [int(a["data-depth"]) for a in articles] == list(range(2000))
    assert max(a["indent"] for a in articles) == 6
    assert "in reply to writer 1998" in response.text


def test_reply_link_works_without_javascript(app, moderator):
    top = comment_id_from(post_comment(moderator, body="top"))
    page = moderator.get("/posts/first-report").text
    assert f'href="/posts/first-report?reply_to={top}#comment-form"' in page
    form_page = moderator.get(f"/posts/first-report?reply_to={top}").text
    assert "Reply to mod" in form_page
    assert re.search(rf'name="parent_id" type="hidden" value="{top}"', form_page)


@pytest.mark.parametrize(
    "parent, message",
    [
        # To a reader, a missing, hidden or elsewhere parent all read the same (tests/attacks/test_oracles.py).
        ("missing", "The comment you are replying to is not available."),
        ("pending", "The comment you are replying to is not available."),
        ("other-thread", "The comment you are replying to is not available."),
        ("text", "not a valid comment"),
        ("-5", "not a valid comment"),
        ("99999999999999999999", "not a valid comment"),
    ],
)
def test_bad_parents_get_a_400_and_store_nothing(app, moderator, parent, message):
    reader = app.test_client()
    parents = {
        "missing": "424242",
        "pending": str(comment_id_from(post_comment(reader, body="waiting"))),
        "other-thread": str(comment_id_from(post_comment(moderator, "second-report", body="elsewhere"))),
        "text": "abc",
    }
    before = stored_comments(app)
    response = post_comment(reader, parent_id=parents.get(parent, parent), body="my reply text")
    assert response.status_code == 400
    assert message in response.text
    assert "my reply text" in response.text
    assert stored_comments(app) == before


def test_hostile_body_and_author_name_render_inert(app, moderator):
    reader = app.test_client()
    comment_id = comment_id_from(
        post_comment(
            reader,
            author_name='<script>alert("name")</script><img src=x onerror=alert(2)>',
            body='<script>alert(1)</script> <img src=x onerror="alert(3)"> [x](javascript:alert(4))',
        )
    )
    assert approve(app, moderator, comment_id).status_code == 303
    for client in (app.test_client(), moderator):
        for path in ("/posts/first-report", "/forum/threads/first-report"):
            html = client.get(path).text
            elements = layout(html).elements
            scripts = [attrs for tag, attrs in elements if tag == "script"]
            assert all(attrs.get("src", "").startswith("/forum/static/") for attrs in scripts)
            assert "img" not in [tag for tag, _ in elements]
            for _, attrs in elements:
                assert not any(name.startswith("on") for name in attrs)
                assert not (attrs.get("href") or "").lower().startswith("javascript")
            assert "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;" in html


def test_counts_for_fifty_keys_take_one_statement(app, moderator):
    comment_id_from(post_comment(moderator, "first-report"))
    comment_id_from(post_comment(moderator, "first-report"))
    comment_id_from(post_comment(moderator, "second-report"))
    keys = ["first-report", "second-report"] + [f"post-{n}" for n in range(48)]
    with app.test_request_context():
        engine = hostapp.db.engine
        with count_statements(engine) as statements:
            counts = threads.comment_counts(hostapp.db.session, keys)
        assert len(statements) == 1
    assert counts["first-report"] == 2 and counts["second-report"] == 1
    assert len(counts) == 50 and counts["post-7"] == 0
    listing = app.test_client().get("/?" + "&".join(f"slug={k}" for k in keys[:3])).text
    assert '<li data-slug="first-report">2</li>' in listing and '<li data-slug="post-0">0</li>' in listing


def test_a_thread_page_takes_three_statements_whatever_its_depth(app, moderator):
    ids = reply_chain(moderator, 12)
    comment_id_from(post_comment(moderator, body="another root"))
    with app.test_request_context():
        with count_statements(hostapp.db.engine) as statements:
            thread = threads.get_thread(hostapp.db.session, "first-report")
            page = threads.load_page(hostapp.db.session, thread, max_depth=6)
        assert len(statements) == 3
    assert len(page.items) == len(ids) + 1


def test_the_standalone_thread_page_and_unknown_threads(app, moderator):
    comment_id_from(post_comment(moderator, body="on its own page"))
    page = app.test_client().get("/forum/threads/first-report")
    assert page.status_code == 200 and "on its own page" in page.text and "First field report" in page.text
    missing = app.test_client().get("/forum/threads/never-commented")
    assert missing.status_code == 404 and "no comments on a page by that name" in missing.text


def test_timestamps_and_permalinks(app, moderator):
    comment_id = comment_id_from(post_comment(moderator, body="dated"))
    html = app.test_client().get("/posts/first-report").text
    permalink = f"/posts/first-report?forum_comment={comment_id}#comment-{comment_id}"
    assert re.search(
        rf'<a class="forum-permalink" href="{re.escape(permalink)}"><time datetime="\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ">',
        html,
    )


class Controls(HTMLParser):
    """Every id on a page, and the form controls no label names (labels
    come before their controls in the forum's markup)."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.open_labels = 0
        self.labelled_ids: set[str] = set()
        self.unlabelled: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "label":
            self.open_labels += 1
            self.labelled_ids.add(attrs.get("for"))
        elif tag in ("select", "textarea") or (tag == "input" and attrs.get("type") not in ("hidden", "submit")):
            if not self.open_labels and attrs.get("id") not in self.labelled_ids:
                self.unlabelled.append(attrs)

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def test_report_forms_are_labelled_without_repeating_ids(app, moderator):
    for n in range(3):
        approve(app, moderator, comment_id_from(post_comment(app.test_client(), body=f"comment {n}")))
    controls = Controls()
    controls.feed(app.test_client().get("/posts/first-report").text)
    assert len(controls.ids) == len(set(controls.ids)), "an id appears twice"
    assert controls.unlabelled == []
    assert controls.ids.count("body") == 1  # the comment form labels its fields by id
