"""Fill an empty demo database: accounts, the sample posts, a few comments."""

from __future__ import annotations

from datetime import date

from flask import url_for
from markdown_it import MarkdownIt
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from .. import comments, threads
from ..comments import Actor
from ..models import Comment
from ..policy import Draft
from ..state import db_session, get_state
from .models import Post, User, db
from .posts import POSTS

# (username, password, shown name, moderator?): printed when the demo starts.
DEMO_ACCOUNTS = (
    ("moderator", "moderate-demo", "Moderation desk", True),
    ("reader", "read-demo", "Ko Aung", False),
)

# (post slug, reply to the comment at this index or None, author, body, approve?)
SAMPLE_COMMENTS = (
    ("field-notes-from-the-border-shelter", None, "Nok", "Thank you for writing this with so much care.", True),
    (
        "field-notes-from-the-border-shelter",
        0,
        "Field team",
        "Thank you, Nok. The shelter team read every comment.",
        True,
    ),
    ("field-notes-from-the-border-shelter", 1, "Nok", "Is there a list of what the shelter needs this month?", True),
    (
        "field-notes-from-the-border-shelter",
        None,
        "Sophea",
        "ខ្ញុំចង់ស្ម័គ្រចិត្តជួយ។ How can I volunteer from Phnom Penh?",
        False,
    ),
    (
        "new-leaflets-in-four-languages",
        None,
        "Lin",
        "能否也提供繁体中文版本？Could you share a traditional Chinese version too?",
        True,
    ),
    (
        "how-to-spot-a-risky-job-ad-online",
        None,
        "Min Thu",
        "The point about *fees before the job starts* is the one my cousin missed.",
        True,
    ),
    (
        "how-to-spot-a-risky-job-ad-online",
        None,
        "Anonymous",
        "I saw an ad like this yesterday, see https://example.org/job",
        False,
    ),
)


def seed() -> None:
    """Add the demo's content if the database has none yet."""
    if db.session.scalar(select(User.id).limit(1)) is not None:
        return
    for username, password, name, moderator in DEMO_ACCOUNTS:
        db.session.add(
            User(
                username=username,
                display_name=name,
                email=f"{username}@demo.invalid",
                password_hash=generate_password_hash(password),
                is_moderator=moderator,
            )
        )
    render = MarkdownIt("commonmark").render
    for post in POSTS:
        db.session.add(
            Post(
                slug=post["slug"],
                title=post["title"],
                author=post["author"],
                published=date.fromisoformat(post["published"]),
                summary=post["summary"],
                body_html=render(post["body"]),
            )
        )
    db.session.commit()
    _seed_comments()


def _seed_comments() -> None:
    moderator = db.session.scalar(select(User).where(User.is_moderator))
    if moderator is None:
        raise RuntimeError("The demo's accounts must include a moderator.")
    by = Actor(str(moderator.id), moderator.display_name)
    titles = {post["slug"]: post["title"] for post in POSTS}
    posted: list[Comment] = []
    for slug, parent, author, body, approved in SAMPLE_COMMENTS:
        comment = comments.post(
            db_session(),
            threads.page_place(slug, titles[slug], url_for("post", slug=slug)),
            Draft(body=body, author_name=author),
            parent_id=posted[parent].id if parent is not None else None,
            settings=get_state().settings,
        ).comment
        if approved:
            comments.approve(db_session(), comment, by=by)
        posted.append(comment)
