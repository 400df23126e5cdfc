"""Email notifications, delivered to a real SMTP server (aiosmtpd) on 127.0.0.1.

Sending is synchronous, so every mail a request causes is in the inbox by
the time the test client returns. Wherever a test is about what a reader
hears, the reader first confirms their address (double opt-in; its own
rules are in test_mail_confirmation.py).
"""

from __future__ import annotations

import logging
import sys
import types

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from forum_plugin import notify
from forum_plugin.models import Comment, MailDigest, Thread

from . import hostapp
from .conftest import (
    approve,
    comment_id_from,
    csrf_token,
    issue_ticket,
    log_in,
    post_comment,
    stored_comments,
)
from .mailbox import (
    MODERATORS,
    SENDER,
    SITE,
    Inbox,
    free_port,
    moderator_client,
    open_link,
    press_the_button,
)


def approved(app, moderator, comment_id: int) -> None:
    response = approve(app, moderator, comment_id)
    assert response.status_code == 303, response.text
    with app.app_context():
        assert hostapp.db.session.get(Comment, comment_id).status == "approved"


def confirmed(app, inbox, *addresses: str) -> None:
    """Each address's owner follows the confirmation mail it got; then the inbox is emptied."""
    for address in addresses:
        [mail] = [m for m in inbox.to(address) if "/forum/mail/confirm/" in m.body]
        response = press_the_button(app.test_client(), mail.link_to("/forum/mail/confirm/"))
        assert response.status_code == 200 and "Address confirmed" in response.text
    inbox.clear()


# --- moderators ---------------------------------------------------------------


def test_each_moderator_is_mailed_about_a_pending_comment_and_readers_are_not(mail_app, inbox):
    app = mail_app()
    author = app.test_client()
    comment_id = comment_id_from(
        post_comment(
            author,
            author_name="Mali",
            author_email="mali@example.org",
            notify="y",
            body="The shelter *needs* volunteers.",
        )
    )

    to_moderators = [m for m in inbox.messages if m.recipients[0] in MODERATORS]
    assert sorted(r for m in to_moderators for r in m.recipients) == sorted(MODERATORS)
    mail = inbox.to("mod-one@example.org")[0]
    assert "First field report" in mail.subject
    assert mail.message["From"] == SENDER
    for expected in (
        "Mali",
        "mali@example.org",
        "First field report",
        "Why held: every comment is reviewed first\n",
        "The shelter *needs* volunteers.",
        f"{SITE}/forum/moderation/#queue-{comment_id}",
    ):
        assert expected in mail.body
    # The author is only asked to confirm their address.
    assert [m.subject for m in inbox.to("mali@example.org")] == ["Confirm email notifications from blog.example.org"]


def test_unicode_names_and_titles_arrive_intact(mail_app, inbox):
    app = mail_app()
    client = app.test_client()
    fields = {
        "csrf_token": csrf_token(client.get("/posts/first-report").text),
        "forum_ticket": issue_ticket(app, "บันทึกภาคสนาม"),
    }
    response = client.post(
        "/forum/threads/บันทึกภาคสนาม/comments",
        data={**fields, "author_name": "สมชาย ใจดี", "body": "ขอบคุณมากครับ — merci à vous"},
    )
    comment_id_from(response)
    mail = inbox.to(MODERATORS[0])[0]
    assert "บันทึกภาคสนาม" in mail.subject
    assert "สมชาย ใจดี" in mail.body and "ขอบคุณมากครับ — merci à vous" in mail.body


def test_comments_published_at_once_do_not_go_to_moderators(mail_app, inbox):
    app = mail_app(FORUM_MODERATION="post")
    comment_id_from(post_comment(app.test_client(), author_email="mali@example.org"))
    assert stored_comments(app) == 1
    assert inbox.messages == []


# --- authors ---------------------------------------------------------------------


