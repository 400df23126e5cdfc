"""Markdown to safe HTML, done once when a comment is written.

Readers write Markdown with raw HTML switched off; the HTML that
markdown-it-py makes then passes through an allowlist sanitizer, bleach or
nh3, behind the one function :func:`render`. Pure: imports no Flask.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Iterator

import bleach
import nh3
from bleach.html5lib_shim import Filter
from bleach.linkifier import TLDS
from markdown_it import MarkdownIt, rules_inline
from markdown_it.rules_inline import StateInline

ALLOWED_TAGS = ("p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li")
ALLOWED_ATTRIBUTES = {"a": ("href", "title")}
ALLOWED_SCHEMES = ("http", "https", "mailto")
LINK_REL = "nofollow ugc noopener"

# Markdown constructs whose HTML the allowlist would drop are switched off,
# so the reader's text shows as typed instead of vanishing.
_DISABLED_RULES = ("heading", "lheading", "hr", "image", "html_block", "html_inline")


# markdown-it's inline linkify rule looks for the scheme before each "://"
# by searching all the text read so far, which is quadratic in a paragraph
# full of "://". No scheme linkify-it knows is this long, so the rule is
# shown only the end of that text; the rest is flushed to a text token
# first, which markdown-it joins back to its neighbours.
_SCHEME_WINDOW = 32


def _bounded_scheme_search(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    def linkify(state: StateInline, silent: bool) -> bool:
        read = state.pending
        if len(read) <= _SCHEME_WINDOW or not state.src.startswith("://", state.pos):
            return rule(state, silent)
        if silent:  # a look-ahead, which must leave the state as it was
            state.pending = read[-_SCHEME_WINDOW:]
            try:
                return rule(state, silent)
            finally:
                state.pending = read
        state.pending = read[:-_SCHEME_WINDOW]
        state.pushPending()
        state.pending = read[-_SCHEME_WINDOW:]
        return rule(state, silent)

    return linkify


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    md.enable("linkify")
    md.disable(list(_DISABLED_RULES))
    md.inline.ruler.at("linkify", _bounded_scheme_search(rules_inline.linkify))
    # The domains bleach's linkifier used to link, so bare "site.travel" stays a link.
    md.linkify.tlds(list(TLDS), keep_old=True)
    return md


class _LinkRel(Filter):
    """Every link leaves with the forum's rel (the sanitizer has already
    dropped whatever rel the HTML had)."""

    def __iter__(self) -> Iterator[dict]:
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                token["data"] = {**(token["data"] or {}), (None, "rel"): LINK_REL}
            yield token


class _LinkifyText(Filter):
    """Bare addresses in imported text become links, found by the same
    linkify-it-py that Markdown uses (one pass over the text), outside
    links, code and preformatted text."""

    _SKIPPED = frozenset({"a", "pre", "code"})

    def __iter__(self) -> Iterator[dict]:
        inside = 0
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] in self._SKIPPED:
                inside += 1
            elif token["type"] == "EndTag" and token["name"] in self._SKIPPED:
                inside = max(inside - 1, 0)
            elif token["type"] == "Characters" and not inside:
                yield from _link_tokens(token["data"])
                continue
            yield token


def _link_tokens(text: str) -> Iterator[dict]:
    md = _markdown()
    done = 0
    for found in md.linkify.match(text) or ():
        href = md.normalizeLink(found.url)
        scheme = _SCHEME.match(href)
        if scheme is None or scheme.group(1).lower() not in ALLOWED_SCHEMES:
            continue
        if found.index > done:
            yield {"type": "Characters", "data": text[done : found.index]}
        yield {"type": "StartTag", "name": "a", "data": {(None, "href"): href}}
        yield {"type": "Characters", "data": text[found.index : found.last_index]}
        yield {"type": "EndTag", "name": "a"}
        done = found.last_index
    if done < len(text):
        yield {"type": "Characters", "data": text[done:]}


def _cleaner(*filters: type[Filter]) -> bleach.sanitizer.Cleaner:
    return bleach.sanitizer.Cleaner(
        tags=frozenset(ALLOWED_TAGS),
        attributes={tag: list(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        protocols=frozenset(ALLOWED_SCHEMES),
        strip=True,
        filters=[*filters, _LinkRel],
    )


# Markdown has already made its links (linkify-it-py, in one pass), so the
# cleaner for rendered comments does not linkify again: bleach's own
# linkifier takes quadratic time on runs of "(" or "a-".
@lru_cache(maxsize=1)
def _bleach_cleaner() -> bleach.sanitizer.Cleaner:
    return _cleaner()


@lru_cache(maxsize=1)
def _bleach_import_cleaner() -> bleach.sanitizer.Cleaner:
    return _cleaner(_LinkifyText)


def sanitize_with_bleach(html: str) -> str:
    return _bleach_cleaner().clean(html)


def _sanitize_imported_with_bleach(html: str) -> str:
    return _bleach_import_cleaner().clean(html)


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
# Imported HTML was written for a site that linked bare addresses when it
# showed them; bleach links them on the way in, as it always has.
_IMPORT_SANITIZERS: dict[str, Callable[[str], str]] = {
    "bleach": _sanitize_imported_with_bleach,
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
    clean = _IMPORT_SANITIZERS[sanitizer]
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
