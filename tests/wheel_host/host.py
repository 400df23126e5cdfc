"""A host blog written apart from the project, as a site owner would after `pip install forum_plugin-*.whl`."""

import os

from flask import Flask, render_template_string
from flask_login import LoginManager, UserMixin
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from forum_plugin import Forum

app = Flask(__name__)
app.config["SECRET_KEY"] = "wheel host"
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["HOST_DATABASE_URL"]
db = SQLAlchemy(app)
login = LoginManager(app)
CSRFProtect(app)
forum = Forum(app, db=db)


class Editor(UserMixin, db.Model):
    __tablename__ = "wheel_host_editors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    is_moderator: Mapped[bool] = mapped_column(default=True)


@login.user_loader
def load(user_id):
    return db.session.get(Editor, int(user_id))


@app.get("/notes/<slug>")
def note(slug):
    return render_template_string(
        "<h1>{{ slug }}</h1>{{ forum_comments(slug, title=slug, url=request.path) }}", slug=slug
    )
