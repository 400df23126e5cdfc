"""What the extension keeps per app, in ``app.extensions["forum"]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask
from flask.globals import app_ctx
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import Session

from .config import Settings

if TYPE_CHECKING:
    from .extension import Forum
    from .limits import RateLimits

EXTENSION_NAME = "forum"
NOT_SET_UP = "forum_plugin is not set up on this app: call Forum(app) or forum.init_app(app)"


@dataclass
class ForumState:
    """One app's forum. ``db`` is None until the app first runs when
    ``init_app`` had none to use: the host may set Flask-SQLAlchemy up later."""

    forum: Forum
    settings: Settings
    limiter: RateLimits
    db: SQLAlchemy | None = None
    setup_finished: bool = False

    @property
    def database(self) -> SQLAlchemy:
        """The Flask-SQLAlchemy instance, set by the time :func:`get_state` returns."""
        if self.db is None:
            raise RuntimeError(NOT_SET_UP)
        return self.db

    @property
    def session(self) -> Session:
        """This app context's database session: the one Flask-SQLAlchemy's
        scoped session stands for, so that code typed for a plain
        :class:`~sqlalchemy.orm.Session` gets one."""
        return self.database.session()


def current_flask_app() -> Flask:
    """The app object behind ``current_app``: signals are sent by it and
    receivers are connected to it, so the proxy itself will not do."""
    return app_ctx.app


def get_state() -> ForumState:
    """The forum state of the current app.

    :raises RuntimeError: when the forum is not set up on the current app.
    """
    app = current_flask_app()
    state = app.extensions.get(EXTENSION_NAME)
    if not isinstance(state, ForumState):
        raise RuntimeError(NOT_SET_UP)
    if not state.setup_finished:
        state.forum._finish_setup(app)
    return state


def database() -> SQLAlchemy:
    """The current app's Flask-SQLAlchemy: the host's, or the forum's own."""
    return get_state().database


def db_session() -> Session:
    """The current app's database session (:attr:`ForumState.session`)."""
    return get_state().session
