"""Email notifications: moderators hear of pending comments, authors of
their published comments and of replies to them.

Layers, a module each, so each can be read and tested on its own:
:mod:`.texts` (the mails' words: templates under ``forum/email/``, in the
site's language, a host's own first), :mod:`.compose` (comments and links
in, plain-text mails out),
:mod:`.links` (every link on the site's configured address, never the
request's), :mod:`.addresses` (readers' addresses, their double opt-in and
their random tokens), :mod:`.receivers` and :mod:`.digest` (who is mailed
about what, inside the app) and :mod:`.delivery` (SMTP or the host's
Flask-Mail, never raising, remembering what went wrong).

Mail is off unless it can really be sent: ``FORUM_MAIL_SERVER``, or the
host's Flask-Mail with its own ``MAIL_SERVER``, and a site address
(``FORUM_SITE_URL`` or ``SERVER_NAME``). With it off every receiver returns
at once. :func:`connect_receivers` connects the receivers for one app.
"""

from __future__ import annotations

from .compose import Mail, confirmation_mail, mask_email, pending_mail, to_email_message
from .delivery import deliver, mail_enabled, mail_off_reason, mail_problem
from .digest import DigestResult, digest_command, send_digest
from .receivers import connect_receivers, on_comment_approved, on_comment_posted

__all__ = [
    "DigestResult",
    "Mail",
    "confirmation_mail",
    "connect_receivers",
    "deliver",
    "digest_command",
    "mail_enabled",
    "mail_off_reason",
    "mail_problem",
    "mask_email",
    "on_comment_approved",
    "on_comment_posted",
    "pending_mail",
    "send_digest",
    "to_email_message",
]
