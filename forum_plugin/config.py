"""The extension's configuration keys and their defaults, in one place.

Every key is read from ``app.config`` with the ``FORUM_`` prefix and filled
with :meth:`dict.setdefault`, so a host only sets what it wants to change.
The values are read once, in :meth:`forum_plugin.Forum.init_app`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

PREFIX = "FORUM_"

DEFAULTS: dict[str, Any] = {
    # Where the blueprint is mounted.
    "URL_PREFIX": "/forum",
    # "pre": hold every comment unless a rule approves it; "post": publish
    # unless a rule holds it.
    "MODERATION": "pre",
    # Readers without an account may comment (name required, email optional).
    "ALLOW_ANONYMOUS": True,
    # Nesting levels shown; deeper replies stay at the last level.
    "MAX_DEPTH": 6,
    # Characters allowed in a comment body.
    "MAX_LENGTH": 10000,
    # A body with more links than this is held.
    "MAX_LINKS": 2,
    "BANNED_WORDS": (),
    "SUSPECT_WORDS": (),
    # Seconds an author may edit or delete a comment.
    "EDIT_WINDOW": 900,
    # Top-level comments per page of a thread.
    "PER_PAGE": 50,
    # "bleach" or "nh3".
    "SANITIZER": "bleach",
    # Posts per client, in Flask-Limiter syntax.
    "RATELIMIT": "5/minute;30/hour",
    # Where the forum's own rate-limit counts live ("memory://" for one
    # process; "redis://host:6379" for several workers). The host's
    # RATELIMIT_* settings are never read.
    "RATELIMIT_STORAGE_URI": "memory://",
    # Approved comments after which an account's comments skip the queue.
    "TRUST_AFTER": 3,
    # Reader reports that send an approved comment back to the queue.
    "FLAG_THRESHOLD": 3,
    # SMTP for notifications; nothing is sent while the server is None (unless
    # the host has Flask-Mail set up, which is then used).
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_SENDER": None,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    # The absolute base ("https://example.org" or "https://example.org/blog")
    # of every link in mail; None falls back to SERVER_NAME with
    # PREFERRED_URL_SCHEME. Mail never builds links from a request's Host.
    "SITE_URL": None,
    # Who is told of new pending comments.
    "MODERATOR_EMAILS": (),
    # 0: a mail per pending comment; N: none, but `flask forum mail-digest`
    # (run by cron every N minutes) sends one list of what came in.
    "MAIL_DIGEST_MINUTES": 0,
    # Banned authors' comments are kept as spam without telling them.
    "BAN_SILENT": False,
    # A comment form sent sooner than this after it was served is a robot's;
    # one sent later than FORM_MAX_SECONDS must be reloaded.
    "FORM_MIN_SECONDS": 2,
    "FORM_MAX_SECONDS": 2 * 3600,
    # Days after which `flask forum purge` clears comments' IP hashes.
    "IP_RETENTION_DAYS": 90,
    # Sent on the forum's own pages; None leaves the header to the host.
    "CONTENT_SECURITY_POLICY": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    # SQLite only: write-ahead logging, so readers never wait for a writer.
    "SQLITE_WAL": True,
    # None, "identicon" or "gravatar" (see the README's privacy note).
    "AVATARS": None,
    # The host's folders of forum catalogs (<dir>/<locale>/LC_MESSAGES/forum.mo),
    # searched before the forum's own.
    "TRANSLATION_DIRECTORIES": (),
}

MODERATION_MODES = ("pre", "post")
SANITIZERS = ("bleach", "nh3")


@dataclass(frozen=True)
class Settings:
    """The ``FORUM_*`` values one app runs with, checked and typed."""

    url_prefix: str
    moderation: str
    allow_anonymous: bool
    max_depth: int
    max_length: int
    max_links: int
    banned_words: tuple[str, ...]
    suspect_words: tuple[str, ...]
    edit_window: int
    per_page: int
    sanitizer: str
    ratelimit: str
    ratelimit_storage_uri: str
    trust_after: int
    flag_threshold: int
    mail_server: str | None
    mail_port: int
    mail_sender: str | None
    mail_use_tls: bool
    mail_username: str | None
    mail_password: str | None
    site_url: str | None
    moderator_emails: tuple[str, ...]
    mail_digest_minutes: int
    ban_silent: bool
    form_min_seconds: float
    form_max_seconds: float
    ip_retention_days: int
    content_security_policy: str | None
    sqlite_wal: bool
    avatars: str | None
    translation_directories: tuple[str, ...]

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Build settings from a Flask config that already holds every key.

        :raises ValueError: when a value is outside what the extension
            supports, naming the key.
        """
        values = {f.name: config[PREFIX + f.name.upper()] for f in fields(cls)}
        for name in ("banned_words", "suspect_words", "moderator_emails", "translation_directories"):
            values[name] = tuple(values[name])
        if values["moderation"] not in MODERATION_MODES:
            raise ValueError(f"FORUM_MODERATION must be one of {MODERATION_MODES}, not {values['moderation']!r}")
        if values["avatars"] not in (None, "identicon", "gravatar"):
            raise ValueError(f"FORUM_AVATARS must be None, 'identicon' or 'gravatar', not {values['avatars']!r}")
        if values["sanitizer"] not in SANITIZERS:
            raise ValueError(f"FORUM_SANITIZER must be one of {SANITIZERS}, not {values['sanitizer']!r}")
        for name in ("max_depth", "max_length", "per_page"):
            if int(values[name]) < 1:
                raise ValueError(f"FORUM_{name.upper()} must be at least 1")
        return cls(**values)


def apply_defaults(config: dict[str, Any]) -> None:
    """Fill every missing ``FORUM_*`` key of ``config`` with its default."""
    for key, value in DEFAULTS.items():
        config.setdefault(PREFIX + key, value)