def test_author_is_mailed_on_approval_and_can_unsubscribe(mail_app, inbox):
    app = mail_app()
    moderator = moderator_client(app)
    author = app.test_client()
    first = comment_id_from(post_comment(author, author_name="Mali", author_email="Mali@Example.org", notify="y"))
    second = comment_id_from(
        post_comment(author, author_name="Mali", author_email="mali@example.org", notify="y", body="Another thought.")
    )
    # One address, whatever its case: one confirmation.
    assert len(inbox.to("Mali@Example.org")) == 1 and inbox.to("mali@example.org") == []
    confirmed(app, inbox, "Mali@Example.org")

    approved(app, moderator, first)
    [mail] = inbox.messages
    assert mail.recipients == ["Mali@Example.org"]
    assert "published" in mail.subject and "First field report" in mail.subject
    assert f"{SITE}/posts/first-report?forum_comment={first}#comment-{first}" in mail.body
    unsubscribe = mail.link_to("/forum/unsubscribe/")
    # Verbatim on the wire: clients do not decode RFC 2047 words in this header.
    assert f"\nList-Unsubscribe: <{unsubscribe}>\r\n".encode() in mail.raw

    page = open_link(app.test_client(), unsubscribe)
    assert page.status_code == 200
    assert "Stop emails to m***@example.org" in page.text and "Mali@Example.org" not in page.text
    with app.app_context():
        assert hostapp.db.session.get(Comment, second).notify is True
    done = press_the_button(app.test_client(), unsubscribe)
    assert done.status_code == 200 and "Emails stopped" in done.text
    with app.app_context():
        assert hostapp.db.session.get(Comment, second).notify is False

    inbox.clear()
    approved(app, moderator, second)
    assert inbox.messages == []


def test_a_comment_approved_again_does_not_mail_anyone_twice(mail_app, inbox):
    app = mail_app()
    moderator = moderator_client(app)
    parent_id = comment_id_from(post_comment(app.test_client(), author_email="mali@example.org", notify="y"))
    confirmed(app, inbox, "mali@example.org")
    approved(app, moderator, parent_id)
    reply_id = comment_id_from(
        post_comment(
            app.test_client(), author_email="nok@example.org", notify="y", body="Agreed.", parent_id=str(parent_id)
        )
    )
    confirmed(app, inbox, "nok@example.org")
    approved(app, moderator, reply_id)
    assert len(inbox.to("mali@example.org")) == 1 and len(inbox.to("nok@example.org")) == 1
    inbox.clear()

    # The queue is empty now, so the token comes from another page of the session.
    token = csrf_token(moderator.get("/posts/first-report").text)
    for action in ("reject", "approve"):
        response = moderator.post(f"/forum/moderation/comments/{reply_id}/{action}", data={"csrf_token": token})
        assert response.status_code == 303
    with app.app_context():
        assert hostapp.db.session.get(Comment, reply_id).status == "approved"
    assert inbox.messages == []


def test_logged_in_readers_are_mailed_at_their_account_address(mail_app, inbox):
    app = mail_app()
    moderator = moderator_client(app)
    with app.app_context():
        user = hostapp.User(username="reader", email="reader@example.org")
        hostapp.db.session.add(user)
        hostapp.db.session.commit()
        user_id = user.id
    reader = app.test_client()
    log_in(reader, user_id)
    comment_id = comment_id_from(post_comment(reader, author_name=None, notify="y"))
    confirmed(app, inbox, "reader@example.org")
    approved(app, moderator, comment_id)
    assert [m.subject for m in inbox.to("reader@example.org")] == ['Your comment on "First field report" was published']


def test_nothing_is_sent_to_an_author_who_did_not_tick_notify(mail_app, inbox):
    app = mail_app()
    moderator = moderator_client(app)
    author = app.test_client()
    comment_id = comment_id_from(post_comment(author, author_email="mali@example.org"))
    approved(app, moderator, comment_id)
    reply_id = comment_id_from(post_comment(moderator, body="Thanks!", parent_id=str(comment_id)))
    with app.app_context():
        assert hostapp.db.session.get(Comment, reply_id).status == "approved"
    assert len(inbox.messages) == len(MODERATORS)  # the first comment's moderator mails, nothing else
    assert inbox.to("mali@example.org") == []


