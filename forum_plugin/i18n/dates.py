"""Dates and times for people and machines.

Stored times are naive UTC. Machines get ISO 8601 (:func:`iso_time`).
People get :func:`localized_time`: with Flask-Babel, the request's locale
and time zone (the host's selectors); without it, and outside a request,
:func:`english_time`, "1 May 2026, 09:30 UTC".
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timezone
from functools import lru_cache
from typing import Callable, Iterator

import flask_babel
from babel import Locale
from babel.dates import format_date, format_time

from .translation import babel_active

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def english_time(moment: datetime) -> str:
    """A stored (naive UTC) time as "1 May 2026, 09:30 UTC", whatever the
    process's C locale (a page formats a thousand: no strftime)."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}, {moment.hour:02}:{moment.minute:02} UTC"


def iso_time(moment: datetime) -> str:
    """Jinja filter ``forum_isotime``: a stored (naive UTC) time as
    "2026-05-01T09:30:00Z", for machines (``<time datetime>``, the API)."""
    return moment.isoformat(timespec="seconds") + "Z"


@lru_cache(maxsize=4096)
def _local_date(locale: Locale, day: date) -> str:
    return format_date(day, "medium", locale=locale)


@lru_cache(maxsize=8192)
def _local_clock(locale: Locale, hour: int, minute: int) -> str:
    return format_time(time(hour, minute), "short", locale=locale)


def _babel_clock() -> Callable[[datetime], str]:
    """Stored times in this request's locale and time zone, both looked up once."""
    locale = flask_babel.get_locale()
    # Only called when Flask-Babel serves this request, whose locale is set.
    assert locale is not None
    zone = flask_babel.get_timezone()
    # Babel's own order: quotes dropped, {0} the time, {1} the date.
    joined: str = locale.datetime_formats["medium"].replace("'", "")

    def show(moment: datetime) -> str:
        aware = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
        local = aware.astimezone(zone)
        clock = _local_clock(locale, local.hour, local.minute)
        return joined.replace("{0}", clock).replace("{1}", _local_date(locale, local.date()))

    return show


def _clock() -> Callable[[datetime], str]:
    return _babel_clock() if babel_active() else english_time


_page_clock: ContextVar[Callable[[datetime], str] | None] = ContextVar("forum_page_clock", default=None)


@contextmanager
def one_clock() -> Iterator[None]:
    """Within the block, :func:`localized_time` uses the locale and time
    zone it finds first: for rendering a page that shows many times."""
    token = _page_clock.set(_clock())
    try:
        yield
    finally:
        _page_clock.reset(token)


def localized_time(moment: datetime) -> str:
    """Jinja filter ``forum_time``: a stored time for people to read.

    With Flask-Babel, in the request's locale and time zone (the host's
    timezone selector, UTC by default): the locale's medium date and short
    time, joined as the locale joins them ("1 พ.ค. 2026 16:30 น."); stored
    times are naive UTC. Dates and clock times are formatted once per
    locale and then remembered, since Babel takes about 10 µs a date and a
    page may show a thousand. Without Flask-Babel, :func:`english_time`.
    """
    return (_page_clock.get() or _clock())(moment)
