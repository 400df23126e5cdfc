"""The blog's own error pages, for every code it cares about."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError

HANDLED_CODES = (400, 403, 404, 429, 500)


def error_page(error: HTTPException):
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    return render_template("error.html", code=error.code, name=error.name), error.code


def register(app: Flask) -> None:
    for code in HANDLED_CODES:
        app.register_error_handler(code, error_page)