def test_the_parent_author_hears_of_an_approved_reply_not_a_pending_one(mail_app, inbox):
    app = mail_app()
    moderator = moderator_client(app)
    parent_id = comment_id_from(
        post_comment(app.test_client(), author_name="Mali", author_email="mali@example.org", notify="y")
    )
    confirmed(app, inbox, "mali@example.org")
    approved(app, moderator, parent_id)
    inbox.clear()

    replier = app.test_client()
    reply_id = comment_id_from(
        post_comment(
            replier,
            author_name="สมชาย",
            author_email="somchai@example.org",
            body="I can help on Saturdays.",
            parent_id=str(parent_id),
        )
    )
    assert inbox.to("mali@example.org") == []
    assert len(inbox.messages) == len(MODERATORS)
    inbox.clear()

    approved(app, moderator, reply_id)
    [mail] = inbox.messages
    assert mail.recipients == ["mali@example.org"]
    assert "New reply" in mail.subject and "First field report" in mail.subject
    assert "สมชาย" in mail.body and "I can help on Saturdays." in mail.body
    assert f"{SITE}/posts/first-report?forum_comment={reply_id}#comment-{reply_id}" in mail.body
    assert mail.message["List-Unsubscribe"].startswith(f"<{SITE}/forum/unsubscribe/")
    assert inbox.to("somchai@example.org") == []


def test_replying_to_yourself_sends_one_mail_not_two(mail_app, inbox):
    app = mail_app()
    moderator = moderator_client(app)
    author = app.test_client()
    parent_id = comment_id_from(post_comment(author, author_email="mali@example.org", notify="y"))
    confirmed(app, inbox, "mali@example.org")
    approved(app, moderator, parent_id)
    reply_id = comment_id_from(
        post_comment(author, author_email="MALI@example.org", notify="y", body="Update.", parent_id=str(parent_id))
    )
    inbox.clear()
    approved(app, moderator, reply_id)
    assert [m.subject for m in inbox.messages] == ['Your comment on "First field report" was published']


def test_auto_approved_comments_mail_their_confirmed_author_at_once(mail_app, inbox):
    app = mail_app(FORUM_MODERATION="post")
    comment_id_from(post_comment(app.test_client(), author_email="mali@example.org", notify="y"))
    confirmed(app, inbox, "mali@example.org")
    comment_id = comment_id_from(
        post_comment(app.test_client(), author_email="mali@example.org", notify="y", body="A second thought.")
    )
    [mail] = inbox.to("mali@example.org")
    assert f"#comment-{comment_id}" in mail.body


# --- unsubscribe links -----------------------------------------------------------


def test_forged_or_tampered_unsubscribe_tokens_are_refused(mail_app, inbox):
    app = mail_app()
    client = app.test_client()
    comment_id = comment_id_from(post_comment(client, author_email="mali@example.org", notify="y"))
    genuine = inbox.to("mali@example.org")[0].link_to("/forum/mail/confirm/").rsplit("/", 1)[1]
    page = client.get(f"/forum/unsubscribe/{genuine}")
    assert page.status_code == 200
    tampered = genuine[:-2] + ("xx" if genuine[-2:] != "xx" else "yy")
    for token in (tampered, "garbage"):
        response = client.get(f"/forum/unsubscribe/{token}")
        assert response.status_code == 400 and "Link not valid" in response.text
        assert "Stop emails" not in response.text
        posted = client.post(f"/forum/unsubscribe/{token}", data={"csrf_token": csrf_token(page.text)})
        assert posted.status_code == 400 and "Link not valid" in posted.text
    with app.app_context():
        assert hostapp.db.session.get(Comment, comment_id).notify is True


def test_unsubscribing_needs_the_forms_csrf_token(mail_app, inbox):
    app = mail_app()
    comment_id = comment_id_from(post_comment(app.test_client(), author_email="mali@example.org", notify="y"))
    token = inbox.to("mali@example.org")[0].link_to("/forum/mail/confirm/").rsplit("/", 1)[1]
    client = app.test_client()
    path = f"/forum/unsubscribe/{token}"
    client.get(path)
    response = client.post(path, data={"csrf_token": "stale"})
    assert response.status_code == 400 and "nothing was saved" in response.text
    with app.app_context():
        assert hostapp.db.session.get(Comment, comment_id).notify is True


# --- the digest ---------------------------------------------------------------------


