"""A small host site, written the way a Flask blog would mount the forum."""

from __future__ import annotations

from flask import Flask, abort, render_template_string, request
from flask_login import LoginManager, UserMixin
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from forum_plugin import Forum

db = SQLAlchemy()
login = LoginManager()
login.login_view = "login"


class User(UserMixin, db.Model):
    __tablename__ = "host_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    email: Mapped[str] = mapped_column(String(200))
    is_moderator: Mapped[bool] = mapped_column(Boolean, default=False)


@login.user_loader
def load_user(user_id: str):
    return db.session.get(User, int(user_id))


POSTS = {
    "first-report": "First field report",
    "second-report": "Second field report",
}

POST_PAGE = """<!doctype html><title>{{ title }}</title>
<h1>{{ title }}</h1>
{{ forum_comments(slug, title=title, url=request.path) }}"""

INDEX_PAGE = """{% set counts = forum_comment_counts(slugs) %}
<ul>{% for slug in slugs %}<li data-slug="{{ slug }}">{{ counts[slug] }}</li>{% endfor %}</ul>"""


def create_app(database_url: str, *, csrf_protect: bool = False, forum: Forum | None = None, **config) -> Flask:
    app = Flask(__name__)
    # Tests post the moment a page is served and many times a minute; the
    # bot and rate-limit tests set these back to what a site would run.
    config.setdefault("FORUM_FORM_MIN_SECONDS", 0)
    config.setdefault("FORUM_RATELIMIT", "10000/minute")
    app.config.update(
        SECRET_KEY="host secret",
        SQLALCHEMY_DATABASE_URI=database_url,
        **config,
    )
    db.init_app(app)
    login.init_app(app)
    if csrf_protect:
        CSRFProtect(app)
    (forum or Forum()).init_app(app, db=db)

    @app.get("/posts/<slug>")
    def post(slug):
        if slug not in POSTS:
            abort(404)
        return render_template_string(POST_PAGE, slug=slug, title=POSTS[slug])

    @app.get("/")
    def index():
        return render_template_string(INDEX_PAGE, slugs=request.args.getlist("slug") or list(POSTS))

    @app.get("/login", endpoint="login")
    def login_page():
        return "Please log in"

    return app
