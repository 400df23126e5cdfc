"""Error pages of the extension's own URLs: a status and a plain message."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

CSRF_MESSAGE = (
    "This form has expired or was not sent from this site, so nothing was saved. "
    "Go back, reload the page and try again."
)


def wants_json() -> bool:
    """The forum's own script asks for JSON; plain forms get pages."""
    return request.accept_mimetypes.best == "application/json"


def render_error(status: int, title: str, message: str):
    if wants_json():
        return jsonify(error=message), status
    return render_template("forum/error.html", title=title, message=message), status


def http_error(error: HTTPException):
    return render_error(error.code or 500, error.name, error.description or "")


def csrf_error(error: CSRFError):
    return render_error(400, "Form expired", CSRF_MESSAGE)
