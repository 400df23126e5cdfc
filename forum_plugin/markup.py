"""Markdown to safe HTML, done once when a comment is written.

Readers write Markdown with raw HTML switched off; the HTML that
markdown-it-py makes then passes through an allowlist sanitizer, bleach or
nh3, behind the one function :func:`render`. Pure: imports no Flask.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, partial
from typing import Callable

import bleach
import nh3
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt

ALLOWED_TAGS = ("p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li")
ALLOWED_ATTRIBUTES = {"a": ("href", "title")}
ALLOWED_SCHEMES = ("http", "https", "mailto")
LINK_REL = "nofollow ugc noopener"

# Markdown constructs whose HTML the allowlist would drop are switched off,
# so the reader's text shows as typed instead of vanishing.
_DISABLED_RULES = ("heading", "lheading", "hr", "image", "html_block", "html_inline")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    md.enable("linkify")
    md.disable(list(_DISABLED_RULES))
    return md


def _set_link_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    return attrs


@lru_cache(maxsize=1)
def _bleach_cleaner() -> bleach.sanitizer.Cleaner:
    return bleach.sanitizer.Cleaner(
        tags=frozenset(ALLOWED_TAGS),
        attributes={tag: list(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        protocols=frozenset(ALLOWED_SCHEMES),
        strip=True,
        filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags=["pre", "code"])],
    )


def sanitize_with_bleach(html: str) -> str:
    return _bleach_cleaner().clean(html)


# Characters a browser ignores inside a URL's scheme, which a filter must
# ignore too before it reads the scheme: controls, whitespace and invisible
# format characters (zero-width space, joiners, soft hyphen, BOM...).
def _visible_url(value: str) -> str:
    return "".join(ch for ch in value if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")))


_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def safe_href(value: str) -> bool:
    """Whether a link target is relative or uses an allowed scheme, read as a
    browser would once invisible characters are gone."""
    scheme = _SCHEME.match(_visible_url(value))
    return scheme is None or scheme.group(1).lower() in ALLOWED_SCHEMES


def _nh3_attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "href" and not safe_href(value):
        return None
    return value


def sanitize_with_nh3(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        # "*": nh3 otherwise allows lang and title on every element.
        attributes={"*": set(), **{tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}},
        attribute_filter=_nh3_attribute_filter,
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
    )


SANITIZERS: dict[str, Callable[[str], str]] = {
    "bleach": sanitize_with_bleach,
    "nh3": sanitize_with_nh3,
}


def markdown_to_html(source: str) -> str:
    """Markdown with raw HTML disabled, not yet sanitized."""
    return _markdown().render(source)


_BLOCK_TAG = re.compile(r"<(p|blockquote|ul|ol|pre)[\s>]", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")


def sanitize_imported(html: str, sanitizer: str = "bleach") -> str:
    """Another system's comment HTML, made safe. Text without block markup
    (WordPress keeps paragraphs as blank lines) gets its paragraphs and line
    breaks back, after a first cleaning has put every tag on one line, and
    is cleaned again so the new markup nests properly."""
    clean = SANITIZERS[sanitizer]
    html = clean(html.replace("\r\n", "\n"))
    if _BLOCK_TAG.search(html):
        return html.strip()
    paragraphs = [p.strip() for p in _BLANK_LINES.split(html) if p.strip()]
    return clean("".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)).strip()


def render(source: str, sanitizer: str = "bleach") -> str:
    """Turn a reader's Markdown into the HTML stored with the comment.

    :param source: the body as the reader wrote it.
    :param sanitizer: ``"bleach"`` or ``"nh3"``.
    """
    return SANITIZERS[sanitizer](markdown_to_html(source)).strip()


def count_links(html: str) -> int:
    """Links in sanitized HTML, for the policy's link limit."""
    return html.count("<a ")
