"""Telling people from scripts on the comment form: a honeypot field, and
how long the form was open.

The form's age comes from its CSRF token, which Flask-WTF signs with the
time it was made: no extra field to forge, and any client that sends the
form's token is timed.
"""

from __future__ import annotations

import time

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from .i18n import gettext, lazy_gettext

# Flask-WTF signs its form tokens with this salt.
_CSRF_SALT = "wtf-csrf-token"


def form_age(token: str | None, now: float | None = None) -> float | None:
    """Seconds since the form carrying ``token`` was served; None when there
    is no readable token (CSRF switched off, or a token CSRF already refused)."""
    if not token:
        return None
    secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    try:
        _, signed_at = URLSafeTimedSerializer(secret, salt=_CSRF_SALT).loads(token, return_timestamp=True)
    except BadData:
        return None
    return (now if now is not None else time.time()) - signed_at.timestamp()


def timing_problem(age: float | None, minimum: float, maximum: float) -> str | None:
    """What to tell a reader whose form was sent too soon or too late, if anything."""
    if age is None:
        return None
    if age < minimum:
        return gettext(
            "That was quick: to keep out robots, a comment can be sent %(seconds)s seconds after "
            "the page opened at the earliest. Your text is still here; please post it again.",
            seconds=f"{minimum:g}",
        )
    if age > maximum:
        return gettext(
            "This page was opened more than %(hours)s hours ago. Your text is still here; please post it again.",
            hours=f"{maximum / 3600:g}",
        )
    return None


HONEYPOT_MESSAGE = lazy_gettext("Your comment looks automated, so it was not posted.")
