"""The forum's index at the prefix root: what readers said lately, and where."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template, url_for

from .. import activity
from ..models import utcnow
from ..state import db_session

LATEST = 20
MOST_ACTIVE = 10
ACTIVE_WINDOW = timedelta(days=7)


def forum_index() -> str:
    """Two statements: the newest approved comments with their threads, and
    the threads with the most approved comments this week."""
    session = db_session()
    latest = activity.latest_approved(session, limit=LATEST)
    active = activity.most_active(session, since=utcnow() - ACTIVE_WINDOW, limit=MOST_ACTIVE)
    return render_template(
        "forum/index.html",
        latest=latest,
        active=active,
        excerpt=activity.excerpt,
        feed_url=url_for("forum.site_feed"),
    )
