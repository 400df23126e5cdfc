"""The extension's blueprint: thin HTTP views over the read and write sides."""

from __future__ import annotations

from flask import Blueprint
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..resources import PACKAGE, resource_folder
from . import errors, moderation, public


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
    bp.add_url_rule("/moderation/", "moderation", moderation.queue, methods=["GET"])
    bp.add_url_rule(
        "/moderation/comments/<int:comment_id>/<action>", "moderate", moderation.act, methods=["POST"]
    )
    bp.register_error_handler(CSRFError, errors.csrf_error)
    bp.register_error_handler(HTTPException, errors.http_error)
    return bp
