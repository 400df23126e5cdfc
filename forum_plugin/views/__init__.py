"""The extension's blueprint: thin HTTP views over the read and write sides."""

from __future__ import annotations

from flask import Blueprint, Response
from flask_wtf.csrf import CSRFError
from werkzeug.routing import BaseConverter, PathConverter

from ..avatars import GRAVATAR, GRAVATAR_ORIGIN
from ..inputs import guard_request
from ..limits import limited
from ..paging import MAX_ID
from ..resources import PACKAGE, resource_folder
from ..state import get_state
from . import api, errors, feeds, index, moderation, public, unsubscribe


class ThreadKeyConverter(PathConverter):
    """A thread key may hold slashes, but a thread's page never ends in
    "/comments": that is where its comments are posted, so a GET there is 405."""

    regex = r"[^/].*?(?<!/comments)"


def numbers_up_to(limit: int) -> str:
    """A regex matching exactly the numbers 1..``limit`` in ASCII digits
    without a leading zero: a converter's ValidationError would end routing
    (werkzeug tries no other rule), so the regex itself must refuse."""
    top = str(limit)
    options = [f"[1-9][0-9]{{0,{len(top) - 2}}}"] if len(top) > 1 else []
    for position, digit in enumerate(top):
        lowest = 1 if position == 0 else 0
        if int(digit) > lowest:
            rest = len(top) - position - 1
            options.append(f"{top[:position]}[{lowest}-{int(digit) - 1}][0-9]{{{rest}}}")
    options.append(top)
    return "(?:" + "|".join(options) + ")"


class ForumIdConverter(BaseConverter):
    """A row id as the forum writes it: ASCII digits, no leading zero, within
    what every database stores (1..MAX_ID). Anything else matches no forum
    route but the catch-all, so it is the forum's 404 rather than an
    overflow in the database."""

    regex = numbers_up_to(MAX_ID)

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


MODERATION_ROUTES = (
    ("/", "moderation", moderation.dashboard, ["GET"]),
    ("/bulk", "bulk", moderation.bulk, ["POST"]),
    ("/comments/<forum_id:comment_id>", "comment_detail", moderation.comment_detail, ["GET"]),
    ("/comments/<forum_id:comment_id>/edit", "edit_comment", moderation.edit, ["POST"]),
    ("/comments/<forum_id:comment_id>/ban", "ban_author", moderation.ban_author, ["POST"]),
    ("/comments/<forum_id:comment_id>/edits/<verdict>", "settle_edit", moderation.settle_edit, ["POST"]),
    ("/comments/<forum_id:comment_id>/<action>", "moderate", moderation.act, ["POST"]),
    ("/bans", "ban_list", moderation.ban_list, ["GET", "POST"]),
    ("/bans/<forum_id:ban_id>/delete", "lift_ban", moderation.lift_ban, ["POST"]),
    ("/words", "word_list", moderation.word_list, ["GET", "POST"]),
    ("/words/<forum_id:word_id>/delete", "remove_word", moderation.remove_word, ["POST"]),
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
        if settings.avatars == GRAVATAR:
            policy = policy.replace("img-src ", f"img-src {GRAVATAR_ORIGIN} ", 1)
        response.headers.setdefault("Content-Security-Policy", policy)
    return response


def make_blueprint() -> Blueprint:
    """The forum's routes, their input guard, headers and error pages. The
    app must know the ``thread_key`` and ``forum_id`` converters first."""
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
        "/threads/<thread_key:key>/comments", "post_comment", limited(public.post_comment, "post"), methods=["POST"]
    )
    bp.add_url_rule(
        "/comments/<forum_id:comment_id>/report",
        "report_comment",
        limited(public.report_comment, "report"),
        methods=["POST"],
    )
    bp.add_url_rule(
        "/comments/<forum_id:comment_id>/edit",
        "edit_own",
        limited(public.edit_own_comment, "post"),
        methods=["GET", "POST"],
    )
    bp.add_url_rule("/comments/<forum_id:comment_id>/delete", "delete_own", public.delete_own_comment, methods=["POST"])
    for rule, endpoint, view, methods in MODERATION_ROUTES:
        bp.add_url_rule(f"/moderation{rule}", endpoint, view, methods=methods)
    unsubscribe.register(bp)
    bp.add_url_rule("/<path:path>", "unmatched", errors.unmatched, methods=list(errors.METHODS))
    # A URL value preprocessor runs before every before_request, the host's included.
    bp.url_value_preprocessor(guard_request)
    bp.after_request(security_headers)
    bp.register_error_handler(CSRFError, errors.csrf_error)
    # By code, so that the blueprint's handlers come before the host's own handlers of those codes.
    for code in errors.HANDLED_CODES:
        bp.register_error_handler(code, errors.http_error)
    return bp
