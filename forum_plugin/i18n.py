"""The forum's own translations: a Flask-Babel domain named "forum".

The host chooses the language. When the app has Flask-Babel set up
(``"babel" in app.extensions``), the forum's strings come from
``forum_plugin/translations/<lang>/LC_MESSAGES/forum.mo`` in the locale the
host's locale selector picks (``flask_babel.get_locale()``), and dates are
formatted for that locale and the host's time zone. Without Flask-Babel, and
outside a request (the CLI, mail digests), everything is English and dates
read "1 May 2026, 09:30 UTC", as before translations existed.

Python code marks strings with :func:`gettext` / :func:`ngettext` where they
are used, :func:`lazy_gettext` where they are defined at import time (form
labels, validator messages, module constants), and :func:`N_` where a pure
module keeps the English text and a view translates it later. Templates use
the globals ``forum_``, ``forum_n`` and ``forum_p`` (names that leave the
host's own ``_`` alone); they escape the translated text and any variables
that are not :class:`~markupsafe.Markup`, and return Markup.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timezone
from functools import lru_cache
from typing import Any, Callable, Iterator

import flask_babel
from babel import Locale
from babel.dates import format_date, format_time
from flask import current_app, has_request_context
from flask_babel import Domain
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

from . import reasons
from .resources import PACKAGE

DOMAIN = "forum"
TRANSLATIONS = PACKAGE / "translations"
# The language the msgids are written in.
SOURCE_LANGUAGE = "en"

_domain = Domain(translation_directories=[str(TRANSLATIONS)], domain=DOMAIN)


try:  # the request context without two proxies: this runs for every string and date on a page
    from flask.globals import _cv_request
except ImportError:  # pragma: no cover - a Flask that moved it
    _cv_request = None


def babel_active() -> bool:
    """Whether this request is translated: the host set up Flask-Babel."""
    if _cv_request is None:  # pragma: no cover
        return has_request_context() and "babel" in current_app.extensions
    context = _cv_request.get(None)
    return context is not None and "babel" in context.app.extensions


def gettext(string: str, **variables: Any) -> str:
    """``string`` in the reader's language, formatted with ``variables``."""
    if babel_active():
        return _domain.gettext(string, **variables)
    return string % variables if variables else string


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """The form of ``singular``/``plural`` for ``num`` in the reader's
    language; ``%(num)d`` in the text is ``num``."""
    variables.setdefault("num", num)
    if babel_active():
        return _domain.ngettext(singular, plural, num, **variables)
    return (singular if num == 1 else plural) % variables


class LazyText(LazyString):
    """A string translated each time it is turned into text. Unlike
    Flask-Babel's, Jinja and markupsafe escape it like any other string."""

    def __html__(self) -> Markup:
        return escape(str(self))


def lazy_gettext(string: str, **variables: Any) -> LazyText:
    """Like :func:`gettext`, translated each time it is turned into text:
    for strings defined at import time (form labels, validator messages,
    module constants). Turn it into ``str`` before it leaves for a session
    or JSON."""
    return LazyText(gettext, string, **variables)


def N_(string: str) -> str:
    """Mark ``string`` for the catalog without translating it here: the
    code that shows it passes it through :func:`gettext`."""
    return string


# The comment statuses as moderators read them in a sentence or a tab.
STATUS_NAMES = {
    "pending": N_("pending"),
    "approved": N_("approved"),
    "rejected": N_("rejected"),
    "spam": N_("spam"),
    "deleted": N_("deleted"),
}
STATUS_TABS = {
    "pending": N_("Pending"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "spam": N_("Spam"),
    "deleted": N_("Deleted"),
}


def status_name(status: Any, *, tab: bool = False) -> str:
    """Jinja global ``forum_status``: a status (or any stored value) in the
    reader's language, "pending" or, as a tab, "Pending"; unknown values as they are."""
    value = str(getattr(status, "value", status))
    names = STATUS_TABS if tab else STATUS_NAMES
    return gettext(names[value]) if value in names else (value.capitalize() if tab else value)


def template_gettext(string: str, **variables: Any) -> Markup:
    """Jinja global ``forum_``: the translated text, escaped, with
    ``variables`` escaped unless they are Markup."""
    text = Markup(escape(gettext(string)))
    return text % variables if variables else text


def split_at(text: Markup, name: str) -> tuple[Markup, Markup]:
    """Jinja filter ``forum_split``: a translated ``forum_("to %(name)s")``
    cut around its placeholder, once a page, so that a loop over a thousand
    comments writes ``{{ before }}{{ c.author_name }}{{ after }}`` instead of
    formatting the sentence again for each."""
    before, found, after = str.partition(text, f"%({name})s")
    return (Markup(before), Markup(after)) if found else (Markup(text), Markup(""))


def template_pgettext(context: str, string: str, **variables: Any) -> Markup:
    """Jinja global ``forum_p``: like ``forum_``, for a short English word
    that other languages translate differently in another place ("By" a
    moderator, ban "By" email); ``context`` tells the two apart."""
    text = _domain.get_translations().upgettext(context, string) if babel_active() else string
    text = Markup(escape(text))
    return text % variables if variables else text


def template_ngettext(singular: str, plural: str, num: int, **variables: Any) -> Markup:
    """Jinja global ``forum_n``: :func:`ngettext` for templates, escaped like ``forum_``."""
    variables.setdefault("num", num)
    if babel_active():
        text = _domain.get_translations().ungettext(singular, plural, num)
    else:
        text = singular if num == 1 else plural
    return Markup(escape(text)) % variables


@lru_cache(maxsize=None)
def available_languages() -> tuple[str, ...]:
    """The languages the forum ships a catalog for, besides English."""
    if not TRANSLATIONS.is_dir():
        return ()
    return tuple(sorted(path.parent.parent.name for path in TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")))


def page_language() -> str:
    """The ``lang`` of the forum's own pages: the reader's locale when the
    forum has a catalog for it, else English."""
    if babel_active():
        locale = flask_babel.get_locale()
        if locale is not None:
            shipped = available_languages()
            for candidate in (str(locale), locale.language):
                if candidate in shipped:
                    return candidate.replace("_", "-")
    return SOURCE_LANGUAGE


def reason_text(stored: str) -> str:
    """Jinja filter ``forum_reason``: a stored moderation reason in the
    reader's language, values and all; one the forum did not write (a host
    rule's, a moderator's words) as it is."""
    if not babel_active():
        return stored
    found = reasons.parse(stored)
    if found is None:
        return stored
    text, values = found
    return gettext(text, **{name: reason_text(value) for name, value in values.items()})


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
    zone = flask_babel.get_timezone()
    # Babel's own order: quotes dropped, {0} the time, {1} the date.
    joined = locale.datetime_formats["medium"].replace("'", "")

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
