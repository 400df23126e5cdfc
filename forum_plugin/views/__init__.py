"""The extension's blueprint: thin HTTP views over the read and write sides."""

from __future__ import annotations

from flask import Blueprint
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..resources import PACKAGE, resource_folder
from . import errors, moderation, public, unsubscribe

MODERATION_ROUTES = (
    ("/", "moderation", moderation.dashboard, ["GET"]),
    ("/bulk", "bulk", moderation.bulk, ["POST"]),
    ("/comments/<int:comment_id>", "comment_detail", moderation.comment_detail, ["GET"]),
    ("/comments/<int:comment_id>/edit", "edit_comment", moderation.edit, ["POST"]),
    ("/comments/<int:comment_id>/ban", "ban_author", moderation.ban_author, ["POST"]),
    ("/comments/<int:comment_id>/<action>", "moderate", moderation.act, ["POST"]),
    ("/bans", "ban_list", moderation.ban_list, ["GET", "POST"]),
    ("/bans/<int:ban_id>/delete", "lift_ban", moderation.lift_ban, ["POST"]),
    ("/words", "word_list", moderation.word_list, ["GET", "POST"]),
    ("/words/<int:word_id>/delete", "remove_word", moderation.remove_word, ["POST"]),
    ("/log", "moderation_log", moderation.log, ["GET"]),
)


def make_blueprint() -> Blueprint:
    bp = Blueprint(
        "forum",
        __name__,
        template_folder=str(resource_folder("templates")),
        static_folder=str(PACKAGE / "static"),
        static_url_path="/static",
    )
    bp.add_url_rule("/threads/<path:key>", "thread", public.thread_page, methods=["GET"])
    bp.add_url_rule("/threads/<path:key>/comments", "post_comment", public.post_comment, methods=["POST"])
    bp.add_url_rule("/comments/<int:comment_id>/report", "report_comment", public.report_comment, methods=["POST"])
    for rule, endpoint, view, methods in MODERATION_ROUTES:
        bp.add_url_rule(f"/moderation{rule}", endpoint, view, methods=methods)
    bp.add_url_rule("/unsubscribe/<token>", "unsubscribe", unsubscribe.unsubscribe, methods=["GET", "POST"])
    bp.register_error_handler(CSRFError, errors.csrf_error)
    bp.register_error_handler(HTTPException, errors.http_error)
    return bp
