"""The demo blog: a small host site that mounts the forum the way a real one would.

Run it with ``python -m forum_plugin.demo``. It keeps an SQLite database and
its secret key in its instance folder and seeds both on first run.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import CSRFProtect, FlaskForm
from sqlalchemy import select
from werkzeug.security import check_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from .. import Forum
from .models import Post, User, db
from .seed import DEMO_ACCOUNTS, seed

SITE_NAME = "Safe Passage Field Notes"

login_manager = LoginManager()
login_manager.login_view = "login"
login_manager.login_message = "Please log in to moderate comments."
csrf = CSRFProtect()
forum = Forum()


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _secret_key(instance: Path) -> str:
    """A key made on first run and kept, so sessions survive a restart."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


def create_app(test_config: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """The demo blog; ``test_config`` overrides its settings (e.g. the database)."""
    app = Flask(__name__, instance_path=instance_path)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(
        SECRET_KEY=_secret_key(instance),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'demo.sqlite3'}",
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    if test_config:
        app.config.update(test_config)
    db.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    forum.init_app(app, db=db)
    _register_views(app)
    with app.test_request_context():
        db.create_all()
        forum.create_all()
        seed()
    return app


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("index")


def _register_views(app: Flask) -> None:
    @app.context_processor
    def layout_context() -> dict[str, object]:
        return {
            "site_name": SITE_NAME,
            "logout_form": FlaskForm(),
            "is_moderator": forum.moderator_check_fn(current_user),
        }

    @app.get("/")
    def index() -> str:
        posts = db.session.scalars(select(Post).order_by(Post.published.desc())).all()
        return render_template("index.html", posts=posts)

    @app.get("/posts/<slug>")
    def post(slug: str) -> str:
        found = db.session.scalar(select(Post).where(Post.slug == slug))
        if found is None:
            abort(404)
        return render_template("post.html", post=found)

    @app.route("/login", methods=["GET", "POST"])
    def login() -> ResponseReturnValue:
        form = LoginForm()
        if form.validate_on_submit():
            user = db.session.scalar(select(User).where(User.username == form.username.data))
            if user and check_password_hash(user.password_hash, form.password.data or ""):
                login_user(user)
                return redirect(_safe_next(request.args.get("next")))
            flash("That username and password do not match a demo account.")
        return render_template("login.html", form=form, accounts=DEMO_ACCOUNTS)

    @app.post("/logout")
    def logout() -> ResponseReturnValue:
        logout_user()
        return redirect(url_for("index"))
