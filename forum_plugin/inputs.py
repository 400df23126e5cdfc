"""Refusing malformed input before it reaches a form or the database."""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qsl

from flask import abort, request

from .i18n import lazy_gettext
from .state import get_state

# Percent-encoding can triple each byte of UTF-8 text, and a character takes
# up to four bytes: a full comment plus the other fields fits in this.
_BYTES_PER_CHARACTER = 12
_FORM_ALLOWANCE = 64 * 1024

NOT_UTF8 = lazy_gettext("The form contained bytes that are not UTF-8 text, so nothing was saved.")
HAS_NUL = lazy_gettext("The request contained a NUL character, which no text may hold, so nothing was saved.")


def strip_invisible(text: str | None) -> str | None:
    """``text`` without control and format characters (bidi overrides,
    zero-width spaces and joiners, BOM): a name must look like what it is."""
    if text is None:
        return None
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf")).strip()


def _posted_pairs() -> list[tuple[str, str]]:
    """The form's fields decoded strictly; werkzeug would quietly replace bad bytes."""
    if request.mimetype != "application/x-www-form-urlencoded":
        return list(request.form.items(multi=True))
    try:
        return parse_qsl(request.get_data(cache=True).decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        abort(400, NOT_UTF8)


def guard_request() -> None:
    """Blueprint hook: cap a POST's size by what a comment can need, and
    refuse NUL characters and malformed UTF-8 anywhere in the request."""
    if "\x00" in request.path or any("\x00" in key + value for key, value in request.args.items(multi=True)):
        abort(400, HAS_NUL)
    if request.method != "POST":
        return
    cap = get_state().settings.max_length * _BYTES_PER_CHARACTER + _FORM_ALLOWANCE
    host_cap = request.max_content_length
    request.max_content_length = cap if host_cap is None else min(cap, host_cap)
    if any("\x00" in key + value for key, value in _posted_pairs()):
        abort(400, HAS_NUL)
