"""flask forum import wordpress|disqus: comments, replies and statuses moved in, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum_plugin import Forum
from forum_plugin.models import Comment, ModerationEvent, Thread

from . import hostapp
from .conftest import stored_comments

DATA = Path(__file__).resolve().parent / "data"
CAFE = "ร้านกาแฟ"


def run_import(app, *args: str):
    return app.test_cli_runner().invoke(args=["forum", "import", *args])


def by_origin(app) -> dict[str, Comment]:
    with app.app_context():
        session = hostapp.db.session
        comments = session.scalars(select(Comment).where(Comment.origin.is_not(None))).all()
        for comment in comments:
            session.expunge(comment)
        return {comment.origin: comment for comment in comments}


def thread_rows(app) -> dict[str, tuple[str, str, int, int]]:
    with app.app_context():
        rows = hostapp.db.session.execute(
            select(Thread.key, Thread.title, Thread.url, Thread.approved_count, Thread.pending_count)
        )
        return {key: (title, url, approved, pending) for key, title, url, approved, pending in rows}


def test_wordpress_comments_replies_and_statuses(app):
    result = run_import(app, "wordpress", str(DATA / "wordpress.xml"))
    assert result.exit_code == 0, result.output
    assert "Imported 8 comments into 2 new threads" in result.output
    assert "2 pingbacks and trackbacks skipped" in result.output

    site = "wordpress:https://slowroads.example.org"
    comments = by_origin(app)
    assert {origin.rsplit(":", 1)[1]: c.status for origin, c in comments.items()} == {
        "101": "approved",
        "102": "approved",
        "103": "approved",
        "104": "pending",
        "105": "spam",
        "106": "deleted",
        "201": "approved",
        "202": "approved",
    }
    top, reply, deeper = comments[f"{site}:101"], comments[f"{site}:102"], comments[f"{site}:103"]
    assert (reply.parent_id, reply.root_id, reply.depth) == (top.id, top.id, 1)
    assert (deeper.parent_id, deeper.root_id, deeper.depth) == (reply.id, top.id, 2)
    assert top.author_name == "นกฮูกน้อย" and comments[f"{site}:201"].author_name == "Anonymous"
    assert top.ip_hash and "192.0.2.10" not in top.ip_hash
    assert top.created_at.year < 2026

    threads = thread_rows(app)
    assert threads["floating-market"][2:] == (3, 1)
    assert threads["floating-market"][0] == "Morning at the Floating Market ตลาดน้ำ"
    assert threads["floating-market"][1].startswith("/") and "slowroads" not in threads["floating-market"][1]
    assert threads[CAFE][2] == 2

    page = app.test_client().get("/forum/threads/floating-market").text
    assert "นกฮูกน้อย" in page and "ကြောင်လေး" in page and "ផ្កាឈូក" in page
    assert "小竹子" not in page and "Cheap Watches" not in page and "Second Thoughts" not in page


def test_importing_the_same_file_twice_adds_nothing(app):
    assert run_import(app, "wordpress", str(DATA / "wordpress.xml")).exit_code == 0
    before = stored_comments(app)
    again = run_import(app, "wordpress", str(DATA / "wordpress.xml"))
    assert again.exit_code == 0, again.output
    assert "Imported 0 comments into 0 new threads (8 already imported" in again.output
    assert stored_comments(app) == before
    assert thread_rows(app)["floating-market"][2:] == (3, 1)


def test_disqus_threads_posts_and_flags(app):
    result = run_import(app, "disqus", str(DATA / "disqus.xml"), "--key-from", "id")
    assert result.exit_code == 0, result.output
    comments = by_origin(app)
    assert comments["disqus:9004"].status == "spam" and comments["disqus:9005"].status == "deleted"
    assert comments["disqus:9003"].depth == 2 and comments["disqus:9003"].root_id == comments["disqus:9001"].id
    threads = thread_rows(app)
    # The first thread has its own identifier; the second has none, so its Disqus id is used.
    assert set(threads) == {"mekong-by-boat", "7002"}
    assert threads["7002"][0] == "Khao Soi at Home ข้าวซอย" and threads["7002"][1] == "/recipes/khao-soi"
    assert threads["mekong-by-boat"][2] == 3
    assert "面条猫" in app.test_client().get("/forum/threads/7002").text


def test_thread_keys_from_the_url_or_the_hosts_function(make_app):
    by_url = make_app()
    assert run_import(by_url, "disqus", str(DATA / "disqus.xml"), "--key-from", "url").exit_code == 0
    assert set(thread_rows(by_url)) == {"/travel/mekong-by-boat/", "/recipes/khao-soi"}
    with by_url.app_context():
        Forum.drop_all()
        Forum.create_all()

    forum = Forum()

    @forum.import_thread_key
    def key_for(thread):
        return f"post-{thread.source_id}"

    by_host = make_app(forum=forum)
    assert run_import(by_host, "wordpress", str(DATA / "wordpress.xml")).exit_code == 0
    assert all(key.startswith("post-") for key in thread_rows(by_host))


def test_a_broken_file_is_refused_with_its_line_and_nothing_is_stored(app):
    result = run_import(app, "wordpress", str(DATA / "broken.xml"))
    assert result.exit_code == 1
    assert "broken.xml: line 19" in result.output and "Nothing was imported" in result.output
    assert stored_comments(app) == 0


def test_the_wrong_kind_of_file_is_refused(app):
    result = run_import(app, "wordpress", str(DATA / "disqus.xml"))
    assert result.exit_code == 1 and "not a WordPress" in result.output


def test_a_failure_half_way_leaves_nothing_behind(make_app):
    forum = Forum()

    @forum.import_thread_key
    def second_thread_has_a_bad_key(thread):
        return thread.slug if thread.slug == "floating-market" else "x" * 300

    app = make_app(forum=forum)
    result = run_import(app, "wordpress", str(DATA / "wordpress.xml"))
    assert result.exit_code == 1 and "at most 255 characters" in result.output
    assert stored_comments(app) == 0 and thread_rows(app) == {}
    with app.app_context():
        assert hostapp.db.session.scalar(select(func.count()).select_from(ModerationEvent)) == 0


def test_imported_html_is_sanitized(app, tmp_path):
    hostile = (DATA / "wordpress.xml").read_text(encoding="utf-8")
    marker = "<wp:comment_content><![CDATA["
    start = hostile.index(marker, hostile.index("<wp:comment_id>201</wp:comment_id>")) + len(marker)
    hostile = (
        hostile[:start]
        + '<script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">link</a>\n\nline two '
        + hostile[start:]
    )
    path = tmp_path / "hostile.xml"
    path.write_text(hostile, encoding="utf-8")
    assert run_import(app, "wordpress", str(path)).exit_code == 0
    comment = next(c for origin, c in by_origin(app).items() if origin.endswith(":201"))
    assert "<script" not in comment.body_html and "javascript:" not in comment.body_html
    assert "onclick" not in comment.body_html and "<p>line two" in comment.body_html


@pytest.mark.parametrize("kind", ["wordpress", "disqus"])
def test_progress_is_shown(app, kind):
    result = run_import(app, kind, str(DATA / f"{kind}.xml"))
    assert f"Reading {kind}.xml" in result.output
