"""Markdown to safe HTML, done once when a comment is written.

Readers write Markdown with raw HTML switched off; the HTML that
markdown-it-py makes then passes through an allowlist sanitizer, bleach or
nh3, behind the one function :func:`render`. Pure: imports no Flask.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from html import escape as html_escape
from html import unescape
from typing import TYPE_CHECKING, Any, Protocol

import bleach
import nh3
from bleach.linkifier import TLDS
from markdown_it import MarkdownIt, rules_block, rules_inline
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import escape

# An html5lib token: a dict whose keys and values depend on its "type".
_HtmlToken = dict[str, Any]
if TYPE_CHECKING:
    # bleach's vendored html5lib, as types-html5lib describes it (generic in
    # its tokens there, not at run time).
    from html5lib.filters.base import Filter

    _TokenFilter = Filter[_HtmlToken]
else:
    from bleach.html5lib_shim import Filter as _TokenFilter

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


# markdown-it-py before 4.0 looks for the end of a link reference definition
# ("[x]: url") by reading every following line up to a blank one, so a body
# of many definitions, one per line, takes quadratic time. A definition is
# looked for in the next lines only; a longer one reads as a paragraph.
_REFERENCE_WINDOW = 32


def _bounded_reference(
    rule: Callable[[StateBlock, int, int, bool], bool],
) -> Callable[[StateBlock, int, int, bool], bool]:
    def reference(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        line_max = state.lineMax
        state.lineMax = min(line_max, start_line + _REFERENCE_WINDOW)
        try:
            return rule(state, start_line, min(end_line, state.lineMax), silent)
        finally:
            state.lineMax = line_max

    return reference


def _text(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return html_escape(tokens[idx].content, quote=False)


# linkify-it's search for schemaless links ("www.example.org", an IP
# address) takes time in the number of candidates times the length of the
# text after them when symbols follow ("www.$www.$…": three seconds for
# 10,000 characters). It is shown the text with those symbols as spaces, the
# same length, so a match's place reads the same in the real text; a
# schemaless web address ends before any of them, while one written with
# its scheme, and an email address, keep them.
_CALMED = str.maketrans({symbol: " " for symbol in "$^+=|`"})
# Kept as written: an address with a scheme linkify-it links, and an email
# address (its local part may hold "+" or "="), each of a bounded length.
_KEPT = re.compile(
    r"(?<![\w+.-])(?:(?:https?|ftp)://|mailto:)\S{1,2048}|(?<![\w+.=-])[\w.+=-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}",
    re.IGNORECASE,
)


def _calm(text: str) -> str:
    """``text`` with those symbols as spaces, outside addresses with a
    scheme and email addresses."""
    calmed: list[str] = []
    done = 0
    for address in _KEPT.finditer(text):
        calmed += [text[done : address.start()].translate(_CALMED), address.group()]
        done = address.end()
    calmed.append(text[done:].translate(_CALMED))
    return "".join(calmed)


class _LinkMatch(Protocol):
    """What the forum reads of a linkify-it-py match (which ships no types)."""

    url: str
    index: int
    last_index: int


class _Linkify(Protocol):
    """What the forum calls of linkify-it-py's ``LinkifyIt``."""

    def test(self, text: str) -> bool: ...
    def match(self, text: str) -> list[_LinkMatch] | None: ...


class _CalmLinkify:
    """markdown-it's linkify-it, its fuzzy search shown calmed text."""

    def __init__(self, linkify: _Linkify) -> None:
        self._linkify = linkify

    def test(self, text: str) -> bool:
        return self._linkify.test(_calm(text))

    def match(self, text: str) -> list[_LinkMatch] | None:
        return self._linkify.match(_calm(text))

    @property
    def uncalmed(self) -> _Linkify:
        """linkify-it itself, for imported text (a site's own history, not a
        stranger's comment), whose addresses keep their query strings."""
        return self._linkify

    def __getattr__(self, name: str) -> object:
        return getattr(self._linkify, name)


# markdown-it looks for the "]" that ends a link's text by reading, token by
# token, all the text after each "[" (a few "[" before 10,000 "+" took over
# 100 ms). A link is looked for only when its "]" comes within this many
# characters, and is read within them with its address and title.
_LINK_WINDOW = 1000


