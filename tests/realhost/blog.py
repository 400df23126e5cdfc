"""The blog's pages: posts, accounts, a contact form, draft previews."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired

from .extensions import db, limiter
from .models import Post, User

bp = Blueprint("blog", __name__)


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


class ContactForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired()])
    message = TextAreaField("Message", validators=[DataRequired()])


def _post_or_404(slug: str) -> Post:
    post = db.session.scalar(select(Post).where(Post.slug == slug))
    if post is None:
        abort(404)
    return post


def _local_path(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("blog.index")


@bp.get("/")
def index():
    posts = db.session.scalars(select(Post).order_by(Post.published.desc(), Post.id.desc())).all()
    return render_template("index.html", posts=posts)


@bp.get("/posts/<slug>")
def post(slug: str):
    found = _post_or_404(slug)
    found.views += 1
    # The view count is committed after the page, comments and all, is rendered.
    page = render_template("post.html", post=found)
    db.session.commit()
    return page


@bp.get("/drafts/<slug>/preview")
@login_required
def preview_draft(slug: str):
    """An editor sees a post as it will look; nothing about it is saved."""
    if current_user.role != "editor":
        abort(403)
    draft = Post(slug=slug, title=request.args.get("title", slug), body=request.args.get("body", ""))
    db.session.add(draft)
    page = render_template("post.html", post=draft, preview=True)
    db.session.rollback()
    return page


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data))
        if user is not None and user.check_password(form.password.data):
            login_user(user)
            return redirect(_local_path(request.args.get("next")))
        flash(_("Wrong username or password."))
    return render_template("login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("blog.index"))


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit("3/hour", methods=["POST"])
def contact():
    form = ContactForm()
    if form.validate_on_submit():
        flash(_("Thank you, %(name)s. We read every message.", name=form.name.data))
        return redirect(url_for("blog.contact"))
    return render_template("contact.html", form=form)
