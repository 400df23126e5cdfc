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
outside a request (the CLI), everything is English and dates read
"1 May 2026, 09:30 UTC", as before translations existed. Mail, read by
someone other than the current reader, takes the site's default locale
through :func:`catalog_for`.

Python code marks strings with :func:`gettext` / :func:`ngettext` where they
are used, :func:`lazy_gettext` where they are defined at import time (form
labels, validator messages, module constants), and :func:`N_` where a pure
module keeps the English text and a view translates it later (it lives in
:mod:`forum_plugin.vocabulary`, which imports no Flask). Templates use
the globals ``forum_``, ``forum_n`` and ``forum_p`` (names that leave the
host's own ``_`` alone); they escape the translated text and any variables
that are not :class:`~markupsafe.Markup`, and return Markup.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

import flask_babel
from babel import Locale
from babel.support import Translations
from flask import Flask, current_app, has_request_context
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

from .. import reasons
from ..resources import PACKAGE
from ..state import EXTENSION_NAME
from ..vocabulary import N_ as N_  # where the forum's modules have long found it
from ..vocabulary import Status

DOMAIN = "forum"
TRANSLATIONS = PACKAGE / "translations"
# The language the msgids are written in.
SOURCE_LANGUAGE = "en"


def babel_active() -> bool:
    """Whether this request is translated: the host set up Flask-Babel."""
    return has_request_context() and "babel" in current_app.extensions


def _folders(app: Flask | None = None) -> tuple[str, ...]:
    """The catalog folders of ``app`` (default: the current app), the host's first."""
    state = (app or current_app).extensions.get(EXTENSION_NAME)
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


def catalog_for(app: Flask, locale: Locale) -> Translations | None:
    """The forum's strings for ``locale`` on ``app``, whatever language the
    current request is in: for mail, which goes to someone else."""
    return _catalog(_folders(app), locale)


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

    def __init__(self, translate: Callable[..., str], string: str, **variables: Any) -> None:
        # Flask-Babel's LazyString has no annotations.
        super().__init__(translate, string, **variables)  # type: ignore[no-untyped-call]

    def __html__(self) -> Markup:
        return escape(str(self))


def lazy_gettext(string: str, **variables: Any) -> LazyText:
    """Like :func:`gettext`, translated each time it is turned into text:
    for strings defined at import time (form labels, validator messages,
    module constants). Turn it into ``str`` before it leaves for a session
    or JSON."""
    return LazyText(gettext, string, **variables)


def status_name(status: Any, *, tab: bool = False) -> str:
    """Jinja global ``forum_status``: a status (or any stored value) in the
    reader's language, "pending" or, as a tab, "Pending"; unknown values as they are."""
    value = str(getattr(status, "value", status))
    try:
        known = Status(value)
    except ValueError:
        return value.capitalize() if tab else value
    return gettext(known.tab_label if tab else known.label)


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
