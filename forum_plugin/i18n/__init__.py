"""The forum's languages: its translations (:mod:`.translation`) and how it
writes dates (:mod:`.dates`), which follows the reader's locale.

Everything is importable from here, as before the two were apart:
``from forum_plugin.i18n import gettext, localized_time``.
"""

from __future__ import annotations

from .dates import english_time, iso_time, localized_time, one_clock
from .translation import (
    DOMAIN,
    N_,
    SOURCE_LANGUAGE,
    TRANSLATIONS,
    LazyText,
    available_languages,
    babel_active,
    catalog_for,
    gettext,
    lazy_gettext,
    ngettext,
    page_language,
    reason_text,
    split_at,
    status_name,
    template_gettext,
    template_ngettext,
    template_pgettext,
)

__all__ = [
    "DOMAIN",
    "N_",
    "SOURCE_LANGUAGE",
    "TRANSLATIONS",
    "LazyText",
    "available_languages",
    "babel_active",
    "catalog_for",
    "english_time",
    "gettext",
    "iso_time",
    "lazy_gettext",
    "localized_time",
    "ngettext",
    "one_clock",
    "page_language",
    "reason_text",
    "split_at",
    "status_name",
    "template_gettext",
    "template_ngettext",
    "template_pgettext",
]
