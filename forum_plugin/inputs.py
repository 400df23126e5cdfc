"""Refusing malformed input before it reaches a form or the database.

The body of a request to one of the forum's routes is read once, by a small
WSGI middleware in front of the host's app (:class:`InputGuard`), before any
code of the host or the forum can parse it: a body larger than what a comment
can need is refused unread (or, sent in chunks, after reading just past the
cap); the rest is checked strictly — urlencoded fields, every part of a
multipart body (names, filenames, values), a JSON body (an object of
strings, as a form would send, without lone surrogates) —
for bytes that are not UTF-8 and for NUL characters. Flask is then handed
exactly the bytes that were checked, or an empty body when they were
refused, and the blueprint answers the refusal with the forum's own page
before any ``before_request`` of the host runs (:func:`guard_request`).
Requests to the host's own routes pass through untouched.
"""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from flask import Flask, abort, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder
from werkzeug.wsgi import get_content_length, get_input_stream

from .i18n import lazy_gettext

if TYPE_CHECKING:  # what PEP 3333 passes around, as typeshed names it
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# Percent-encoding can triple each byte of UTF-8 text, and a character takes
# up to four bytes: a full comment plus the other fields fits in this.
_BYTES_PER_CHARACTER = 12
_FORM_ALLOWANCE = 64 * 1024
_READ_SIZE = 64 * 1024

NOT_UTF8 = lazy_gettext("The form contained bytes that are not UTF-8 text, so nothing was saved.")
HAS_NUL = lazy_gettext("The request contained a NUL character, which no text may hold, so nothing was saved.")
MALFORMED = lazy_gettext("The form could not be read, so nothing was saved. Reload the page and try again.")

# What the middleware found wrong with a body, left in the WSGI environ for guard_request.
REFUSAL_KEY = "forum_plugin.refused_body"
TOO_LARGE = "too large"
REFUSALS = {"not utf-8": NOT_UTF8, "nul": HAS_NUL, "malformed": MALFORMED}


def strip_invisible(text: str | None) -> str | None:
    """``text`` without control and format characters (bidi overrides,
    zero-width spaces and joiners, BOM): a name must look like what it is."""
    if text is None:
        return None
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf")).strip()


def body_cap(max_length: int, host_cap: int | None) -> int:
    """The most bytes a request to the forum may send: what a comment of
    ``max_length`` characters needs, or the host's MAX_CONTENT_LENGTH if smaller."""
    cap = max_length * _BYTES_PER_CHARACTER + _FORM_ALLOWANCE
    return cap if host_cap is None else min(cap, host_cap)


# -- checking a body: pure ------------------------------------------------------------------


