"""The extension's configuration keys and their defaults, in one place.

Every key is read from ``app.config`` with the ``FORUM_`` prefix and filled
with :meth:`dict.setdefault`, so a host only sets what it wants to change.
The values are read once, in :meth:`forum_plugin.Forum.init_app`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

from . import site_url

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
    # The absolute base ("https://example.org" or "https://example.org/blog",
    # where the app's "/" is) of every link in mail and feeds; None falls
    # back to SERVER_NAME with PREFERRED_URL_SCHEME and APPLICATION_ROOT.
    # Mail never builds links from a request's Host, and does not start
    # without one of the two.
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
NO_SITE_FOR_MAIL = (
    "FORUM_MAIL_SERVER is set, but the forum does not know the site's address for the links in its mails: "
    "set FORUM_SITE_URL (e.g. 'https://example.org', or 'https://example.org/blog' when the app lives under "
    "/blog), or SERVER_NAME. Links in mail are never built from a request's Host header."
)
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
    def from_config(cls, config: Mapping[str, Any], root_path: str | None = None) -> Settings:
        """Build settings from a Flask config that already holds every key.
        Relative ``FORUM_TRANSLATION_DIRECTORIES`` are taken from ``root_path``
        (the app's), else from the working directory.

        :raises ValueError: when a value is outside what the extension
            supports, naming the key.
        """
        values = {f.name: config[PREFIX + f.name.upper()] for f in fields(cls)}
        for name in ("banned_words", "suspect_words", "moderator_emails"):
            values[name] = tuple(values[name])
        values["translation_directories"] = translation_directories(values["translation_directories"], root_path)
        if values["moderation"] not in MODERATION_MODES:
            raise ValueError(f"FORUM_MODERATION must be one of {MODERATION_MODES}, not {values['moderation']!r}")
        if values["avatars"] not in (None, "identicon", "gravatar"):
            raise ValueError(f"FORUM_AVATARS must be None, 'identicon' or 'gravatar', not {values['avatars']!r}")
        if values["sanitizer"] not in SANITIZERS:
            raise ValueError(f"FORUM_SANITIZER must be one of {SANITIZERS}, not {values['sanitizer']!r}")
        for name in ("max_depth", "max_length", "per_page"):
            if int(values[name]) < 1:
                raise ValueError(f"FORUM_{name.upper()} must be at least 1")
        if values["site_url"] is not None:
            values["site_url"] = site_url.check_site_url(values["site_url"])
        if values["mail_server"] and not (values["site_url"] or config.get("SERVER_NAME")):
            raise ValueError(NO_SITE_FOR_MAIL)
        return cls(**values)


def translation_directories(value: Any, root_path: str | None = None) -> tuple[str, ...]:
    """``FORUM_TRANSLATION_DIRECTORIES`` (one path or a list of them) as
    absolute paths, relative ones taken from ``root_path``.

    :raises ValueError: when one is not a path, not a readable folder, or
        holds no compiled forum catalog (``<locale>/LC_MESSAGES/forum.mo``).
    """
    key = PREFIX + "TRANSLATION_DIRECTORIES"
    paths = [value] if isinstance(value, (str, os.PathLike)) else value
    try:
        paths = [os.fspath(path) for path in paths]
    except TypeError:
        raise ValueError(f"{key} must be a folder's path or a list of them, not {value!r}") from None
    found = []
    for path in paths:
        if not isinstance(path, str) or not path:
            raise ValueError(f"{key} must be a folder's path or a list of them, not {value!r}")
        folder = Path(root_path or os.getcwd(), path).resolve()
        shown = repr(path) if str(folder) == path else f"{path!r} ({folder})"
        if not folder.is_dir():
            raise ValueError(f"{key}: {shown} is not a folder")
        if not os.access(folder, os.R_OK | os.X_OK):
            raise ValueError(f"{key}: {shown} cannot be read by this process")
        if not any(folder.glob("*/LC_MESSAGES/forum.mo")):
            raise ValueError(
                f"{key}: {shown} holds no compiled forum catalog (<locale>/LC_MESSAGES/forum.mo); "
                f"run: pybabel compile -d {folder} -D forum"
            )
        found.append(str(folder))
    return tuple(found)


def apply_defaults(config: dict[str, Any]) -> None:
    """Fill every missing ``FORUM_*`` key of ``config`` with its default."""
    for key, value in DEFAULTS.items():
        config.setdefault(PREFIX + key, value)
