"""Error pages of the extension's own URLs: a status and a plain message.

The blueprint handles every HTTP error code itself, by code, so that a
host's ``@app.errorhandler(404)`` or ``app.register_error_handler(500, …)``
keeps answering the host's routes while the forum's routes keep showing the
forum's message. URLs under the forum's prefix that match none of its
routes come to :func:`unmatched` (a catch-all route of the blueprint), so
they too get the forum's 404, or its 405 when another method would work.
"""

from __future__ import annotations

from typing import NoReturn

from flask import Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, default_exceptions

from ..i18n import N_, LazyText, gettext, lazy_gettext

# A page's body (an HTML page or, for the forum's script, JSON) and its status.
ErrorPage = tuple[Response | str, int]

CSRF_MESSAGE = lazy_gettext(
    "This form has expired or was not sent from this site, so nothing was saved. "
    "Go back, reload the page and try again."
)
NO_SUCH_PAGE = lazy_gettext("There is no page of the comments at this address.")
WRONG_METHOD = lazy_gettext("This address does not take that kind of request.")

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

# Every code the blueprint answers with the forum's page.
HANDLED_CODES = tuple(sorted(default_exceptions))
# The response headers an error carries that the reader's client needs.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")
# The methods a forum route may take, probed to tell a 405 from a 404.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
UNMATCHED_ENDPOINT = "forum.unmatched"


def wants_json() -> bool:
    """The forum's own script asks for JSON; plain forms get pages."""
    return request.accept_mimetypes.best == "application/json"


def render_error(status: int, title: str | LazyText, message: str | LazyText) -> ErrorPage:
    # Plain text in the reader's language (messages may be lazy, or English msgids).
    title, message = gettext(str(title)), gettext(str(message))
    if wants_json():
        return jsonify(error=message), status
    return render_template("forum/error.html", title=title, message=message), status


def http_error(error: HTTPException) -> tuple[Response | str, int, list[tuple[str, str]]]:
    body, status = render_error(error.code or 500, error.name, error.description or "")
    headers = [(name, value) for name, value in error.get_headers() if name in KEPT_HEADERS]
    return body, status, headers


def form_expired() -> ErrorPage:
    """A form refused for its CSRF token: expired, or not sent from this site."""
    return render_error(400, "Form expired", CSRF_MESSAGE)


def csrf_error(error: CSRFError) -> ErrorPage:
    return form_expired()


def _methods_that_match() -> list[str]:
    """The methods some forum route other than the catch-all takes at this URL."""
    adapter = current_app.create_url_adapter(request)
    if adapter is None:  # only without a request, and here is one
        return []
    allowed = []
    for method in METHODS:
        try:
            rule, _ = adapter.match(method=method, return_rule=True)
        except HTTPException:
            continue
        if rule.endpoint != UNMATCHED_ENDPOINT:
            allowed.append(method)
    return allowed


def unmatched(path: str) -> NoReturn:
    """Any URL under the forum's prefix that no forum route takes with this method."""
    allowed = _methods_that_match()
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed, description=str(WRONG_METHOD))
    raise NotFound(str(NO_SUCH_PAGE))
