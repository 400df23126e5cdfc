"""Error pages of the extension's own URLs: a status and a plain message."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..i18n import N_, gettext, lazy_gettext

CSRF_MESSAGE = lazy_gettext(
    "This form has expired or was not sent from this site, so nothing was saved. "
    "Go back, reload the page and try again."
)

# Error pages' titles and werkzeug's texts the forum may show, in English
# here; render_error translates them.
SHOWN_IN_ERRORS = (
    N_("Form expired"),
    N_("Bad Request"),
    N_("Unauthorized"),
    N_("Forbidden"),
    N_("Not Found"),
    N_("Method Not Allowed"),
    N_("Request Entity Too Large"),
    N_("The data value transmitted exceeds the capacity limit."),
    N_("Too Many Requests"),
    N_("Internal Server Error"),
)


def wants_json() -> bool:
    """The forum's own script asks for JSON; plain forms get pages."""
    return request.accept_mimetypes.best == "application/json"


def render_error(status: int, title: str, message: str):
    # Plain text in the reader's language (messages may be lazy, or English msgids).
    title, message = gettext(str(title)), gettext(str(message))
    if wants_json():
        return jsonify(error=message), status
    return render_template("forum/error.html", title=title, message=message), status


def http_error(error: HTTPException):
    return render_error(error.code or 500, error.name, error.description or "")


def csrf_error(error: CSRFError):
    return render_error(400, "Form expired", CSRF_MESSAGE)
