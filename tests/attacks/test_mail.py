"""Attacks through the forum's mail, every mail read through a real SMTP server.

The host has a global CSRFProtect and FORUM_SITE_URL = https://blog.example.org/journal.

- A post sent with ``Host: evil.example`` (or ``X-Forwarded-Host`` behind a
  proxy) tries to make the forum mail moderators and readers links to the
  attacker's site: every link in every mail is on the configured site.
- A thread URL pointing elsewhere (another host, ``//host``, a backslash, a
  ``javascript:`` URL) tries to become the link in a reader's mail: the
  forum's own thread page on the site is linked instead.
- Links in mail try to leak the reader's address: no segment of any link
  decodes (base64, as a signed-but-readable token would) to an address.
- A stranger's address typed into the form with "Email me" ticked tries to
  make the forum mail the stranger the attacker's words: the stranger gets
  one confirmation mail, with none of the attacker's text, and nothing else
  until they confirm.
- A mail scanner opening the confirmation link, or a cross-site POST
  without the form's token, tries to confirm an address: neither does.
- An old signed-email unsubscribe token, or a made-up one, is refused with
  a 400 page, never a 500.
- Mail settings without any site address, or with one that is not a site,
  refuse to start, naming FORUM_SITE_URL.
- The feeds, with a site URL set, do not take their links from the Host header either.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import select, update
from werkzeug.middleware.proxy_fix import ProxyFix

from forum_plugin.models import Comment, MailAddress, Thread

from .. import hostapp
from ..conftest import approve, comment_id_from, csrf_token
from ..mailbox import (
    MODERATORS,
    SITE,
    hidden_fields,
    moderator_client,
    open_link,
    press_the_button,
    where,
)

EVIL = "http://evil.example"
MALI = "mali@example.org"


def post_from(
    client, *, base_url: str = "http://localhost", headers: dict | None = None, slug="first-report", **fields
):
    """Open a post's page at ``base_url`` and send its comment form back, hidden fields and all."""
    page = client.get(f"/posts/{slug}", base_url=base_url, headers=headers)
    assert page.status_code == 200, page.text
    data = hidden_fields(page.text, "comment-form")
    data.update(author_name="Mali", body="Thank you for this report.")
    data.update(fields)
    return client.post(
        f"/forum/threads/{slug}/comments",
        data={k: v for k, v in data.items() if v is not None},
        base_url=base_url,
        headers=headers,
    )


def approved(app, moderator, comment_id: int) -> None:
    assert approve(app, moderator, comment_id).status_code == 303
    with app.app_context():
        assert hostapp.db.session.get(Comment, comment_id).status == "approved"


def confirm(inbox, client, address: str) -> None:
    """Follow the confirmation mail ``address`` got, as its owner."""
    [mail] = [m for m in inbox.to(address) if "/forum/mail/confirm/" in m.body]
    done = press_the_button(client, mail.link_to("/forum/mail/confirm/"))
    assert done.status_code == 200, done.text


def every_link_is_on_the_site(mails) -> None:
    links = [link for mail in mails for link in mail.links]
    assert links, "the mails hold no link at all"
    assert [link for link in links if not link.startswith(SITE + "/")] == []


def test_a_host_header_cannot_redirect_mail_links(mail_app, inbox):
    app = mail_app(csrf_protect=True)
    attacker = app.test_client()
    comment_id = comment_id_from(post_from(attacker, base_url=EVIL, author_email=MALI, notify="y"))

    to_moderators = [m for m in inbox.messages if m.recipients[0] in MODERATORS]
    assert len(to_moderators) == len(MODERATORS)
    every_link_is_on_the_site(to_moderators)
    assert to_moderators[0].link_to("/forum/moderation/") == f"{SITE}/forum/moderation/#queue-{comment_id}"
    [confirmation] = inbox.to(MALI)
    every_link_is_on_the_site([confirmation])
    assert "evil.example" not in confirmation.raw.decode()

    confirm(inbox, app.test_client(), MALI)
    inbox.clear()
    approved(app, moderator_client(app), comment_id)
    [published] = inbox.to(MALI)
    every_link_is_on_the_site([published])
    assert f"{SITE}/posts/first-report?forum_comment={comment_id}#comment-{comment_id}" in published.links


def test_a_forwarded_host_cannot_redirect_reader_mail_links(mail_app, inbox):
    app = mail_app(csrf_protect=True, FORUM_MODERATION="post")
    # A host behind a proxy, trusting the proxy's X-Forwarded-Host: the
    # attacker's header reaches request.host.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_host=1)
    forwarded = {"X-Forwarded-Host": "evil.example"}
    mali = app.test_client()
    parent_id = comment_id_from(post_from(mali, headers=forwarded, author_email=MALI, notify="y"))
    confirm(inbox, mali, MALI)
    inbox.clear()

    reply_id = comment_id_from(
        post_from(app.test_client(), headers=forwarded, author_name="Nok", body="Same here.", parent_id=str(parent_id))
    )
    [reply_mail] = inbox.to(MALI)
    assert "New reply" in reply_mail.subject
    every_link_is_on_the_site([reply_mail])
    assert f"{SITE}/posts/first-report?forum_comment={reply_id}#comment-{reply_id}" in reply_mail.links


