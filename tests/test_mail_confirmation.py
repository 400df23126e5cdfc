"""Double opt-in, and mail only when it can really be sent, through a real SMTP server.

- A reader's address is asked once to confirm (at most one mail a day),
  hears nothing else until its owner presses the button behind the link,
  then hears of later events only, and is never asked again.
- Two requests making one address, or claiming one confirmation, at once
  leave one row and one mail.
- Mail is on only with a FORUM_MAIL_SERVER, or the host's Flask-Mail with
  a MAIL_SERVER of its own, and a site address; otherwise there is no
  "Email me" box and no mail attempt, and ``mail_problem`` says why.
- A server that refuses (connection, login) is named by ``mail_problem``,
  on the dashboard too, until a mail goes out again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from flask_mail import Mail as FlaskMail
from sqlalchemy import func, select, update

from forum_plugin import notify
from forum_plugin.models import MailAddress, utcnow
from forum_plugin.notify import addresses

from . import hostapp
from .conftest import approve, comment_id_from, log_in, post_comment
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

MALI = "mali@example.org"
CONFIRM = "/forum/mail/confirm/"


def approved(app, moderator, comment_id: int) -> None:
    assert approve(app, moderator, comment_id).status_code == 303


def confirmations(inbox, address: str = MALI) -> list:
    return [m for m in inbox.to(address) if CONFIRM in m.body]


def notifications(inbox, address: str = MALI) -> list[str]:
    return [m.subject for m in inbox.to(address) if CONFIRM not in m.body]


def confirm(app, inbox, address: str = MALI) -> None:
    response = press_the_button(app.test_client(), confirmations(inbox, address)[-1].link_to(CONFIRM))
    assert response.status_code == 200 and "Address confirmed" in response.text


def stored_address(app, email: str = MALI) -> MailAddress:
    with app.app_context():
        address = hostapp.db.session.scalar(select(MailAddress).where(MailAddress.email == email))
        hostapp.db.session.expunge(address)
        return address


# --- double opt-in ------------------------------------------------------------------------


def test_a_confirmed_address_hears_of_later_events_and_is_never_asked_again(mail_app, inbox):
    app = mail_app()
    moderator = moderator_client(app)
    first = comment_id_from(post_comment(app.test_client(), author_email=MALI, notify="y"))
    assert len(confirmations(inbox)) == 1 and notifications(inbox) == []
    confirm(app, inbox)

    approved(app, moderator, first)
    assert notifications(inbox) == ['Your comment on "First field report" was published']
    second = comment_id_from(post_comment(app.test_client(), author_email="MALI@example.org", notify="y", body="More."))
    approved(app, moderator, second)
    assert len(confirmations(inbox)) == 1 and confirmations(inbox, "MALI@example.org") == []
    assert notifications(inbox, "MALI@example.org") == ['Your comment on "First field report" was published']


def test_what_happened_before_confirmation_is_not_sent_afterwards(mail_app, inbox):
    app = mail_app()
    moderator = moderator_client(app)
    parent = comment_id_from(post_comment(app.test_client(), author_email=MALI, notify="y"))
    approved(app, moderator, parent)
    comment_id_from(post_comment(moderator, body="Thank you.", parent_id=str(parent)))
    assert notifications(inbox) == []

    confirm(app, inbox)
    assert notifications(inbox) == []
    comment_id_from(post_comment(moderator, body="One more thing.", parent_id=str(parent)))
    assert notifications(inbox) == ['New reply to your comment on "First field report"']


def test_a_second_confirmation_mail_goes_out_only_after_a_day(mail_app, inbox):
    app = mail_app()
    for n in range(3):
        comment_id_from(post_comment(app.test_client(), author_email=MALI, notify="y", body=f"Comment {n}."))
    [first] = confirmations(inbox)
    assert stored_address(app).confirmation_sent_at is not None

    with app.app_context():
        hostapp.db.session.execute(
            update(MailAddress).values(confirmation_sent_at=utcnow() - timedelta(hours=24, minutes=1))
        )
        hostapp.db.session.commit()
    comment_id_from(post_comment(app.test_client(), author_email=MALI, notify="y", body="Comment 4."))
    [_, second] = confirmations(inbox)
    assert second.link_to(CONFIRM) == first.link_to(CONFIRM)


def test_no_confirmation_is_asked_for_a_comment_the_policy_refused(mail_app, inbox):
    app = mail_app(FORUM_BANNED_WORDS=("casino",))
    post_comment(app.test_client(), author_email=MALI, notify="y", body="Best casino bonus")
    assert inbox.to(MALI) == []


def test_a_confirmation_mail_that_could_not_be_sent_is_tried_again_with_the_next_comment(make_app):
    port = free_port()
    app = make_app(FORUM_MAIL_SERVER="127.0.0.1", FORUM_MAIL_PORT=port, FORUM_MAIL_SENDER=SENDER, FORUM_SITE_URL=SITE)
    comment_id_from(post_comment(app.test_client(), author_email=MALI, notify="y"))
    assert stored_address(app).confirmation_sent_at is None

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        comment_id_from(post_comment(app.test_client(), author_email=MALI, notify="y", body="Again."))
    finally:
        controller.stop()
    assert len(confirmations(inbox)) == 1


def test_the_confirmation_page_asks_first_then_says_it_is_done(mail_app, inbox):
    app = mail_app()
    comment_id_from(post_comment(app.test_client(), author_email=MALI, notify="y"))
    link = confirmations(inbox)[0].link_to(CONFIRM)
    client = app.test_client()
    page = open_link(client, link)
    assert page.status_code == 200
    assert "Yes, email m***@example.org" in page.text and MALI not in page.text
    assert stored_address(app).confirmed_at is None

    done = press_the_button(client, link)
    assert done.status_code == 200 and "Address confirmed" in done.text and MALI not in done.text
    assert stored_address(app).confirmed_at is not None
    again = open_link(app.test_client(), link)
    assert "Address confirmed" in again.text and "<button" not in again.text


def test_a_logged_in_readers_account_address_is_confirmed_the_same_way(mail_app, inbox):
    app = mail_app()
    moderator = moderator_client(app)
    with app.app_context():
        user = hostapp.User(username="reader", email="reader@example.org")
        hostapp.db.session.add(user)
        hostapp.db.session.commit()
        user_id = user.id
    reader = app.test_client()
    log_in(reader, user_id)
    first = comment_id_from(post_comment(reader, author_name=None, notify="y"))
    not_ticked = comment_id_from(post_comment(reader, author_name=None, body="No mail for this one."))
    assert len(confirmations(inbox, "reader@example.org")) == 1
    approved(app, moderator, first)
    assert notifications(inbox, "reader@example.org") == []

    confirm(app, inbox, "reader@example.org")
    approved(app, moderator, not_ticked)
    second = comment_id_from(post_comment(reader, author_name=None, notify="y", body="And this one."))
    approved(app, moderator, second)
    assert notifications(inbox, "reader@example.org") == ['Your comment on "First field report" was published']


def test_two_requests_storing_one_new_address_leave_one_row(app, monkeypatch):
    with app.app_context():
        session = hostapp.db.session
        stored = addresses.address_for(session, MALI)
        # The other request looked before this one stored its row.
        real_find = addresses.find
        calls = []

        def find_late(session, email):
            calls.append(email)
            return None if len(calls) == 1 else real_find(session, email)

        monkeypatch.setattr(addresses, "find", find_late)
        again = addresses.address_for(session, "Mali@Example.org")
        assert (again.id, again.token) == (stored.id, stored.token)
        assert session.scalar(select(func.count()).select_from(MailAddress)) == 1


def test_two_requests_claiming_one_confirmation_send_one(app):
    with app.app_context():
        session = hostapp.db.session
        address = addresses.address_for(session, MALI)
        now = utcnow()
        assert addresses.claim_confirmation(session, address.id, now) is True
        assert addresses.claim_confirmation(session, address.id, now) is False
        assert addresses.claim_confirmation(session, address.id, now + timedelta(hours=25)) is True


def test_tokens_are_random_and_name_nobody(app):
    with app.app_context():
        session = hostapp.db.session
        tokens = {addresses.address_for(session, f"reader{n}@example.org").token for n in range(20)}
    assert len(tokens) == 20 and all(addresses.looks_like_token(token) for token in tokens)


def test_receivers_connected_twice_mail_once(mail_app, inbox):
    app = mail_app()
    notify.connect_receivers(app)
    notify.connect_receivers(app)
    comment_id_from(post_comment(app.test_client()))
    assert sorted(r for m in inbox.messages for r in m.recipients) == sorted(MODERATORS)


# --- mail only when it can really be sent -------------------------------------------------


def flask_mail_app(make_app, **config):
    """A host that sets up Flask-Mail after the forum, as many do."""
    app = make_app(FORUM_MODERATOR_EMAILS=MODERATORS, MAIL_DEFAULT_SENDER=SENDER, **config)
    FlaskMail(app)
    return app


def test_flask_mail_without_a_server_offers_no_box_and_sends_nothing(make_app, smtp_server):
    inbox, port = smtp_server
    # Flask-Mail's own default server is 127.0.0.1: with this port, any
    # attempt would land in the inbox.
    app = flask_mail_app(make_app, FORUM_SITE_URL=SITE, MAIL_PORT=port)
    assert 'name="notify"' not in app.test_client().get("/posts/first-report").text
    comment_id_from(post_comment(app.test_client(), author_email=MALI, notify="y"))
    assert inbox.messages == []
    with app.app_context():
        assert notify.mail_enabled() is False
        assert "FORUM_MODERATOR_EMAILS is set, but no mail server is" in notify.mail_problem()
        assert hostapp.db.session.scalar(select(func.count()).select_from(MailAddress)) == 0


def test_flask_mail_with_its_own_server_carries_the_forums_mail(make_app, smtp_server):
    inbox, port = smtp_server
    app = flask_mail_app(make_app, FORUM_SITE_URL=SITE, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    assert 'name="notify"' in app.test_client().get("/posts/first-report").text
    comment_id = comment_id_from(post_comment(app.test_client(), author_email=MALI, notify="y"))
    assert sorted(r for m in inbox.messages for r in m.recipients) == sorted([*MODERATORS, MALI])
    assert f"{SITE}/forum/moderation/#queue-{comment_id}" in inbox.to(MODERATORS[0])[0].body
    with app.app_context():
        assert notify.mail_problem() is None


def test_flask_mail_without_a_site_address_is_off_logged_once_and_named(make_app, smtp_server, caplog):
    inbox, port = smtp_server
    app = flask_mail_app(make_app, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with caplog.at_level(logging.ERROR):
        assert 'name="notify"' not in app.test_client().get("/posts/first-report").text
        for n in range(2):
            comment_id_from(post_comment(app.test_client(), author_email=MALI, notify="y", body=f"Comment {n}."))
    assert inbox.messages == []
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "FORUM_SITE_URL" in errors[0]
    with app.app_context():
        assert "FORUM_SITE_URL" in notify.mail_problem()


def test_a_refusing_server_is_named_until_a_mail_goes_out_again(make_app):
    port = free_port()
    app = make_app(
        FORUM_MAIL_SERVER="127.0.0.1",
        FORUM_MAIL_PORT=port,
        FORUM_MAIL_SENDER=SENDER,
        FORUM_MODERATOR_EMAILS=MODERATORS,
        FORUM_SITE_URL=SITE,
    )
    with app.app_context():
        assert notify.mail_problem() is None
    comment_id_from(post_comment(app.test_client()))
    with app.app_context():
        problem = notify.mail_problem()
    assert problem.startswith("Mail to moderators could not be sent at ")
    assert f"the server at 127.0.0.1:{port} refused the connection (" in problem
    moderator = moderator_client(app)
    assert problem in " ".join(moderator.get("/forum/moderation/").text.split())

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        comment_id_from(post_comment(app.test_client(), body="Second try."))
    finally:
        controller.stop()
    assert len(inbox.messages) == len(MODERATORS)
    with app.app_context():
        assert notify.mail_problem() is None


def test_a_refused_login_is_named(make_app):
    def authenticator(server, session, envelope, mechanism, auth_data):
        # handled=False: aiosmtpd answers "535" itself.
        return AuthResult(success=False, handled=False)

    port = free_port()
    controller = Controller(
        Inbox(), hostname="127.0.0.1", port=port, authenticator=authenticator, auth_require_tls=False
    )
    controller.start()
    try:
        app = make_app(
            FORUM_MAIL_SERVER="127.0.0.1",
            FORUM_MAIL_PORT=port,
            FORUM_MAIL_USERNAME="forum",
            FORUM_MAIL_PASSWORD="wrong",
            FORUM_MODERATOR_EMAILS=MODERATORS,
            FORUM_SITE_URL=SITE,
        )
        comment_id_from(post_comment(app.test_client()))
    finally:
        controller.stop()
    with app.app_context():
        problem = notify.mail_problem()
    assert f"the server at 127.0.0.1:{port} did not accept the forum's user name and password (535" in problem


@pytest.mark.parametrize("config", [{}, {"FORUM_SITE_URL": SITE}])
def test_no_mail_asked_for_is_no_problem(make_app, config):
    app = make_app(**config)
    with app.app_context():
        assert notify.mail_enabled() is False and notify.mail_problem() is None
