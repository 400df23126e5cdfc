"""The extension's configuration keys, their defaults and documentation, in
one place: the fields of :class:`Settings`.

Every key is read from ``app.config`` with the ``FORUM_`` prefix and filled
with :meth:`dict.setdefault`, so a host only sets what it wants to change.
The values are read once, in :meth:`forum_plugin.Forum.init_app`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping, Sequence, TypeVar

from . import markup, site_url
from .avatars import DRAWN as DRAWN_AVATARS
from .avatars import MODES as AVATAR_MODES

PREFIX = "FORUM_"

# FORUM_MODERATION: hold every comment for a moderator, or publish at once.
PRE_MODERATION = "pre"
POST_MODERATION = "post"
MODERATION_MODES = (PRE_MODERATION, POST_MODERATION)
NO_SITE_FOR_MAIL = (
    "FORUM_MAIL_SERVER is set, but the forum does not know the site's address for the links in its mails: "
    "set FORUM_SITE_URL (e.g. 'https://example.org', or 'https://example.org/blog' when the app lives under "
    "/blog), or SERVER_NAME. Links in mail are never built from a request's Host header."
)
SANITIZERS = tuple(markup.SANITIZERS)
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

# A refused comment counts against an account's trust for this many days;
# not a key: the policy reads it.
TRUST_WINDOW_DAYS = 30

T = TypeVar("T")


def _one_of(choices: Sequence[str]) -> str:
    """``a, b or c``: the choices a key takes, for its documentation and errors."""
    return f"{', '.join(choices[:-1])} or {choices[-1]}" if len(choices) > 1 else choices[0]


def _quoted(choices: Sequence[str | None]) -> list[str]:
    """Each choice as the README's table shows it: `"text"`, or `None`."""
    return ["`None`" if choice is None else f'`"{choice}"`' for choice in choices]


def setting(default: T, doc: str, *, shown: str | None = None) -> T:
    """One configuration key: its default, and the line the README's table
    says about it (``shown`` stands in for a default too long for a table).

    Typed as the default itself, so type checkers see a plain default; at
    run time it is the dataclass field that also carries the documentation.
    """
    return field(default=default, metadata={"doc": doc, "shown": shown})