def _bounded_link(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    def link(state: StateInline, silent: bool) -> bool:
        end = min(state.posMax, state.pos + _LINK_WINDOW)
        if state.src.find("]", state.pos, end) < 0:
            return False
        pos_max = state.posMax
        state.posMax = end
        try:
            return rule(state, silent)
        finally:
            state.posMax = pos_max

    return link


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    md.enable("linkify")
    md.disable(list(_DISABLED_RULES))
    md.inline.ruler.at("linkify", _bounded_scheme_search(rules_inline.linkify))
    md.block.ruler.at("reference", _bounded_reference(rules_block.reference))
    md.inline.ruler.at("link", _bounded_link(rules_inline.link))
    if md.linkify is None:
        raise RuntimeError("markdown-it-py links addresses only with linkify-it-py, which is not installed")
    # The domains bleach's linkifier used to link, so bare "site.travel" stays a link.
    md.linkify.tlds(list(TLDS), keep_old=True)
    md.linkify = _CalmLinkify(md.linkify)
    # Quotes in text need no escaping; as "&quot;" each would cost a sanitizer a reference.
    md.add_render_rule("text", _text)
    return md


class _LinkRel(_TokenFilter):
    """Every link leaves with the forum's rel (the sanitizer has already
    dropped whatever rel the HTML had), and without an href that
    :func:`safe_href` refuses: older bleach reads "java\u200bscript:" as a
    relative link (and hands filters "&#8203;" undecoded)."""

    def __iter__(self) -> Iterator[_HtmlToken]:
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                attributes = dict(token["data"] or {})
                if not safe_href(unescape(attributes.get((None, "href"), ""))):
                    del attributes[(None, "href")]
                token["data"] = {**attributes, (None, "rel"): LINK_REL}
            yield token


class _LinkifyText(_TokenFilter):
    """Bare addresses in imported text become links, found by the same
    linkify-it-py that Markdown uses (one pass over the text), outside
    links, code and preformatted text."""

    _SKIPPED = frozenset({"a", "pre", "code"})

    def __iter__(self) -> Iterator[_HtmlToken]:
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


def _link_tokens(text: str) -> Iterator[_HtmlToken]:
    md = _markdown()
    linkify = md.linkify
    if not isinstance(linkify, _CalmLinkify):  # _markdown() put it there
        raise TypeError(f"markdown-it's linkify is {linkify!r}, not the forum's")
    done = 0
    for found in linkify.uncalmed.match(text) or ():
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


def _cleaner(*filters: type[_TokenFilter]) -> bleach.sanitizer.Cleaner:
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


# The values of FORUM_SANITIZER, the first its default.
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
DEFAULT_SANITIZER = next(iter(SANITIZERS))


def markdown_to_html(source: str) -> str:
    """Markdown with raw HTML disabled, not yet sanitized."""
    html: str = _markdown().render(source)  # typed Any: its renderer may be any output's
    return html


_BLOCK_TAG = re.compile(r"<(p|blockquote|ul|ol|pre)[\s>]", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")


def sanitize_imported(html: str, sanitizer: str = DEFAULT_SANITIZER) -> str:
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


# The markup work a comment may cost. Markdown's time grows with the
# characters it acts on (a "[" costs it the most: it looks for the end of a
# link), linkify's with the addresses it finds, and a sanitizer's with the
# elements and character references in the HTML. A body beyond either
# budget is shown as plain text, which keeps every comment of up to
# FORUM_MAX_LENGTH characters under 50 ms of markup work with either
# sanitizer (see benchmarks/adversarial.py); no comment a person writes
# comes near them.
_ACTIVE = re.compile(r"[\[\]()*_!`~\\|\n]")
# What makes a character reference in the HTML, or an address to link.
_COSTLY = re.compile(r"[&<>]|\w\.\w|://|@")
_BRACKET_WEIGHT = 5
_COSTLY_WEIGHT = 3
MAX_MARKUP_CHARACTERS = 1500
MAX_ELEMENTS = 300
# Characters read in all looking for the ends of links (ten links of a
# hundred characters each read a thousand).
MAX_LABEL_REACH = 5_000


def _markup_characters(source: str) -> int:
    """The characters of ``source`` Markdown acts on, weighted by what they
    cost: a "[" five; "&", "<", ">", a dot or "@" inside a word or a "://"
    three; "*", "_", "(", a line break and the like one."""
    return (
        len(_ACTIVE.findall(source))
        + (_BRACKET_WEIGHT - 1) * source.count("[")
        + _COSTLY_WEIGHT * len(_COSTLY.findall(source))
    )


def plain_text_html(source: str) -> str:
    """``source`` as text: escaped, in paragraphs and lines, without markup.
    Made safe by escaping alone, so no sanitizer needs to read it."""
    paragraphs = [part.strip("\n") for part in _BLANK_LINES.split(source.replace("\r\n", "\n")) if part.strip()]
    return "".join(f"<p>{'<br>'.join(escape(line) for line in part.split(chr(10)))}</p>" for part in paragraphs)


def render(source: str, sanitizer: str = DEFAULT_SANITIZER) -> str:
    """Turn a reader's Markdown into the HTML stored with the comment; a
    body whose markup would cost more than the budget, as plain text.

    :param source: the body as the reader wrote it.
    :param sanitizer: one of :data:`SANITIZERS`.
    """
    html = markdown_within_budget(source)
    if html is None:
        return plain_text_html(source)
    return SANITIZERS[sanitizer](html).strip()


def _label_reach(source: str) -> int:
    """How far markdown-it reads looking for links' ends: for each "[", the
    characters up to the next "]" when that is within the link window."""
    closes = [found.start() for found in re.finditer(r"\]", source)]
    reach = 0
    for opening in re.finditer(r"\[", source):
        following = bisect_right(closes, opening.start())
        if following < len(closes) and closes[following] - opening.start() <= _LINK_WINDOW:
            reach += closes[following] - opening.start()
    return reach


def markdown_within_budget(source: str) -> str | None:
    """Markdown's HTML for ``source``, not yet sanitized; None when its
    markup is past the budget and it is to be shown as plain text."""
    if _markup_characters(source) > MAX_MARKUP_CHARACTERS or _label_reach(source) > MAX_LABEL_REACH:
        return None
    html = markdown_to_html(source)
    if html.count("<") > 2 * MAX_ELEMENTS:  # an opening and a closing tag each
        return None
    return html


def count_links(html: str) -> int:
    """Links in sanitized HTML, for the policy's link limit."""
    return html.count("<a ")
