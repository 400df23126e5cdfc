"""The demo blog's own tables: its users and its posts."""

from __future__ import annotations

from datetime import date

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

db = SQLAlchemy()


# db.Model is made when db is: mypy cannot take it for a class (Flask-SQLAlchemy 3.1).
class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "demo_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_moderator: Mapped[bool] = mapped_column(Boolean, default=False)


class Post(db.Model):  # type: ignore[name-defined,misc]  # as User
    __tablename__ = "demo_posts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(120))
    published: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