def test_digest_mode_sends_one_list_per_run_and_nothing_when_nothing_is_new(mail_app, inbox):
    app = mail_app(FORUM_MAIL_DIGEST_MINUTES=15)
    first = comment_id_from(post_comment(app.test_client(), author_name="Mali", body="About the shelter."))
    second = comment_id_from(post_comment(app.test_client(), author_name="สมชาย", body="ขอบคุณครับ"))
    assert inbox.messages == []

    runner = app.test_cli_runner()
    result = runner.invoke(args=["forum", "mail-digest"])
    assert result.exit_code == 0, result.output
    assert "2 pending comments" in result.output
    assert sorted(r for m in inbox.messages for r in m.recipients) == sorted(MODERATORS)
    mail = inbox.to(MODERATORS[0])[0]
    assert mail.subject == "2 new comments to moderate"
    for expected in (f"#{first} by Mali", "About the shelter.", f"#{second} by สมชาย", "ขอบคุณครับ"):
        assert expected in mail.body
    assert f"{SITE}/forum/moderation/" in mail.body
    with app.app_context():
        assert hostapp.db.session.scalars(select(MailDigest.last_comment_id)).all() == [second]

    inbox.clear()
    again = runner.invoke(args=["forum", "mail-digest"])
    assert again.exit_code == 0 and again.output == ""
    assert inbox.messages == []

    third = comment_id_from(post_comment(app.test_client(), body="A third one."))
    runner.invoke(args=["forum", "mail-digest"])
    mail = inbox.to(MODERATORS[0])[0]
    assert mail.subject == "1 new comment to moderate"
    assert f"#{third} " in mail.body and f"#{first} " not in mail.body


def test_a_failed_digest_is_not_recorded_so_the_next_run_repeats_it(make_app):
    app = make_app(
        FORUM_MAIL_SERVER="127.0.0.1",
        FORUM_MAIL_PORT=free_port(),  # nothing listens there
        FORUM_MODERATOR_EMAILS=MODERATORS,
        FORUM_MAIL_DIGEST_MINUTES=15,
        FORUM_SITE_URL=SITE,
    )
    comment_id_from(post_comment(app.test_client()))
    result = app.test_cli_runner().invoke(args=["forum", "mail-digest"])
    assert result.exit_code == 1 and "could not be sent" in result.output
    with app.app_context():
        assert hostapp.db.session.scalars(select(MailDigest)).all() == []


@pytest.mark.parametrize(
    "site, expected",
    [
        (dict(SERVER_NAME="Blog.Example.org"), "http://blog.example.org/forum/moderation/"),
        (
            dict(SERVER_NAME="blog.example.org", PREFERRED_URL_SCHEME="https", APPLICATION_ROOT="/journal/"),
            "https://blog.example.org/journal/forum/moderation/",
        ),
        (
            dict(FORUM_SITE_URL="https://example.org/blog/", SERVER_NAME="internal:8000"),
            "https://example.org/blog/forum/moderation/",
        ),
    ],
)
def test_links_start_from_the_site_url_else_server_name(db_url, site, expected):
    app = hostapp.create_app(db_url, FORUM_MAIL_SERVER="127.0.0.1", **site)
    assert notify.links.dashboard_link(app, notify.links.site_base(app)) == expected


def test_the_digest_links_to_the_dashboard_on_server_name_without_a_site_url(mail_app, inbox):
    app = mail_app(FORUM_MAIL_DIGEST_MINUTES=15, FORUM_SITE_URL=None, SERVER_NAME="localhost")
    comment_id_from(post_comment(app.test_client()))
    result = app.test_cli_runner().invoke(args=["forum", "mail-digest"])
    assert result.exit_code == 0, result.output
    assert "Approve or reject them on the moderation dashboard:\nhttp://localhost/forum/moderation/\n" in (
        inbox.to(MODERATORS[0])[0].body
    )


def test_digest_refuses_to_run_with_mail_off(make_app):
    app = make_app(FORUM_MODERATOR_EMAILS=MODERATORS)
    result = app.test_cli_runner().invoke(args=["forum", "mail-digest"])
    assert (
        result.exit_code == 1 and "Mail to moderators is off" in result.output and "FORUM_MAIL_SERVER" in result.output
    )


# --- failures and switches ------------------------------------------------------------


