"""The words of the forum's mails: Jinja templates under ``forum/email/``,
in one language.

Each template has a ``subject`` block and a ``body`` block. They are plain
text, so nothing in them is HTML-escaped; the subject is joined onto one
line whatever a template or a translation holds, so no value can add a
header. In them ``forum_()`` and ``forum_n()`` translate like the pages'
globals of the same names, but return plain text in the mail's language.

On an app the templates come through its Jinja loader, so a host overrides
a mail the way it overrides a page (its own ``templates/forum/email/...``),
and the language is the site's (Flask-Babel's default locale), never the
request's: a mail is read by someone other than the reader who caused it,
often long after, and the digest is sent from cron with no request at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import flask_babel
from babel import Locale
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .. import i18n
from ..resources import resource_folder

if TYPE_CHECKING:
    from flask import Flask

FOLDER = "forum/email/"
# The same whitespace rules however the host set up its own Jinja
# environment, since a mail's line breaks are part of its text.
OPTIONS: dict[str, Any] = {
    "autoescape": False,
    "trim_blocks": False,
    "lstrip_blocks": False,
    "keep_trailing_newline": False,
    "undefined": StrictUndefined,
}


@dataclass(frozen=True)
class MailTexts:
    """Mail templates and the catalog of the language they are written in
    (None: the English of the msgids)."""

    env: Environment
    catalog: Translations | None = None

    def gettext(self, string: str, **variables: Any) -> str:
        text = string if self.catalog is None else self.catalog.ugettext(string)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        if self.catalog is None:
            text = singular if num == 1 else plural
        else:
            text = self.catalog.ungettext(singular, plural, num)
        return text % variables

    def render(self, name: str, **values: Any) -> tuple[str, str]:
        """The subject (one line) and body of the mail ``forum/email/<name>``."""
        template = self.env.get_template(FOLDER + name)
        context = template.new_context({**values, "forum_": self.gettext, "forum_n": self.ngettext})
        subject = "".join(template.blocks["subject"](context))
        body = "".join(template.blocks["body"](context))
        return " ".join(subject.split()), body


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def own_texts() -> MailTexts:
    """The forum's own templates in English, for mail composed without an app."""
    return MailTexts(Environment(loader=FileSystemLoader(resource_folder("templates")), **OPTIONS))


def site_locale(app: Flask) -> Locale | None:
    """The language of the site's mail: Flask-Babel's default locale; None
    (English) without Flask-Babel."""
    if "babel" not in app.extensions:
        return None
    return Locale.parse(flask_babel.get_babel(app).default_locale)


# Each app's mail environment, made once: its templates are compiled once
# per process, not once per mail.
_environments: WeakKeyDictionary[Flask, Environment] = WeakKeyDictionary()


def _environment(app: Flask) -> Environment:
    """``app``'s Jinja environment with the mail's options (an overlay starts
    with a template cache of its own, so nothing the host's environment
    compiled with its options, autoescaping say, is reused for a mail)."""
    environment = _environments.get(app)
    if environment is None:
        environment = _environments[app] = app.jinja_env.overlay(**OPTIONS)
    return environment


def texts_for(app: Flask) -> MailTexts:
    """``app``'s mail templates (a host's own first) in the site's language."""
    locale = site_locale(app)
    catalog = None if locale is None else i18n.catalog_for(app, locale)
    return MailTexts(_environment(app), catalog)
