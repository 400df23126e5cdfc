"""The extension's blueprint: thin HTTP views over the read and write sides."""

from __future__ import annotations

from flask import Blueprint, Response
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import PathConverter

from ..avatars import GRAVATAR_ORIGIN
from ..inputs import guard_request
from ..limits import limited
from ..resources import PACKAGE, resource_folder
from ..state import get_state
from . import api, errors, feeds, index, moderation, public, unsubscribe


class ThreadKeyConverter(PathConverter):
    """A thread key may hold slashes, but a thread's page never ends in
    "/comments": that is where its comments are posted, so a GET there is 405."""

    regex = r"[^/].*?(?<!/comments)"


MODERATION_ROUTES = (
    ("/", "moderation", moderation.dashboard, ["GET"]),
    ("/bulk", "bulk", moderation.bulk, ["POST"]),
    ("/comments/<int:comment_id>", "comment_detail", moderation.comment_detail, ["GET"]),
    ("/comments/<int:comment_id>/edit", "edit_comment", moderation.edit, ["POST"]),
    ("/comments/<int:comment_id>/ban", "ban_author", moderation.ban_author, ["POST"]),
    ("/comments/<int:comment_id>/edits/<verdict>", "settle_edit", moderation.settle_edit, ["POST"]),
    ("/comments/<int:comment_id>/<action>", "moderate", moderation.act, ["POST"]),
    ("/bans", "ban_list", moderation.ban_list, ["GET", "POST"]),
    ("/bans/<int:ban_id>/delete", "lift_ban", moderation.lift_ban, ["POST"]),
    ("/words", "word_list", moderation.word_list, ["GET", "POST"]),
    ("/words/<int:word_id>/delete", "remove_word", moderation.remove_word, ["POST"]),
    ("/log", "moderation_log", moderation.log, ["GET"]),
)


def security_headers(response: Response) -> Response:
    """The forum's own pages cannot be framed, leak no address in Referer and
    run no script but the forum's static file."""
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    settings = get_state().settings
    policy = settings.content_security_policy
    if policy:
        if settings.avatars == "gravatar":
            policy = policy.replace("img-src ", f"img-src {GRAVATAR_ORIGIN} ", 1)
        response.headers.setdefault("Content-Security-Policy", policy)
    return response


def make_blueprint(limiter: Limiter) -> Blueprint:
    bp = Blueprint(
        "forum",
        __name__,
        template_folder=str(resource_folder("templates")),
        static_folder=str(PACKAGE / "static"),
        static_url_path="/static",
    )
    bp.add_url_rule("/", "index", index.forum_index, methods=["GET"])
    bp.add_url_rule("/feed.atom", "site_feed", feeds.site_feed, methods=["GET"])
    bp.add_url_rule("/threads/<thread_key:key>/feed.atom", "thread_feed", feeds.thread_feed, methods=["GET"])
    bp.add_url_rule("/api/threads/<thread_key:key>/comments", "api_comments", api.thread_comments, methods=["GET"])
    bp.add_url_rule("/api/counts", "api_counts", api.counts, methods=["GET"])
    bp.add_url_rule("/threads/<thread_key:key>", "thread", public.thread_page, methods=["GET"])
    bp.add_url_rule(
        "/threads/<thread_key:key>/comments", "post_comment", limited(limiter, public.post_comment, "post"), methods=["POST"]
    )
    bp.add_url_rule(
        "/comments/<int:comment_id>/report",
        "report_comment",
        limited(limiter, public.report_comment, "report"),
        methods=["POST"],
    )
    bp.add_url_rule(
        "/comments/<int:comment_id>/edit",
        "edit_own",
        limited(limiter, public.edit_own_comment, "post"),
        methods=["GET", "POST"],
    )
    bp.add_url_rule("/comments/<int:comment_id>/delete", "delete_own", public.delete_own_comment, methods=["POST"])
    for rule, endpoint, view, methods in MODERATION_ROUTES:
        bp.add_url_rule(f"/moderation{rule}", endpoint, view, methods=methods)
    unsubscribe.register(bp)
    bp.before_request(guard_request)
    bp.after_request(security_headers)
    bp.register_error_handler(CSRFError, errors.csrf_error)
    bp.register_error_handler(HTTPException, errors.http_error)
    return bp