def _text_problem(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not utf-8"
    return "nul" if "\x00" in text else None


def _urlencoded_problem(body: bytes) -> str | None:
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return "not utf-8"
    return "nul" if any("\x00" in key or "\x00" in value for key, value in pairs) else None


def _part_name_problem(event: Field | File) -> str | None:
    """A part's name and filename, as werkzeug decoded them from its headers."""
    raw = " ".join(value for _, value in event.headers.items())
    for name in (event.name or "", getattr(event, "filename", None) or ""):
        if "\x00" in name:
            return "nul"
        # werkzeug replaces bad percent-escapes (name*=UTF-8''%FF) with U+FFFD.
        if "\ufffd" in name and "\ufffd" not in raw:
            return "not utf-8"
    return "nul" if "\x00" in raw else None


def _multipart_problem(body: bytes, boundary: str | None) -> str | None:
    if not boundary or not boundary.isascii():
        return "malformed"
    decoder = MultipartDecoder(boundary.encode("ascii"))
    decoder.receive_data(body)
    decoder.receive_data(None)
    part = bytearray()
    while True:
        try:
            event = decoder.next_event()
        except UnicodeDecodeError:  # a part's headers
            return "not utf-8"
        except ValueError:
            return "malformed"
        if isinstance(event, (Field, File)):
            problem = _part_name_problem(event)
            part.clear()
        elif isinstance(event, Data):
            part += event.data
            problem = None if event.more_data else _text_problem(bytes(part))
        elif isinstance(event, Epilogue):
            return None
        else:
            problem = None
        if problem:
            return problem


def _json_fields(value: Any) -> Iterable[str] | None:
    """The strings of a JSON body that reads as a form (Flask-WTF takes a
    JSON object for one): an object whose values are strings or lists of
    strings. None for any other shape, which no form of the forum sends."""
    if not isinstance(value, dict):
        return None
    strings = list(value)
    for item in value.values():
        items = item if isinstance(item, list) else [item]
        if not all(isinstance(text, str) for text in items):
            return None
        strings.extend(items)
    return strings


def _is_unicode_text(text: str) -> bool:
    """No lone surrogate ("\\ud800" in JSON): no database can store one."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_problem(body: bytes) -> str | None:
    try:
        value = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return "not utf-8"
    except (ValueError, RecursionError):
        return "malformed"
    strings = _json_fields(value)
    if strings is None:
        return "malformed"
    if not all(_is_unicode_text(text) for text in strings):
        return "not utf-8"
    return "nul" if any("\x00" in text for text in strings) else None


def body_problem(body: bytes, content_type: str) -> str | None:
    """What is wrong with a request body of ``content_type``, or None: a key of
    :data:`REFUSALS`. Whatever the type, it must be UTF-8 text without NUL."""
    mimetype, options = parse_options_header(content_type)
    mimetype = mimetype.lower()
    if not body:
        return None
    if mimetype == "application/x-www-form-urlencoded":
        return _urlencoded_problem(body)
    if mimetype == "multipart/form-data":
        return _multipart_problem(body, options.get("boundary"))
    if mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json")):
        return _json_problem(body)
    return _text_problem(body)


# -- the middleware: reads each forum request's body once -------------------------------------


def _has_body(environ: WSGIEnvironment) -> bool:
    chunked = environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked"
    return chunked or (get_content_length(environ) or 0) > 0


def _read_at_most(stream: IO[bytes], limit: int) -> bytes:
    body = bytearray()
    while len(body) < limit:
        chunk = stream.read(min(_READ_SIZE, limit - len(body)))
        if not chunk:
            break
        body += chunk
    return bytes(body)


def _give_flask(environ: WSGIEnvironment, body: bytes) -> None:
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)


def take_body(environ: WSGIEnvironment, cap: int) -> str | None:
    """Read the request's body (at most ``cap`` bytes), check it, and leave
    the same bytes for Flask — none at all when refused. The refusal, or None."""
    declared = get_content_length(environ)
    if declared is not None and declared > cap:
        _give_flask(environ, b"")
        return TOO_LARGE
    try:
        body = _read_at_most(get_input_stream(environ), cap + 1)
    except HTTPException:  # the client went away before sending what it declared
        _give_flask(environ, b"")
        return "malformed"
    if len(body) > cap:
        _give_flask(environ, b"")
        return TOO_LARGE
    problem = body_problem(body, environ.get("CONTENT_TYPE", ""))
    _give_flask(environ, b"" if problem else body)
    return problem


class InputGuard:
    """WSGI middleware that checks the body of every request to the forum's
    own routes (endpoints starting with ``endpoint_prefix``) before the app
    sees it. Installed by ``init_app`` around ``app.wsgi_app``."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication, endpoint_prefix: str, max_length: int) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.endpoint_prefix = endpoint_prefix
        self.max_length = max_length

    def _for_the_forum(self, environ: WSGIEnvironment) -> bool:
        try:
            probe = self.app.request_class(environ, populate_request=False, shallow=True)
            adapter = self.app.create_url_adapter(probe)
            if adapter is None:  # only without a request, and here is one
                return False
            rule, _ = adapter.match(return_rule=True)
        except HTTPException:  # no route, a redirect or an untrusted host: Flask answers it
            return False
        return str(rule.endpoint).startswith(self.endpoint_prefix)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if _has_body(environ) and self._for_the_forum(environ):
            cap = body_cap(self.max_length, self.app.config.get("MAX_CONTENT_LENGTH"))
            environ[REFUSAL_KEY] = take_body(environ, cap)
        return self.wsgi_app(environ, start_response)


def guard_request(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """The blueprint's URL value preprocessor, so that it runs before every
    ``before_request`` (the host's CSRFProtect too): answer what the
    middleware refused, and refuse NUL characters in the path and query."""
    refused = request.environ.get(REFUSAL_KEY)
    if refused == TOO_LARGE:
        abort(413)
    if refused:
        abort(400, REFUSALS[refused])
    if "\x00" in request.path or any("\x00" in key + value for key, value in request.args.items(multi=True)):
        abort(400, HAS_NUL)