def test_a_dead_mail_server_loses_no_comment(make_app, caplog):
    app = make_app(
        FORUM_MAIL_SERVER="127.0.0.1",
        FORUM_MAIL_PORT=free_port(),  # nothing listens there
        FORUM_MAIL_SENDER=SENDER,
        FORUM_MODERATOR_EMAILS=MODERATORS,
        FORUM_SITE_URL=SITE,
    )
    moderator = moderator_client(app)
    with caplog.at_level(logging.WARNING):
        response = post_comment(app.test_client(), author_email="mali@example.org", notify="y")
        assert response.status_code == 303
        comment_id = comment_id_from(response)
        approved(app, moderator, comment_id)
    assert stored_comments(app) == 1
    assert any("mail server 127.0.0.1" in record.getMessage() for record in caplog.records)
    # The desk is told, above the queue, that moderator mail is not getting through.
    queue = moderator.get("/forum/moderation/").text
    notice = queue.split('class="forum-error forum-mail-problem" role="alert"', 1)[1].split("</div>", 1)[0]
    assert "could not be sent" in notice and "127.0.0.1" in notice


def test_smtp_login_is_used_when_a_username_is_set(make_app):
    inbox, logins = Inbox(), []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator, auth_require_tls=False)
    controller.start()
    try:
        app = make_app(
            FORUM_MAIL_SERVER="127.0.0.1",
            FORUM_MAIL_PORT=port,
            FORUM_MAIL_SENDER=SENDER,
            FORUM_MAIL_USERNAME="forum",
            FORUM_MAIL_PASSWORD="s3cret",
            FORUM_MODERATOR_EMAILS=MODERATORS[:1],
            FORUM_SITE_URL=SITE,
        )
        comment_id_from(post_comment(app.test_client()))
    finally:
        controller.stop()
    assert logins == [(b"forum", b"s3cret")]
    assert [m.recipients for m in inbox.messages] == [[MODERATORS[0]]]


def test_the_notify_box_is_offered_only_when_mail_is_on(make_app, mail_app):
    off = make_app()
    assert 'name="notify"' not in off.test_client().get("/posts/first-report").text
    with off.app_context():
        assert notify.mail_enabled() is False
    on = mail_app()
    assert 'name="notify"' in on.test_client().get("/posts/first-report").text


def test_a_hosts_flask_mail_is_used_when_no_server_is_configured(make_app, monkeypatch):
    class Message:
        def __init__(self, **fields):
            self.fields = fields

    class FlaskMail:
        server, port = "smtp.example.org", 587

        def __init__(self):
            self.outbox: list[Message] = []

        def send(self, message: Message) -> None:
            self.outbox.append(message)

    monkeypatch.setitem(sys.modules, "flask_mail", types.SimpleNamespace(Message=Message))
    app = make_app(FORUM_MODERATOR_EMAILS=MODERATORS[:1], FORUM_SITE_URL=SITE, MAIL_SERVER="smtp.example.org")
    app.extensions["mail"] = mail = FlaskMail()
    moderator = moderator_client(app)
    assert 'name="notify"' in app.test_client().get("/posts/first-report").text
    comment_id = comment_id_from(post_comment(app.test_client(), author_email="mali@example.org", notify="y"))
    [to_moderator, confirmation] = mail.outbox
    assert to_moderator.fields["recipients"] == [MODERATORS[0]]
    assert confirmation.fields["recipients"] == ["mali@example.org"]
    link = next(word for word in confirmation.fields["body"].split() if "/forum/mail/confirm/" in word)
    assert press_the_button(app.test_client(), link).status_code == 200
    approved(app, moderator, comment_id)
    published = mail.outbox[2].fields
    assert published["recipients"] == ["mali@example.org"]
    assert published["sender"] is None  # Flask-Mail's MAIL_DEFAULT_SENDER applies
    assert published["extra_headers"]["List-Unsubscribe"].startswith(f"<{SITE}/forum/unsubscribe/")


# --- the pure parts --------------------------------------------------------------------


def test_addresses_are_masked():
    assert notify.mask_email("mali@example.org") == "m***@example.org"


def test_a_newline_in_a_title_cannot_inject_headers():
    comment = Comment(
        id=1, author_name="A", author_email=None, body_markdown="hi", moderation_reason="", parent_id=None
    )
    thread = Thread(title="Title\r\nBcc: victim@example.org", url="/x")
    mail = notify.pending_mail(comment, thread, "http://localhost/forum/moderation/", "mod@example.org")
    message = notify.to_email_message(mail, SENDER)
    assert message["Bcc"] is None and "\n" not in str(message["Subject"])
