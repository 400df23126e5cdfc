"""A blog built the way real Flask sites are, with the forum mounted as the README says.

An app factory; Flask-SQLAlchemy with the blog's own models; Flask-Login;
Flask-Migrate told to leave the forum's tables alone; Flask-Babel with the
blog's own ``messages`` catalog and locale selector; Flask-Mail without a
server; a global CSRFProtect; a Flask-Limiter with a default limit for every
route; error pages of its own.
"""

from __future__ import annotations

from typing import Any, Mapping

from flask import Flask, request
from flask_babel import get_locale
from flask_login import current_user

from forum_plugin.migrating import skip_forum_tables

from . import blog, errors
from .extensions import babel, csrf, db, forum, limiter, login, mail, migrate

LANGUAGES = ("en", "th")


def choose_locale() -> str | None:
    return (
        request.args.get("lang")
        if request.args.get("lang") in LANGUAGES
        else request.accept_languages.best_match(LANGUAGES)
    )


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY="the blog's own secret",
        SQLALCHEMY_DATABASE_URI="sqlite:///blog.sqlite3",
        RATELIMIT_DEFAULT="50/hour",
        RATELIMIT_STORAGE_URI="memory://",
        MAIL_DEFAULT_SENDER="blog@example.org",
        MIGRATIONS_DIRECTORY="migrations",
    )
    app.config.update(config or {})
    db.init_app(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIRECTORY"], include_name=skip_forum_tables)
    login.init_app(app)
    babel.init_app(app, locale_selector=choose_locale)
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    forum.init_app(app, db=db)
    app.register_blueprint(blog.bp)
    errors.register(app)

    @app.context_processor
    def layout_context():
        return {"is_editor": forum.moderator_check_fn(current_user), "page_language": str(get_locale())}

    return app
