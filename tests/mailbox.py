"""A real SMTP server (aiosmtpd on 127.0.0.1) that keeps what it is sent,
and the fixtures and helpers the mail tests share.

Sending is synchronous, so every mail a request causes is in the inbox by
the time the test client returns. ``tests/conftest.py`` registers this
module as a plugin, so every test module has its fixtures without importing them.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import unescape
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from . import hostapp
from .conftest import log_in

MODERATORS = ("mod-one@example.org", "mod-two@example.org")
SENDER = "Forum <forum@blog.example.org>"
SITE = "https://blog.example.org/journal"
# Links in mail: up to whitespace or the ">" that closes a header's <...>.
LINK = re.compile(r"https?://[^\s<>]+")


@dataclass
class Received:
    recipients: list[str]
    message: EmailMessage
    raw: bytes

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_content().replace("\r\n", "\n")

    @property
    def links(self) -> list[str]:
        """Every absolute link in the body and the headers."""
        headers = "\n".join(f"{name}: {value}" for name, value in self.message.items())
        return LINK.findall(self.body) + LINK.findall(headers)

    def link_to(self, path: str) -> str:
        """The one link whose path holds ``path``."""
        [link] = {link for link in self.links if path in urlsplit(link).path}
        return link


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[Received] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(Received(list(envelope.rcpt_tos), message, envelope.original_content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.recipients]

    def clear(self) -> None:
        self.messages.clear()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A running SMTP server; yields (inbox, port)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def inbox(smtp_server):
    return smtp_server[0]


@pytest.fixture
def mail_app(make_app, smtp_server):
    """Build an app that mails through the test server, with FORUM_SITE_URL
    set to :data:`SITE`; extra config overrides."""

    def make(**config):
        settings = dict(
            FORUM_MAIL_SERVER="127.0.0.1",
            FORUM_MAIL_PORT=smtp_server[1],
            FORUM_MAIL_SENDER=SENDER,
            FORUM_MODERATOR_EMAILS=MODERATORS,
            FORUM_SITE_URL=SITE,
        )
        settings.update(config)
        return make_app(**settings)

    return make


def moderator_client(app):
    with app.app_context():
        user = hostapp.User(username="mod", email="mod@example.org", is_moderator=True)
        hostapp.db.session.add(user)
        hostapp.db.session.commit()
        user_id = user.id
    client = app.test_client()
    log_in(client, user_id)
    return client


def hidden_fields(html: str, form_id: str | None = None) -> dict[str, str]:
    """The hidden inputs of the page's first form (or the form with
    ``form_id``), whatever they are: what a browser would send back."""
    start = html.find(f'id="{form_id}"') if form_id else html.find("<form")
    assert start >= 0, "no such form on the page"
    form = html[start : html.index("</form>", start)]
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        if 'type="hidden"' in tag:
            name = re.search(r'name="([^"]*)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                fields[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    return fields


def where(link: str, site: str = SITE) -> tuple[str, str]:
    """(base_url, path) that make the test client open ``link``, a link on
    ``site``: the site's path is the app's script root."""
    parts, base = urlsplit(link), urlsplit(site)
    assert (parts.scheme, parts.netloc) == (base.scheme, base.netloc), f"{link} is not on {site}"
    assert parts.path.startswith(base.path + "/"), f"{link} is not under {site}"
    path = parts.path[len(base.path) :] + (f"?{parts.query}" if parts.query else "")
    return f"{base.scheme}://{base.netloc}{base.path}/", path


def open_link(client, link: str, site: str = SITE):
    base_url, path = where(link, site)
    return client.get(path, base_url=base_url)


def press_the_button(client, link: str, site: str = SITE):
    """Open a mail's link and press the page's one button, as its reader's
    browser would (over https, Flask-WTF wants the page as the Referer)."""
    base_url, path = where(link, site)
    page = client.get(path, base_url=base_url)
    assert page.status_code == 200, page.text
    return client.post(path, data=hidden_fields(page.text), base_url=base_url, headers={"Referer": link})