@dataclass(frozen=True)
class Settings:
    """The ``FORUM_*`` values one app runs with, checked and typed.

    This class is the one list of the extension's keys: each field is the key
    ``FORUM_<FIELD NAME>`` with its type, default and one-line documentation.
    :func:`apply_defaults`, :func:`markdown_table` (the README's table, in this
    order) and the policy's :class:`~forum_plugin.policy.Context` read it.
    """

    url_prefix: str = setting("/forum", "where the forum's pages are mounted")
    moderation: str = setting(
        PRE_MODERATION,
        f'`"{PRE_MODERATION}"`: hold every comment (a moderator\'s own are approved); '
        f'`"{POST_MODERATION}"`: publish at once',
    )
    allow_anonymous: bool = setting(True, "readers without an account may comment (name required, email optional)")
    max_depth: int = setting(
        6, 'indentation levels shown; deeper replies stay at the last level, marked "in reply to NAME"'
    )
    max_length: int = setting(10000, "characters allowed in a comment")
    sanitizer: str = setting(markup.DEFAULT_SANITIZER, _one_of(_quoted(SANITIZERS)))
    max_links: int = setting(2, 'a comment with more links is held: "held: 3 links, limit 2"')
    banned_words: tuple[str, ...] = setting(
        (), "a comment with one of these is rejected, and the writer is told. Moderators add more from the dashboard"
    )
    suspect_words: tuple[str, ...] = setting(
        (), "a comment with one of these is held. Moderators add more from the dashboard"
    )
    trust_after: int = setting(
        3,
        "approved comments after which an account (never a bare email) skips the queue, "
        f"unless one was rejected in the last {TRUST_WINDOW_DAYS} days",
    )
    flag_threshold: int = setting(3, "reader reports that send an approved comment back to the queue")
    ban_silent: bool = setting(
        False,
        "keep the comments of an author banned by account or IP as spam without telling them, instead of "
        "refusing them; bans by email or domain are always silent (see Bans)",
    )
    mail_server: str | None = setting(
        None,
        "SMTP server for notifications; while it is `None` the forum sends through the app's Flask-Mail if it "
        "has one with a `MAIL_SERVER` of its own, else sends nothing. Either way mail also needs a site address "
        "(`FORUM_SITE_URL` or `SERVER_NAME`): `FORUM_MAIL_SERVER` without one makes `init_app` raise a "
        "`ValueError`",
    )
    mail_port: int = setting(25, "the SMTP server's port")
    mail_sender: str | None = setting(
        None,
        "the From address of notifications; without it, mail comes from `forum@<this machine's name>` over "
        "SMTP, or from Flask-Mail's `MAIL_DEFAULT_SENDER`",
    )
    mail_use_tls: bool = setting(False, "STARTTLS on the connection to the SMTP server")
    mail_username: str | None = setting(None, "the user name the SMTP server wants, if it wants one")
    mail_password: str | None = setting(None, "the password that goes with `FORUM_MAIL_USERNAME`")
    site_url: str | None = setting(
        None,
        'the site\'s address, e.g. `"https://example.org/blog"` (http or https, no query): every link in a mail '
        "is made from it, never from the request's `Host`. Without it, `SERVER_NAME` + `PREFERRED_URL_SCHEME`; "
        "with neither, mail does not start",
    )
    moderator_emails: tuple[str, ...] = setting((), "who is mailed about new pending comments")
    mail_digest_minutes: int = setting(
        0,
        "`0`: one mail per pending comment; `N`: no such mails, run `flask forum mail-digest` from cron every "
        "N minutes instead",
    )
    edit_window: int = setting(900, "seconds an author may edit or delete their comment")
    per_page: int = setting(
        50, "top-level comments per page of a thread (keyset pages; permalinks open the page holding the comment)"
    )
    ratelimit: str = setting(
        "5/minute;30/hour",
        "posts (and, counted apart, reports) per client address (an IPv6 client per /64)",
    )
    ratelimit_storage_uri: str = setting(
        "memory://",
        'where the forum counts them: memory is right for one process; `"redis://127.0.0.1:6379"` shares the '
        "counts between several workers. Your own `RATELIMIT_*` settings are never read",
    )
    form_min_seconds: float = setting(
        2,
        "a comment form sent sooner than this after it was served (the time signed into the form itself) is "
        "refused: a robot's",
    )
    form_max_seconds: float = setting(
        2 * 3600, "a comment form sent later than this after it was served is refused: the reader reloads it"
    )
    ip_retention_days: int = setting(90, "`flask forum purge` clears IP hashes older than this")
    content_security_policy: str | None = setting(
        STRICT_CSP,
        "the CSP of the forum's own pages; `None` leaves it to the host",
        shown="strict, see `config.py`",
    )
    sqlite_wal: bool = setting(True, "SQLite only: write-ahead logging and a busy timeout")
    avatars: str | None = setting(
        None, f"{_one_of(_quoted(DRAWN_AVATARS))}: pictures beside authors' names (see Avatars)"
    )
    translation_directories: tuple[str, ...] = setting(
        (),
        "your folders of forum catalogs (`<folder>/<locale>/LC_MESSAGES/forum.mo`), searched before the "
        "forum's own; relative to your app's root (see Translations)",
    )

    @classmethod
    def from_config(cls, config: Mapping[str, Any], root_path: str | None = None) -> Settings:
        """Build settings from a Flask config that already holds every key.
        Relative ``FORUM_TRANSLATION_DIRECTORIES`` are taken from ``root_path``
        (the app's), else from the working directory.

        :raises ValueError: when a value is outside what the extension
            supports, naming the key.
        """
        values = {spec.name: config[key(spec.name)] for spec in fields(cls)}
        for name in ("banned_words", "suspect_words", "moderator_emails"):
            values[name] = tuple(values[name])
        values["translation_directories"] = translation_directories(values["translation_directories"], root_path)
        if values["moderation"] not in MODERATION_MODES:
            raise ValueError(f"FORUM_MODERATION must be one of {MODERATION_MODES}, not {values['moderation']!r}")
        if values["avatars"] not in AVATAR_MODES:
            choices = _one_of([repr(mode) for mode in AVATAR_MODES])
            raise ValueError(f"FORUM_AVATARS must be {choices}, not {values['avatars']!r}")
        if values["sanitizer"] not in SANITIZERS:
            raise ValueError(f"FORUM_SANITIZER must be one of {SANITIZERS}, not {values['sanitizer']!r}")
        for name in ("max_depth", "max_length", "per_page"):
            if int(values[name]) < 1:
                raise ValueError(f"{key(name)} must be at least 1")
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
    name = key("translation_directories")
    paths = [value] if isinstance(value, (str, os.PathLike)) else value
    try:
        paths = [os.fspath(path) for path in paths]
    except TypeError:
        raise ValueError(f"{name} must be a folder's path or a list of them, not {value!r}") from None
    found = []
    for path in paths:
        if not isinstance(path, str) or not path:
            raise ValueError(f"{name} must be a folder's path or a list of them, not {value!r}")
        folder = Path(root_path or os.getcwd(), path).resolve()
        shown = repr(path) if str(folder) == path else f"{path!r} ({folder})"
        if not folder.is_dir():
            raise ValueError(f"{name}: {shown} is not a folder")
        if not os.access(folder, os.R_OK | os.X_OK):
            raise ValueError(f"{name}: {shown} cannot be read by this process")
        if not any(folder.glob("*/LC_MESSAGES/forum.mo")):
            raise ValueError(
                f"{name}: {shown} holds no compiled forum catalog (<locale>/LC_MESSAGES/forum.mo); "
                f"run: pybabel compile -d {folder} -D forum"
            )
        found.append(str(folder))
    return tuple(found)


DEFAULT_SETTINGS = Settings()


def key(name: str) -> str:
    """The configuration key of the :class:`Settings` field ``name``."""
    return PREFIX + name.upper()


def apply_defaults(config: dict[str, Any]) -> None:
    """Fill every missing ``FORUM_*`` key of ``config`` with its default."""
    for spec in fields(Settings):
        config.setdefault(key(spec.name), spec.default)


def markdown_table() -> str:
    """The README's configuration table, one row per key."""
    rows = ["| key | default | meaning |", "|---|---|---|"]
    for spec in fields(Settings):
        shown = spec.metadata["shown"] or f"`{_python_literal(spec.default)}`"
        rows.append(f"| `{key(spec.name)}` | {shown} | {spec.metadata['doc']} |")
    return "\n".join(rows) + "\n"


def _python_literal(value: object) -> str:
    """A default as a host writes it in its config: strings in double quotes."""
    return f'"{value}"' if isinstance(value, str) else repr(value)
