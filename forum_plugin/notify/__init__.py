"""Email notifications: moderators hear of pending comments, authors of
their published comments and of replies to them.

Three layers, a module each, so each can be read and tested on its own:
:mod:`.compose` (pure: comments and links in, plain-text mails out),
:mod:`.receivers` and :mod:`.digest` (who is mailed about what, inside the
app) and :mod:`.delivery` (SMTP or the host's Flask-Mail, never raising).

Mail is off unless ``FORUM_MAIL_SERVER`` is set or the host has Flask-Mail;
with it off every receiver returns at once.
"""

from __future__ import annotations

from .compose import Mail, mask_email, pending_mail, read_unsubscribe_token, to_email_message, unsubscribe_token
from .delivery import deliver, mail_enabled, mail_problem
from .digest import DigestResult, digest_command, send_digest
from .receivers import on_comment_approved, on_comment_posted

__all__ = [
    "DigestResult",
    "Mail",
    "deliver",
    "digest_command",
    "mail_enabled",
    "mail_problem",
    "mask_email",
    "on_comment_approved",
    "on_comment_posted",
    "pending_mail",
    "read_unsubscribe_token",
    "send_digest",
    "to_email_message",
    "unsubscribe_token",
]