@pytest.mark.parametrize(
    "thread_url",
    ["https://evil.example/posts/first-report", "//evil.example/posts", "/\\evil.example/posts", "javascript:alert(1)"],
)
def test_a_thread_url_off_the_site_is_not_mailed(mail_app, inbox, thread_url):
    app = mail_app(csrf_protect=True)
    mali = app.test_client()
    comment_id = comment_id_from(post_from(mali, author_email=MALI, notify="y"))
    confirm(inbox, mali, MALI)
    with app.app_context():
        hostapp.db.session.execute(update(Thread).values(url=thread_url))
        hostapp.db.session.commit()
    inbox.clear()
    approved(app, moderator_client(app), comment_id)
    [published] = inbox.to(MALI)
    every_link_is_on_the_site([published])
    assert f"{SITE}/forum/threads/first-report?forum_comment={comment_id}#comment-{comment_id}" in published.links


def test_a_full_thread_url_on_the_site_itself_is_kept(mail_app, inbox):
    app = mail_app(csrf_protect=True)
    mali = app.test_client()
    comment_id = comment_id_from(post_from(mali, author_email=MALI, notify="y"))
    confirm(inbox, mali, MALI)
    with app.app_context():
        hostapp.db.session.execute(update(Thread).values(url="https://blog.example.org/journal/2026/report"))
        hostapp.db.session.commit()
    inbox.clear()
    approved(app, moderator_client(app), comment_id)
    assert f"{SITE}/2026/report?forum_comment={comment_id}#comment-{comment_id}" in inbox.to(MALI)[0].links


def decodings(segment: str) -> list[bytes]:
    """What ``segment`` reads as, base64-decoded (any alphabet, padding
    added), also inflated, as itsdangerous compresses long payloads."""
    found = []
    for alphabet in (base64.urlsafe_b64decode, base64.b64decode):
        try:
            raw = alphabet(segment + "=" * (-len(segment) % 4))
        except (binascii.Error, ValueError):
            continue
        found.append(raw)
        try:
            found.append(zlib.decompress(raw))
        except zlib.error:
            pass
    return found


def test_no_token_in_any_mail_decodes_to_an_address(mail_app, inbox):
    app = mail_app(csrf_protect=True)
    moderator = moderator_client(app)
    mali = app.test_client()
    parent_id = comment_id_from(post_from(mali, author_email=MALI, notify="y"))
    confirm(inbox, mali, MALI)
    approved(app, moderator, parent_id)
    nok = app.test_client()
    reply_id = comment_id_from(
        post_from(
            nok, author_name="Nok", author_email="nok@example.org", notify="y", body="Agreed.", parent_id=str(parent_id)
        )
    )
    confirm(inbox, nok, "nok@example.org")
    approved(app, moderator, reply_id)
    assert {r for m in inbox.messages for r in m.recipients} == {MALI, "nok@example.org", *MODERATORS}

    for mail in inbox.messages:
        for link in mail.links:
            assert "@" not in link and "%40" not in link.lower(), link
            for segment in re.split(r"[/.?&=#:]", link):
                for decoded in decodings(segment):
                    # Random bytes may hold an "@"; an address holds its domain.
                    assert b"example.org" not in decoded.lower(), (link, segment, decoded)


def test_a_strangers_address_gets_one_confirmation_and_none_of_the_attackers_words(mail_app, inbox):
    app = mail_app(csrf_protect=True)
    stranger = "stranger@example.org"
    attacker = app.test_client()
    name, words = "Bob who knows your street", "I know where you live, see you at 9"
    ids = [
        comment_id_from(post_from(attacker, author_name=name, author_email=stranger, notify="y", body=f"{words} ({n})"))
        for n in range(3)
    ]

    [confirmation] = inbox.to(stranger)
    assert confirmation.subject == "Confirm email notifications from blog.example.org"
    text = confirmation.raw.decode()
    for chosen in ("Bob", "street", "know where you live", "First field report", "first-report"):
        assert chosen not in text
    assert confirmation.link_to("/forum/mail/confirm/").startswith(f"{SITE}/forum/mail/confirm/")

    moderator = moderator_client(app)
    for comment_id in ids:
        approved(app, moderator, comment_id)
    comment_id_from(post_from(moderator, body="Thanks for writing.", parent_id=str(ids[0])))
    assert inbox.to(stranger) == [confirmation]


