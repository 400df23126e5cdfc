"""The moderation dashboard: actions, bulk, reports, bans, word lists, edits, placeholders, the log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from forum_plugin.models import (
    Ban,
    Comment,
    ModerationEvent,
    Revision,
    Status,
    Thread,
    Word,
    utcnow,
)

from . import hostapp
from .conftest import (
    add_users,
    comment_id_from,
    count_statements,
    csrf_token,
    form_fields,
    log_in,
    post_comment,
    seed_comment,
    send,
    stored_comments,
)


def status_of(app, comment_id: int) -> str:
    with app.app_context():
        return hostapp.db.session.get(Comment, comment_id).status


def events_of(app, comment_id: int) -> list[tuple[str, str | None, str, str]]:
    with app.app_context():
        rows = hostapp.db.session.execute(
            select(
                ModerationEvent.action,
                ModerationEvent.from_status,
                ModerationEvent.to_status,
                ModerationEvent.actor_name,
            )
            .where(ModerationEvent.comment_id == comment_id)
            .order_by(ModerationEvent.id)
        )
        return [tuple(row) for row in rows]


def thread_counts(app, key: str = "first-report") -> dict[str, int]:
    with app.app_context():
        thread = hostapp.db.session.scalar(select(Thread).where(Thread.key == key))
        return {status.value: getattr(thread, status.count_column) for status in Status}


def test_each_action_moves_the_comment_and_is_recorded(app, moderator):
    comment_id = comment_id_from(post_comment(app.test_client(), body="judge me"))
    path = f"/forum/moderation/comments/{comment_id}"
    for action, status in [
        ("spam", "spam"),
        ("restore", "pending"),
        ("approve", "approved"),
        ("delete", "deleted"),
        ("restore", "approved"),
        ("reject", "rejected"),
    ]:
        assert send(moderator, f"{path}/{action}").status_code == 303
        assert status_of(app, comment_id) == status
    assert events_of(app, comment_id) == [
        ("post", None, "pending", "policy"),
        ("spam", "pending", "spam", "mod"),
        ("restore", "spam", "pending", "mod"),
        ("approve", "pending", "approved", "mod"),
        ("delete", "approved", "deleted", "mod"),
        ("restore", "deleted", "approved", "mod"),
        ("reject", "approved", "rejected", "mod"),
    ]
    assert thread_counts(app) == {**{status.value: 0 for status in Status}, "rejected": 1}


def test_bulk_approves_a_hundred_comments_in_one_request(app, moderator):
    ids = [seed_comment(app, f"comment number {n}") for n in range(100)]
    token = csrf_token(moderator.get("/forum/moderation/").text)
    response = moderator.post(
        "/forum/moderation/bulk", data={"csrf_token": token, "action": "approve", "ids": [str(i) for i in ids]}
    )
    assert response.status_code == 303
    assert "Approved: 100 of 100 comments." in moderator.get(response.headers["Location"]).text
    with app.app_context():
        approved_events = hostapp.db.session.scalars(
            select(ModerationEvent.comment_id).where(ModerationEvent.action == "approve")
        ).all()
    assert sorted(approved_events) == ids
    assert thread_counts(app)["approved"] == 100 and thread_counts(app)["pending"] == 0
    one = seed_comment(app, "and one more")
    response = send(moderator, "/forum/moderation/bulk", action="reject", ids=str(one))
    assert "Rejected: 1 of 1 comment." in moderator.get(response.headers["Location"]).text
    page = app.test_client().get("/posts/first-report").text
    assert "comment number 0" in page and "comment number 49" in page and "100 comments" in page
    later = page.split('rel="next" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert "comment number 99" in app.test_client().get(later).text


def test_bulk_every_comment_on_the_page_without_ticking(app, moderator):
    ids = [seed_comment(app, f"spammy {n}") for n in range(3)]
    response = send(moderator, "/forum/moderation/bulk", action="spam", all_on_page="1", page_ids=[str(i) for i in ids])
    assert response.status_code == 303
    assert [status_of(app, i) for i in ids] == ["spam"] * 3


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "approve"}, "Tick the comments"),
        ({"action": "approve", "ids": "abc"}, "is not a comment id"),
        ({"action": "explode", "ids": "1"}, "no moderation action"),
        ({"action": "approve", "ids": "999999"}, "no comment #999999"),
    ],
)
def test_bad_bulk_requests_change_nothing(app, moderator, data, message):
    comment_id = comment_id_from(post_comment(app.test_client()))
    response = send(moderator, "/forum/moderation/bulk", **data)
    assert response.status_code in (400, 404) and message in response.text
    assert status_of(app, comment_id) == "pending"


def test_reports_send_a_comment_back_to_the_queue_at_the_threshold(make_app):
    app = make_app(FORUM_MODERATION="post", FORUM_FLAG_THRESHOLD=3)
    users = add_users(app)
    comment_id = comment_id_from(post_comment(app.test_client(), body="a rude remark"))
    readers = [app.test_client() for _ in range(3)]
    log_in(readers[0], users["reader"])
    for n, reader in enumerate(readers[:2]):
        page = reader.get("/posts/first-report").text
        response = reader.post(
            f"/forum/comments/{comment_id}/report",
            data={"csrf_token": csrf_token(page), "reason": "abuse", "details": "insults"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"},
        )
        assert response.status_code == 200 and "Thank you" in response.text
    again = readers[1].post(
        f"/forum/comments/{comment_id}/report",
        data={"csrf_token": csrf_token(readers[1].get("/posts/first-report").text), "reason": "spam"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert again.status_code == 400 and "already reported" in again.text
    assert status_of(app, comment_id) == "approved"
    third = readers[2].post(
        f"/forum/comments/{comment_id}/report",
        data={"csrf_token": csrf_token(readers[2].get("/posts/first-report").text), "reason": "spam"},
        environ_base={"REMOTE_ADDR": "10.0.0.3"},
    )
    assert third.status_code == 200
    assert status_of(app, comment_id) == "pending"
    assert "a rude remark" not in app.test_client().get("/posts/first-report").text
    moderator = app.test_client()
    log_in(moderator, users["moderator"])
    queue = moderator.get("/forum/moderation/").text
    assert "Why held: reported by 3 readers" in queue
    assert "Reported 3 times: Abusive or hateful: insults" in queue
    assert events_of(app, comment_id)[-1] == ("report", "approved", "pending", "readers")


def test_only_published_comments_can_be_reported(app):
    reader = app.test_client()
    comment_id = comment_id_from(post_comment(reader))
    token = csrf_token(reader.get("/posts/first-report").text)
    # A comment still waiting answers like one that does not exist (tests/attacks/test_oracles.py).
    response = reader.post(f"/forum/comments/{comment_id}/report", data={"csrf_token": token, "reason": "spam"})
    assert response.status_code == 404 and f"There is no comment #{comment_id}." in response.text
    missing = reader.post("/forum/comments/424242/report", data={"csrf_token": token, "reason": "spam"})
    assert missing.status_code == 404 and "There is no comment #424242." in missing.text
    assert events_of(app, comment_id)[-1][0] != "report"


@pytest.mark.parametrize("kind", ["email", "domain", "account", "ip"])
def test_bans_from_a_comment_hold_and_expire(app, users, moderator, kind):
    author = app.test_client()
    if kind == "account":
        log_in(author, users["reader"])
    fields = {"author_email": "troll@abuse.example"} if kind in ("email", "domain") else {}
    first = comment_id_from(post_comment(author, body="first", **fields))
    # A ban by address asks first (tests/attacks/test_bans.py); this one is confirmed.
    response = send(
        moderator, f"/forum/moderation/comments/{first}/ban", kind=kind, reason="harassment", days="2", confirm="1"
    )
    assert response.status_code == 303
    assert "harassment" in moderator.get("/forum/moderation/bans").text

    refused = post_comment(author, body="second try", **fields)
    with app.app_context():
        second = hostapp.db.session.scalar(select(Comment).where(Comment.body_markdown == "second try"))
    if kind in ("email", "domain"):
        # Anyone can type an address: its owner's ban is never told, the comment is kept as spam.
        assert refused.status_code == 303
        assert "awaiting moderation" in author.get("/posts/first-report").text
        assert second.status == "spam" and "banned " + kind + ": harassment" in second.moderation_reason
    else:
        assert refused.status_code == 400 and "not accepted on this site" in refused.text
        assert second.status == "rejected" and second.moderation_reason == f"banned {kind}: harassment"
    assert "second try" not in app.test_client().get("/posts/first-report").text
    with app.app_context():
        hostapp.db.session.execute(update(Ban).values(expires_at=utcnow() - timedelta(minutes=1)))
        hostapp.db.session.commit()
    assert comment_id_from(post_comment(author, body="after the ban", **fields))
    assert "harassment" not in moderator.get("/forum/moderation/bans").text


def test_a_silent_ban_keeps_comments_as_spam_and_shows_the_author_the_usual_notice(make_app):
    app = make_app(FORUM_BAN_SILENT=True)
    users = add_users(app)
    moderator, author = app.test_client(), app.test_client()
    log_in(moderator, users["moderator"])
    send(moderator, "/forum/moderation/bans", kind="email", value="Quiet@Example.org", reason="scam")
    comment_id = comment_id_from(post_comment(author, author_email="quiet@example.org", body="buy now"))
    assert status_of(app, comment_id) == "spam"
    assert "awaiting moderation" in author.get("/posts/first-report").text
    assert "buy now" not in app.test_client().get("/posts/first-report").text


def test_bans_are_listed_added_by_hand_and_lifted(app, moderator):
    page = send(moderator, "/forum/moderation/bans", kind="ip", value="203.0.113.9", reason="flood", confirm="1")
    assert page.status_code == 303
    listing = moderator.get("/forum/moderation/bans").text
    assert "an IP address" in listing and "flood" in listing and "203.0.113.9" not in listing
    blocked = app.test_client()
    page = blocked.get("/posts/first-report", environ_base={"REMOTE_ADDR": "203.0.113.9"}).text
    refused = blocked.post(
        "/forum/threads/first-report/comments",
        data={**form_fields(page), "author_name": "F", "body": "flood"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert refused.status_code == 400 and "not accepted on this site" in refused.text
    with app.app_context():
        ban_id = hostapp.db.session.scalar(select(Ban.id))
    assert send(moderator, f"/forum/moderation/bans/{ban_id}/delete").status_code == 303
    assert "No bans are in force" in moderator.get("/forum/moderation/bans").text
    bad = send(moderator, "/forum/moderation/bans", kind="email", value="not-an-address")
    assert bad.status_code == 400 and "is not an email address" in bad.text


@pytest.mark.parametrize("value", ["@", "evil dom", "someone@gmail.com", "localhost"])
def test_a_domain_ban_that_would_catch_nobody_is_refused_at_its_field(app, moderator, value):
    bad = send(moderator, "/forum/moderation/bans", kind="domain", value=value, reason="kept reason")
    assert bad.status_code == 400 and "is not a domain name like example.org" in bad.text
    assert 'class="forum-field-error" id="value-error"' in bad.text and "kept reason" in bad.text
    with app.app_context():
        assert hostapp.db.session.scalar(select(func.count()).select_from(Ban)) == 0
    assert send(moderator, "/forum/moderation/bans", kind="domain", value="@Scam.Example").status_code == 303
    with app.app_context():
        assert hostapp.db.session.scalar(select(Ban.value)) == "scam.example"


@pytest.mark.parametrize(
    "fields, field_id",
    [
        ({"kind": "email", "value": "a@b.example", "days": "abc"}, "days"),
        ({"kind": "email", "value": "a@b.example", "reason": "r" * 600}, "reason"),
    ],
)
def test_a_mistake_in_the_ban_form_is_shown_at_its_field_with_what_was_typed(app, moderator, fields, field_id):
    bad = send(moderator, "/forum/moderation/bans", **fields)
    assert bad.status_code == 400
    assert f'class="forum-field-error" id="{field_id}-error"' in bad.text and 'value="a@b.example"' in bad.text
    with app.app_context():
        assert hostapp.db.session.scalar(select(func.count()).select_from(Ban)) == 0


def test_a_blank_word_is_shown_at_its_field(app, moderator):
    bad = send(moderator, "/forum/moderation/words", list="banned", word="  ")
    assert bad.status_code == 400 and 'class="forum-field-error" id="word-error"' in bad.text


def test_word_lists_from_the_dashboard_reject_and_hold(app, moderator):
    assert send(moderator, "/forum/moderation/words", list="banned", word="Scam").status_code == 303
    assert send(moderator, "/forum/moderation/words", list="suspect", word="transfer").status_code == 303
    words = moderator.get("/forum/moderation/words").text
    assert "scam" in words and "transfer" in words
    reader = app.test_client()
    refused = post_comment(reader, body="This is a scam site")
    assert refused.status_code == 400 and "This is a scam site" in refused.text
    held = comment_id_from(post_comment(reader, body="Please transfer the fee"))
    with app.app_context():
        assert hostapp.db.session.get(Comment, held).moderation_reason == "held: suspect word 'transfer'"
        word_id = hostapp.db.session.scalar(select(Word.id).where(Word.word == "scam"))
    assert send(moderator, f"/forum/moderation/words/{word_id}/delete").status_code == 303
    assert "scam" not in moderator.get("/forum/moderation/words").text
    # Each change to the lists is in the audit log, by whom and what.
    with app.app_context():
        logged = hostapp.db.session.execute(
            select(ModerationEvent.action, ModerationEvent.reason, ModerationEvent.actor_name)
            .where(ModerationEvent.action.in_(["add word", "remove word"]))
            .order_by(ModerationEvent.id)
        ).all()
    assert [tuple(row) for row in logged] == [
        ("add word", "banned: scam", "mod"),
        ("add word", "suspect: transfer", "mod"),
        ("remove word", "banned: scam", "mod"),
    ]
    log = moderator.get("/forum/moderation/log").text
    assert "add word" in log and "remove word" in log and "suspect: transfer" in log


def test_held_for_links_says_how_many(make_app):
    app = make_app(FORUM_MAX_LINKS=2, FORUM_MODERATION="post")
    comment_id = comment_id_from(
        post_comment(app.test_client(), body="https://a.example https://b.example https://c.example")
    )
    with app.app_context():
        comment = hostapp.db.session.get(Comment, comment_id)
        assert (comment.status, comment.moderation_reason) == ("pending", "held: 3 links, limit 2")


def test_an_account_with_a_record_is_trusted(make_app):
    app = make_app(FORUM_TRUST_AFTER=2)
    users = add_users(app)
    member, moderator = app.test_client(), app.test_client()
    log_in(member, users["reader"])
    log_in(moderator, users["moderator"])
    for n in range(2):
        comment_id = comment_id_from(post_comment(member, body=f"early {n}"))
        send(moderator, f"/forum/moderation/comments/{comment_id}/approve")
    trusted = comment_id_from(post_comment(member, body="now trusted"))
    assert status_of(app, trusted) == "approved"
    queue = moderator.get("/forum/moderation/?status=approved").text
    assert "trusted: 2 approved comments, none rejected in 30 days" in queue


def test_edits_keep_revisions_and_go_through_the_sanitizer(app, moderator):
    comment_id = comment_id_from(post_comment(app.test_client(), body="original *words*"))
    detail = moderator.get(f"/forum/moderation/comments/{comment_id}").text
    response = moderator.post(
        f"/forum/moderation/comments/{comment_id}/edit",
        data={"csrf_token": csrf_token(detail), "body": "edited <script>x</script> **now**"},
    )
    assert response.status_code == 303
    with app.app_context():
        comment = hostapp.db.session.get(Comment, comment_id)
        assert comment.body_html == "<p>edited &lt;script&gt;x&lt;/script&gt; <strong>now</strong></p>"
        revisions = hostapp.db.session.scalars(select(Revision).where(Revision.comment_id == comment_id)).all()
        assert [r.body_markdown for r in revisions] == ["original *words*"] and revisions[0].editor_name == "mod"
    detail = moderator.get(f"/forum/moderation/comments/{comment_id}").text
    assert "original <em>words</em>" in detail and "text edited" in detail
    empty = moderator.post(
        f"/forum/moderation/comments/{comment_id}/edit", data={"csrf_token": csrf_token(detail), "body": " "}
    )
    assert empty.status_code == 400 and "cannot be empty" in empty.text


def test_removing_a_comment_keeps_its_replies_under_a_placeholder(app, moderator):
    parent = comment_id_from(post_comment(moderator, body="the parent text"))
    reply = comment_id_from(post_comment(moderator, body="a reply that stays", parent_id=str(parent)))
    deeper = comment_id_from(post_comment(moderator, body="deeper reply", parent_id=str(reply)))
    for action in ("reject", "delete", "spam"):
        send(moderator, f"/forum/moderation/comments/{parent}/{action}")
        page = app.test_client().get("/posts/first-report").text
        assert "the parent text" not in page and "[removed]" in page
        assert f'id="comment-{parent}"' in page
        assert "a reply that stays" in page and f'data-parent="{parent}"' in page and f'id="comment-{deeper}"' in page
        send(moderator, f"/forum/moderation/comments/{parent}/restore")
        assert "the parent text" in app.test_client().get("/posts/first-report").text
    send(moderator, f"/forum/moderation/comments/{reply}/reject")
    page = app.test_client().get("/posts/first-report").text
    assert "a reply that stays" not in page and "deeper reply" in page and page.count("[removed]") == 1
    assert status_of(app, deeper) == "approved"


def test_a_removed_comment_without_published_replies_leaves_no_trace(app, moderator):
    lone = comment_id_from(post_comment(moderator, body="alone"))
    send(moderator, f"/forum/moderation/comments/{lone}/delete")
    page = app.test_client().get("/posts/first-report").text
    assert f'id="comment-{lone}"' not in page and "[removed]" not in page


def test_tabs_filters_search_and_pages(app, moderator):
    ids = [seed_comment(app, f"first thread {n}") for n in range(55)]
    other = seed_comment(app, "ខ្មែរ needle", key="second-report", author_name="Sophea")
    send(moderator, f"/forum/moderation/comments/{ids[0]}/spam")
    page = moderator.get("/forum/moderation/").text
    assert 'aria-current="page">\n      Pending <span class="forum-count">55</span>' in page
    assert 'Spam <span class="forum-count">1</span>' in page
    first = page.count('class="forum-queue-item"')
    assert first == 50
    cursor = page.split("after=", 1)[1].split('"', 1)[0].replace("&amp;", "&")
    second = moderator.get(f"/forum/moderation/?status=pending&after={cursor}").text
    assert second.count('class="forum-queue-item"') == 5 and f"queue-{other}" in second
    newest = moderator.get("/forum/moderation/?order=newest").text
    assert newest.index(f"queue-{other}") < newest.index(f"queue-{ids[1]}")
    assert moderator.get("/forum/moderation/?q=NEEDLE").text.count('class="forum-queue-item"') == 1
    assert moderator.get("/forum/moderation/?q=sophea").text.count('class="forum-queue-item"') == 1
    assert moderator.get("/forum/moderation/?q=100%25").text.count('class="forum-queue-item"') == 0
    only_second = moderator.get("/forum/moderation/?thread=second-report").text
    assert (
        only_second.count('class="forum-queue-item"') == 1
        and 'Pending <span class="forum-count">1</span>' in only_second
    )
    assert moderator.get("/forum/moderation/?status=bogus").status_code == 400
    assert moderator.get("/forum/moderation/?after=garbage").status_code == 400


def test_each_row_explains_itself(app, moderator, users):
    member = app.test_client()
    log_in(member, users["reader"])
    earlier = comment_id_from(post_comment(member, body="an earlier one"))
    send(moderator, f"/forum/moderation/comments/{earlier}/approve")
    comment_id_from(post_comment(member, body="the one to judge"))
    page = moderator.get("/forum/moderation/").text
    row = page.split(f'queue-{earlier + 1}"', 1)[1].split("</li>", 1)[0]
    assert "reader@example.org" in row and f"account {users['reader']}" in row
    assert "1 approved, 0 rejected before" in row
    assert "Why held: every comment is reviewed first" in row and "held: held" not in row
    assert (
        f'href="/posts/first-report?forum_comment={earlier + 1}#comment-{earlier + 1}"' in row
        and "First field report" in row
    )


def test_the_audit_log_filters_by_comment_and_moderator(app, moderator, users):
    a = comment_id_from(post_comment(app.test_client(), body="a"))
    b = comment_id_from(post_comment(app.test_client(), body="b"))
    send(moderator, f"/forum/moderation/comments/{a}/approve")
    send(moderator, f"/forum/moderation/comments/{b}/reject")
    everything = moderator.get("/forum/moderation/log").text
    assert everything.count("<tr>") == 4 + 1
    by_comment = moderator.get(f"/forum/moderation/log?comment={b}").text
    assert by_comment.count("<tr>") == 2 + 1 and "pending → rejected" in by_comment
    by_moderator = moderator.get(f"/forum/moderation/log?moderator={users['moderator']}").text
    assert by_moderator.count("<tr>") == 2 + 1 and "policy" not in by_moderator.split("<tbody>", 1)[1]
    assert moderator.get("/forum/moderation/log?comment=abc").status_code == 400


DASHBOARD_GETS = [
    "/forum/moderation/",
    "/forum/moderation/bans",
    "/forum/moderation/words",
    "/forum/moderation/log",
    "/forum/moderation/comments/{id}",
]
DASHBOARD_POSTS = [
    "/forum/moderation/comments/{id}/approve",
    "/forum/moderation/comments/{id}/edit",
    "/forum/moderation/comments/{id}/ban",
    "/forum/moderation/bulk",
    "/forum/moderation/bans",
    "/forum/moderation/bans/1/delete",
    "/forum/moderation/words",
    "/forum/moderation/words/1/delete",
]


def test_every_dashboard_url_refuses_non_moderators(app, users):
    comment_id = comment_id_from(post_comment(app.test_client()))
    reader, anonymous = app.test_client(), app.test_client()
    log_in(reader, users["reader"])
    token = csrf_token(reader.get("/posts/first-report").text)
    for path in DASHBOARD_GETS:
        assert reader.get(path.format(id=comment_id)).status_code == 403, path
        assert anonymous.get(path.format(id=comment_id)).status_code == 302, path
    for path in DASHBOARD_POSTS:
        data = {
            "csrf_token": token,
            "ids": str(comment_id),
            "action": "approve",
            "kind": "email",
            "value": "a@b.c",
            "body": "x",
            "list": "banned",
            "word": "x",
        }
        assert reader.post(path.format(id=comment_id), data=data).status_code == 403, path
    assert status_of(app, comment_id) == "pending" and stored_comments(app) == 1


def test_the_audit_log_cannot_be_rewritten_through_the_models(app, moderator):
    from forum_plugin.models import AuditLogError

    comment_id = comment_id_from(post_comment(app.test_client()))
    with app.app_context():
        session = hostapp.db.session
        event = session.scalar(select(ModerationEvent).where(ModerationEvent.comment_id == comment_id))
        event.reason = "nothing happened here"
        with pytest.raises(AuditLogError):
            session.commit()
        session.rollback()
        session.delete(session.get(ModerationEvent, event.id))
        with pytest.raises(AuditLogError):
            session.commit()
        session.rollback()
    assert events_of(app, comment_id) == [("post", None, "pending", "policy")]


def test_a_hosts_policy_rule_decides_and_explains(make_app):
    from forum_plugin import Forum
    from forum_plugin.policy import Decision

    forum = Forum()
    checked = []

    @forum.policy_rule
    def spam_service(draft, context):
        checked.append(draft.author_name)
        if "casino" in draft.body.lower():
            return Decision(Status.SPAM, ("spam service: 0.98",))
        return None

    app = make_app(forum=forum, FORUM_MODERATION="post")
    spam = comment_id_from(post_comment(app.test_client(), author_name="Bot", body="Best CASINO bonus"))
    fine = comment_id_from(post_comment(app.test_client(), author_name="Mali", body="Thank you"))
    assert checked == ["Bot", "Mali"]
    with app.app_context():
        comment = hostapp.db.session.get(Comment, spam)
        assert (comment.status, comment.moderation_reason) == ("spam", "spam service: 0.98")
    assert events_of(app, spam)[0] == ("post", None, "spam", "policy")
    assert status_of(app, fine) == "approved"
    assert "Best CASINO" not in app.test_client().get("/posts/first-report").text


def test_a_dashboard_page_takes_three_statements_and_one_more_for_reports(app, moderator):
    from forum_plugin import queue

    for n in range(60):
        seed_comment(app, f"waiting {n}", author_name=f"Reader {n % 7}", author_email=f"r{n % 7}@example.org")

    def statements_for(wanted):
        with app.app_context(), count_statements(hostapp.db.engine) as seen:
            queue.status_counts(hostapp.db.session, wanted.thread_key)
            page = queue.page(hostapp.db.session, wanted)
        return len(seen), page

    first, page = statements_for(queue.QueueFilter())
    later, _ = statements_for(queue.QueueFilter(after=page.next_cursor))
    assert (first, later) == (3, 3)
    assert page.history[page.comments[0].id] == (0, 0)
    with app.app_context():
        hostapp.db.session.execute(update(Comment).where(Comment.id == page.comments[0].id).values(flag_count=1))
        hostapp.db.session.commit()
    assert statements_for(queue.QueueFilter())[0] == 4


def test_the_queue_counts_only_open_reports_and_the_comment_page_keeps_the_answered_ones(make_app):
    from forum_plugin.models import Flag

    app = make_app(FORUM_MODERATION="post")
    users = add_users(app)
    moderator = app.test_client()
    log_in(moderator, users["moderator"])
    comment_id = comment_id_from(post_comment(app.test_client(), body="reported twice over"))
    with app.app_context():
        session = hostapp.db.session
        # Two reports a moderator's approval answered, then one new one.
        session.add_all(
            [
                Flag(
                    comment_id=comment_id,
                    reporter="ip:a",
                    reason="Spam or advertising: answered one",
                    cleared_at=utcnow(),
                ),
                Flag(
                    comment_id=comment_id, reporter="ip:b", reason="Something else: answered two", cleared_at=utcnow()
                ),
                Flag(comment_id=comment_id, reporter="ip:c", reason="Abusive or hateful: the open one"),
            ]
        )
        session.execute(update(Comment).where(Comment.id == comment_id).values(flag_count=1))
        session.commit()
    row = moderator.get("/forum/moderation/?status=approved").text.split(f'id="queue-{comment_id}"', 1)[1]
    assert "Reported 1 time: Abusive or hateful: the open one" in row
    assert "answered one" not in row and "answered two" not in row
    detail = moderator.get(f"/forum/moderation/comments/{comment_id}").text
    assert detail.count("answered by an approval") == 2
    assert "Abusive or hateful: the open one" in detail and "answered one" in detail


def test_the_queue_page_says_when_mail_is_not_getting_through(app, moderator, monkeypatch):
    from forum_plugin.views.moderation import queue as moderation

    problem = "Mail to moderators could not be sent at 10:42: the server at smtp.example.org:25 refused the connection."
    monkeypatch.setattr(moderation, "mail_problem", lambda of_app: problem if of_app is app else None)
    page = moderator.get("/forum/moderation/").text
    notice = page.split('class="forum-error forum-mail-problem" role="alert"', 1)[1].split("</div>", 1)[0]
    assert "refused the connection" in notice
    assert page.index("forum-mail-problem") < page.index("forum-tabs")
    monkeypatch.setattr(moderation, "mail_problem", lambda of_app: None)
    assert "forum-mail-problem" not in moderator.get("/forum/moderation/").text


def test_an_empty_status_shows_the_default_tab(app, moderator):
    comment_id = comment_id_from(post_comment(app.test_client(), body="waiting for a first look"))
    page = moderator.get("/forum/moderation/?status=")
    assert page.status_code == 200 and f'id="queue-{comment_id}"' in page.text
