"""The comment form's ticket: what the host page said, signed when the form
was served.

Every comment form the forum renders carries one in its ``forum_ticket``
field. It holds the thread's key and the page's title and URL as the host
passed them, so that a thread comes to exist only when a page of the site
shows its section (the first post makes the row from the ticket), and a
random nonce, so that one form posts one comment (the nonce is stored with
the comment, under a unique index). Its signing time is the form's age,
whoever carries the CSRF token and whether or not the host checks one.

Pure: the app's secret comes in as an argument.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from itsdangerous import BadData, URLSafeTimedSerializer

from .threads import Place

FIELD = "forum_ticket"
# The forum's own salt: a Flask-WTF token (or any other signed value of the
# app) never reads as a ticket.
SALT = "forum_plugin.form-ticket"
# 24 URL-safe characters: Comment.form_nonce holds 32.
NONCE_BYTES = 18
MAX_NONCE_LENGTH = 32


class TicketError(ValueError):
    """A ticket this site did not sign for this thread."""


@dataclass(frozen=True)
class Ticket:
    place: Place
    nonce: str
    signed_at: float

    def age(self, now: float | None = None) -> float:
        """Seconds since the form was served."""
        return (now if now is not None else time.time()) - self.signed_at


def _serializer(secret: str | bytes | None) -> URLSafeTimedSerializer:
    if not secret:
        raise RuntimeError("forum_plugin signs its comment forms with the app's SECRET_KEY: set one.")
    return URLSafeTimedSerializer(secret, salt=SALT)


def issue(secret: str | bytes | None, place: Place) -> str:
    """A fresh ticket for a form on ``place``."""
    # "s": the time to the microsecond (the signature's own timestamp is in
    # whole seconds, which would let a form through up to a second early).
    payload = {
        "k": place.key,
        "t": place.title,
        "u": place.url,
        "n": secrets.token_urlsafe(NONCE_BYTES),
        "s": time.time(),
    }
    return _serializer(secret).dumps(payload)


def read(secret: str | bytes | None, token: str | None, key: str) -> Ticket:
    """The ticket ``token`` if this site signed it for the thread ``key``.

    :raises TicketError: when it is missing, forged, mangled or for another thread.
    """
    if not token:
        raise TicketError("no ticket")
    try:
        payload = _serializer(secret).loads(token)
    except BadData:
        raise TicketError("not signed by this site") from None
    fields = ("k", "t", "u", "n")
    if not isinstance(payload, dict) or not all(isinstance(payload.get(name), str) for name in fields):
        raise TicketError("not a ticket")
    signed_at = payload.get("s")
    if not isinstance(signed_at, (int, float)) or isinstance(signed_at, bool):
        raise TicketError("not a ticket")
    if payload["k"] != key:
        raise TicketError("made for another thread")
    if not 0 < len(payload["n"]) <= MAX_NONCE_LENGTH:
        raise TicketError("not a ticket")
    return Ticket(Place(payload["k"], payload["t"], payload["u"]), payload["n"], float(signed_at))