def test_a_mail_scanner_opening_the_confirmation_link_confirms_nothing(mail_app, inbox):
    app = mail_app(csrf_protect=True)
    comment_id = comment_id_from(post_from(app.test_client(), author_email=MALI, notify="y"))
    link = inbox.to(MALI)[0].link_to("/forum/mail/confirm/")

    scanner = app.test_client()
    for _ in range(2):
        page = open_link(scanner, link)
        assert page.status_code == 200 and "m***@example.org" in page.text and MALI not in page.text
    base_url, path = where(link)
    forged = app.test_client().post(path, base_url=base_url, data={})
    assert forged.status_code == 400 and "nothing was saved" in forged.text
    with app.app_context():
        assert hostapp.db.session.scalars(select(MailAddress.confirmed_at)).all() == [None]

    inbox.clear()
    approved(app, moderator_client(app), comment_id)
    assert inbox.to(MALI) == []


def test_an_unsubscribe_link_stops_every_thread_at_once(mail_app, inbox):
    app = mail_app(csrf_protect=True)
    moderator = moderator_client(app)
    mali = app.test_client()
    first = comment_id_from(post_from(mali, author_email=MALI, notify="y"))
    confirm(inbox, mali, MALI)
    second = comment_id_from(
        post_from(mali, slug="second-report", author_email="Mali@Example.org", notify="y", body="And on this one.")
    )
    approved(app, moderator, first)
    unsubscribe = inbox.to(MALI)[-1].link_to("/forum/unsubscribe/")
    assert f"<{unsubscribe}>" == inbox.to(MALI)[-1].message["List-Unsubscribe"]

    page = open_link(app.test_client(), unsubscribe)
    assert "m***@example.org" in page.text and MALI not in page.text.lower()
    done = press_the_button(app.test_client(), unsubscribe)
    assert done.status_code == 200 and "every page" in done.text

    inbox.clear()
    approved(app, moderator, second)
    comment_id_from(post_from(moderator, body="Thanks!", parent_id=str(first)))
    assert inbox.to(MALI) == [] and inbox.to("Mali@Example.org") == []
    with app.app_context():
        assert hostapp.db.session.scalars(select(Comment.notify)).all() == [False, False, False]


def test_an_old_signed_email_token_is_refused(mail_app, inbox):
    app = mail_app(csrf_protect=True)
    comment_id = comment_id_from(post_from(app.test_client(), author_email=MALI, notify="y"))
    confirm(inbox, app.test_client(), MALI)
    old = URLSafeSerializer(app.secret_key, salt="forum-unsubscribe").dumps(MALI)
    client = app.test_client()
    page = client.get(f"/forum/unsubscribe/{old}")
    assert page.status_code == 400 and "Link not valid" in page.text
    token = csrf_token(client.get("/posts/first-report").text)
    assert client.post(f"/forum/unsubscribe/{old}", data={"csrf_token": token}).status_code == 400
    with app.app_context():
        assert hostapp.db.session.get(Comment, comment_id).notify is True


@pytest.mark.parametrize("page", ["unsubscribe", "mail/confirm"])
@pytest.mark.parametrize("token", ["A" * 43, "x" * 5000, "é" * 43, "A" * 42 + "!", "' OR 1=1 --"])
def test_a_made_up_token_gets_a_400_page(mail_app, page, token):
    app = mail_app(csrf_protect=True)
    client = app.test_client()
    form_token = csrf_token(client.get("/posts/first-report").text)
    for response in (
        client.get(f"/forum/{page}/{token}"),
        client.post(f"/forum/{page}/{token}", data={"csrf_token": form_token}),
    ):
        assert response.status_code == 400 and "Link not valid" in response.text


def test_mail_settings_without_a_site_address_refuse_to_start(db_url):
    with pytest.raises(ValueError, match="FORUM_SITE_URL") as refused:
        hostapp.create_app(db_url, FORUM_MAIL_SERVER="smtp.example.org")
    assert "Host header" in str(refused.value)
    assert hostapp.create_app(db_url, FORUM_MAIL_SERVER="smtp.example.org", SERVER_NAME="blog.example.org")


@pytest.mark.parametrize(
    "site_url",
    [
        "javascript:alert(1)",
        "blog.example.org",
        "https://",
        "https://blog.example.org/?next=//evil.example",
        "https://blog.example.org/#top",
        "https://evil.example@blog.example.org",
        "https://blog.example.org\\@evil.example",
        "ftp://blog.example.org",
        "https://blog.example.org:port",
    ],
)
def test_a_site_url_that_is_not_a_site_refuses_to_start(db_url, site_url):
    with pytest.raises(ValueError, match="FORUM_SITE_URL"):
        hostapp.create_app(db_url, FORUM_SITE_URL=site_url)


def test_a_host_header_cannot_redirect_feed_links_when_a_site_url_is_set(mail_app, inbox):
    app = mail_app(csrf_protect=True, FORUM_MODERATION="post")
    comment_id_from(post_from(app.test_client(), base_url=EVIL))
    for path in ("/forum/feed.atom", "/forum/threads/first-report/feed.atom"):
        feed = app.test_client().get(path, base_url=EVIL).text
        assert "evil.example" not in feed
        hrefs = re.findall(r'href="([^"]+)"', feed)
        assert hrefs and all(href.startswith(SITE + "/") for href in hrefs), hrefs
        assert "<id>tag:blog.example.org," in feed
