"""The forum's own translations: a Flask-Babel domain named "forum".

The host chooses the language. When the app has Flask-Babel set up
(``"babel" in app.extensions``), the forum's strings come from
``<dir>/<lang>/LC_MESSAGES/forum.mo`` in the locale the host's locale
selector picks (``flask_babel.get_locale()``), and dates are formatted for
that locale and the host's time zone. The folders are the host's
``FORUM_TRANSLATION_DIRECTORIES``, then ``forum_plugin/translations``; a
string is taken from the first that translates it, so a host can add a
language or change one string of a shipped one. The host's own domain
(``messages``) and its ``BABEL_TRANSLATION_DIRECTORIES`` are never read. Without Flask-Babel, and
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
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import flask_babel
from babel import Locale
from babel.dates import format_date, format_time
from babel.support import Translations
from flask import current_app, has_request_context
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

from . import reasons
from .resources import PACKAGE
from .state import EXTENSION_NAME

DOMAIN = "forum"
TRANSLATIONS = PACKAGE / "translations"
# The language the msgids are written in.
SOURCE_LANGUAGE = "en"


def babel_active() -> bool:
    """Whether this request is translated: the host set up Flask-Babel."""
    return has_request_context() and "babel" in current_app.extensions


def _folders() -> tuple[str, ...]:
    """The current app's catalog folders, the host's first."""
    state = current_app.extensions.get(EXTENSION_NAME)
    return (*state.settings.translation_directories, str(TRANSLATIONS)) if state else (str(TRANSLATIONS),)


@lru_cache(maxsize=256)
def _catalog(folders: tuple[str, ...], locale: Locale) -> Translations | None:
    """The forum's strings for ``locale`` from ``folders``, a string from
    the first folder that has it; None when no folder has the locale."""
    found = [
        catalog
        for folder in folders
        if isinstance(catalog := Translations.load(folder, [locale], DOMAIN), Translations)
    ]
    if not found:
        return None
    merged = Translations(domain=DOMAIN)
    for catalog in reversed(found):  # the first folder's strings written last, over the others
        merged.merge(catalog)
    merged.plural = found[0].plural  # merge() keeps only the messages
    return merged


def _translations() -> Translations | None:
    """This request's catalog; None when it is not translated (no request,
    no Flask-Babel, no locale, or no catalog for it)."""
    if not babel_active():
        return None
    locale = flask_babel.get_locale()
    return None if locale is None else _catalog(_folders(), locale)


def gettext(string: str, **variables: Any) -> str:
    """``string`` in the reader's language, formatted with ``variables``."""
    catalog = _translations()
    text = string if catalog is None else catalog.ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """The form of ``singular``/``plural`` for ``num`` in the reader's
    language; ``%(num)d`` in the text is ``num``."""
    variables.setdefault("num", num)
    catalog = _translations()
    text = (singular if num == 1 else plural) if catalog is None else catalog.ungettext(singular, plural, num)
    return text % variables


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
    catalog = _translations()
    text = string if catalog is None else catalog.upgettext(context, string)
    text = Markup(escape(text))
    return text % variables if variables else text


def template_ngettext(singular: str, plural: str, num: int, **variables: Any) -> Markup:
    """Jinja global ``forum_n``: :func:`ngettext` for templates, escaped like ``forum_``."""
    variables.setdefault("num", num)
    catalog = _translations()
    text = (singular if num == 1 else plural) if catalog is None else catalog.ungettext(singular, plural, num)
    return Markup(escape(text)) % variables


@lru_cache(maxsize=None)
def _languages_in(folders: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        path.parent.parent.name for folder in folders for path in Path(folder).glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
    )


def available_languages() -> tuple[str, ...]:
    """The languages the forum ships a catalog for, besides English."""
    return tuple(sorted(_languages_in((str(TRANSLATIONS),))))


def page_language() -> str:
    """The ``lang`` of the forum's own pages: the reader's locale when the
    forum or the host has a catalog for it, else English."""
    if babel_active():
        locale = flask_babel.get_locale()
        if locale is not None:
            known = _languages_in(_folders())
            for candidate in (str(locale), locale.language):
                if candidate in known:
                    return candidate.replace("_", "-")
    return SOURCE_LANGUAGE


def reason_text(given: str | Sequence[reasons.Given]) -> str:
    """Jinja filter ``forum_reason``: reasons (a row's ``reasons``) in the
    reader's language, values and all; own words (a host rule's, a
    moderator's), and a line of text, as they are."""
    return given if isinstance(given, str) else reasons.render(given, gettext)


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
