"""The :class:`Forum` extension object."""

from __future__ import annotations

import os
import threading
from typing import Any, Callable

from flask import Flask, appcontext_pushed
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from . import i18n, identity, notify, policy, reasons, threads
from .cli import forum_cli
from .config import Settings, apply_defaults
from .importers.records import ImportedThread
from .inputs import InputGuard
from .limits import RateLimits
from .models import Base
from .state import EXTENSION_NAME, ForumState, get_state
from .views import ForumIdConverter, ThreadKeyConverter, make_blueprint, section

# Two first requests of one app may finish its setup at the same time.
_setup_lock = threading.Lock()


def default_moderator_check(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_moderator", False))


def default_user_name(user: Any) -> str:
    for attribute in ("display_name", "name", "username"):
        value = getattr(user, attribute, None)
        if value:
            return str(value)
    return str(user.get_id())


def _sqlite_pragmas(
    dbapi_connection: DBAPIConnection, connection_record: ConnectionPoolEntry, connection_proxy: PoolProxiedConnection
) -> None:
    """Tune each connection once, at its first checkout: also those the host
    opened before the forum first ran."""
    if connection_record.info.get("forum_tuned"):
        return
    cursor = dbapi_connection.cursor()
    # Writers queue instead of failing with "database is locked" when many
    # readers post at once, and readers never wait for a writer.
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
    connection_record.info["forum_tuned"] = True


def _tune_sqlite(db: SQLAlchemy) -> None:
    """Switch the current app's SQLite databases to write-ahead logging."""
    for engine in db.engines.values():
        if engine.dialect.name == "sqlite" and not event.contains(engine, "checkout", _sqlite_pragmas):
            event.listen(engine, "checkout", _sqlite_pragmas)


def _finish_on_first_context(app: Flask, **extra: Any) -> None:
    """Receiver of ``appcontext_pushed`` for an app whose setup is not finished."""
    state = app.extensions.get(EXTENSION_NAME)
    if state is not None and not state.setup_finished:
        state.forum._finish_setup(app)


class Forum:
    """Threaded, moderated comment sections for a Flask app.

    :param app: the app to set up now; or call :meth:`init_app` later, once
        per app, as many apps as you like.
    :param db: the host's Flask-SQLAlchemy instance, used for every app this
        object sets up unless :meth:`init_app` is given another.
    """

    def __init__(self, app: Flask | None = None, db: SQLAlchemy | None = None) -> None:
        self.db = db
        self._own_db: SQLAlchemy | None = None
        self.moderator_check_fn: Callable[[Any], bool] = default_moderator_check
        self.user_name_fn: Callable[[Any], str] = default_user_name
        self.host_rules: list[policy.Rule] = []
        self.import_thread_key_fn: Callable[[ImportedThread], str] | None = None
        if app is not None:
            self.init_app(app, db)

    def init_app(self, app: Flask, db: SQLAlchemy | None = None) -> None:
        """Set the forum up on ``app``.

        Fills every missing ``FORUM_*`` key with its default and reads the
        configuration once, here: later changes to ``app.config`` are not
        seen. Without a ``db`` (here or in the constructor) the app's own
        Flask-SQLAlchemy instance is used if it has one, else the forum makes
        its own on ``SQLALCHEMY_DATABASE_URI``, by default an SQLite file in
        the instance folder.

        The host's other extensions (Flask-SQLAlchemy, Flask-Login,
        CSRFProtect, Flask-Babel, Flask-Mail) may be set up before or after
        this call: what depends on them waits until the app first runs (its
        first app context), when the database is chosen and SQLite tuned.

        Adds to the app only the ``"forum"`` extension, the forum's blueprint
        and its Jinja globals, the ``flask forum`` commands and a WSGI
        middleware that checks request bodies sent to the forum's routes.

        :raises RuntimeError: when the forum is already set up on ``app``.
        :raises ValueError: when a ``FORUM_*`` value is not supported.
        """
        if EXTENSION_NAME in app.extensions:
            raise RuntimeError(
                "forum_plugin is already set up on this app. Call Forum(app) or forum.init_app(app) once per app."
            )
        apply_defaults(app.config)
        settings = Settings.from_config(app.config, root_path=app.root_path)
        app.extensions[EXTENSION_NAME] = ForumState(
            forum=self,
            settings=settings,
            limiter=RateLimits(settings.ratelimit, settings.ratelimit_storage_uri),
            db=db or self.db or app.extensions.get("sqlalchemy"),
        )
        appcontext_pushed.connect(_finish_on_first_context, sender=app)
        identity.forget_on_logout(app)
        notify.connect_receivers(app)
        app.url_map.converters.setdefault("thread_key", ThreadKeyConverter)
        app.url_map.converters.setdefault("forum_id", ForumIdConverter)
        blueprint = make_blueprint()
        app.register_blueprint(blueprint, url_prefix=settings.url_prefix)
        # Flask's documented way to add a WSGI middleware replaces this method.
        app.wsgi_app = InputGuard(  # type: ignore[method-assign]
            app, app.wsgi_app, f"{blueprint.name}.", settings.max_length
        )
        app.add_template_global(section.forum_comments, "forum_comments")
        app.add_template_global(section.forum_comment_count, "forum_comment_count")
        app.add_template_global(section.forum_comment_counts, "forum_comment_counts")
        app.add_template_global(threads.permalink, "forum_permalink")
        app.add_template_filter(i18n.iso_time, "forum_isotime")
        app.add_template_filter(i18n.localized_time, "forum_time")
        app.add_template_global(i18n.template_gettext, "forum_")
        app.add_template_global(i18n.template_ngettext, "forum_n")
        app.add_template_global(i18n.template_pgettext, "forum_p")
        app.add_template_filter(i18n.split_at, "forum_split")
        app.add_template_filter(reasons.why_held, "forum_why_held")
        app.add_template_filter(i18n.reason_text, "forum_reason")
        app.add_template_global(i18n.page_language, "forum_lang")
        app.add_template_global(i18n.status_name, "forum_status")
        app.cli.add_command(forum_cli)

    def _finish_setup(self, app: Flask) -> None:
        """What waits for the app's first context: the database (the host's
        Flask-SQLAlchemy if it has one by now, else the forum's own) and
        SQLite's tuning."""
        with _setup_lock:
            state = app.extensions[EXTENSION_NAME]
            if state.setup_finished:
                return
            if state.db is None:
                state.db = app.extensions.get("sqlalchemy") or self._make_own_db(app)
            if state.settings.sqlite_wal:
                _tune_sqlite(state.db)
            state.setup_finished = True
            appcontext_pushed.disconnect(_finish_on_first_context, sender=app)

    def _make_own_db(self, app: Flask) -> SQLAlchemy:
        os.makedirs(app.instance_path, exist_ok=True)
        default_uri = "sqlite:///" + os.path.join(app.instance_path, "forum.sqlite3")
        app.config.setdefault("SQLALCHEMY_DATABASE_URI", default_uri)
        if self._own_db is None:
            self._own_db = SQLAlchemy()
        self._own_db.init_app(app)
        return self._own_db

    def moderator_check(self, fn: Callable[[Any], bool]) -> Callable[[Any], bool]:
        """Register ``fn(user) -> bool`` deciding who moderates. Use as a decorator."""
        self.moderator_check_fn = fn
        return fn

    def policy_rule(self, fn: policy.Rule) -> policy.Rule:
        """Register ``fn(draft, context) -> Decision | None`` as a moderation rule.

        Host rules run, in the order registered, after the rules that refuse a
        comment outright (banned author, banned word, duplicate) and before
        those that approve or hold it (trusted author, links, suspect words).
        """
        self.host_rules.append(fn)
        return fn

    @property
    def rules(self) -> tuple[policy.Rule, ...]:
        """Every rule a new comment goes through, in order."""
        return policy.with_host_rules(self.host_rules)

    def user_name(self, fn: Callable[[Any], str]) -> Callable[[Any], str]:
        """Register ``fn(user) -> str`` giving a logged-in reader's shown name."""
        self.user_name_fn = fn
        return fn

    def import_thread_key(self, fn: Callable[[ImportedThread], str]) -> Callable[[ImportedThread], str]:
        """Register ``fn(thread) -> key`` naming the thread an imported post's
        comments go to (``flask forum import``); it gets an
        :class:`~forum_plugin.importers.records.ImportedThread`."""
        self.import_thread_key_fn = fn
        return fn

    @staticmethod
    def create_all() -> None:
        """Create the ``forum_`` tables of the current app's database.

        For tests and demos; production sites run ``flask forum db upgrade``.
        """
        Base.metadata.create_all(get_state().database.engine)

    @staticmethod
    def drop_all() -> None:
        """Drop the ``forum_`` tables of the current app's database, and nothing else."""
        Base.metadata.drop_all(get_state().database.engine)
