"""The XSS corpus and a checker for sanitized comment HTML.

Shared by the corpus tests and the browser test. :func:`check_safe` reads
HTML the way a browser's tokenizer would (``html.parser``) and lists what
falls outside the forum's allowlist; an empty list means safe.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import warnings
from html.parser import HTMLParser
from pathlib import Path

from forum_plugin.markup import ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS

PAYLOAD_FILE = Path(__file__).resolve().parent / "data" / "xss_payloads.txt"

_SECTION = re.compile(r"#\s*---\s*(?P<name>\S.*?)\s*$")

# Attributes whose value a browser follows as a URL. Only href is allowed by
# the allowlist, but the scheme of any of them is reported as well.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "cite", "data", "poster", "background", "xlink:href", "srcset", "ping"}
)

# Characters that are dropped before a URL's scheme is looked at: ASCII
# whitespace and control characters (browsers strip them around a URL and
# drop tabs and newlines inside it), and Unicode format characters such as
# zero-width spaces, joiners and the byte order mark.
_SCHEME_SYNTAX = re.compile(r"[a-z][a-z0-9+.\-]*")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad")


def load_sections(path: Path = PAYLOAD_FILE) -> dict[str, list[str]]:
    """The corpus by section, in file order (see the header of the file)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, raw in enumerate(path.read_text(encoding="ascii").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            match = _SECTION.fullmatch(line)
            if match:
                current = sections.setdefault(match["name"], [])
            continue
        if current is None:
            raise ValueError(f"{path.name}:{number}: payload before the first '# --- section' line")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                payload = codecs.decode(line, "unicode_escape")
            except (UnicodeDecodeError, DeprecationWarning) as error:
                raise ValueError(f"{path.name}:{number}: bad escape in {line!r}: {error}") from error
        current.append(payload)
    return sections


def load_payloads(path: Path = PAYLOAD_FILE) -> list[str]:
    """Every payload of the corpus, decoded, in file order."""
    return [payload for payloads in load_sections(path).values() for payload in payloads]


def _without_ignored_characters(value: str) -> str:
    return "".join(
        ch
        for ch in value
        if not (ord(ch) <= 0x20 or ord(ch) == 0x7F or ch in _ZERO_WIDTH or unicodedata.category(ch) in ("Cc", "Cf"))
    )


def url_scheme(value: str) -> str | None:
    """The scheme a URL attribute's value would be taken to have, lower-cased,
    or ``None`` for a relative URL.

    ``value`` is the attribute value as the tokenizer hands it over, character
    references already decoded once, as a browser decodes them. Whitespace,
    control and zero-width characters are first dropped everywhere, which is
    more than a browser drops, on purpose. What comes before the first ``:``
    is a scheme when that ``:`` comes before any ``/``, ``?`` or ``#`` and the
    text before it is scheme syntax (an ASCII letter, then letters, digits,
    ``+``, ``-`` or ``.``): the URL Standard parses anything else, such as
    ``jav%09ascript:x`` or ``jav&Tab;ascript:x`` left undecoded, as a path
    relative to the page.
    """
    cleaned = _without_ignored_characters(value).lower()
    end = min((i for i in (cleaned.find(c) for c in "/?#") if i >= 0), default=len(cleaned))
    head = cleaned[:end]
    if ":" not in head:
        return None
    candidate = head.split(":", 1)[0]
    return candidate if _SCHEME_SYNTAX.fullmatch(candidate) else None


class _SafetyChecker(HTMLParser):
    def __init__(self) -> None:
        # Raw text is wanted in handle_data, to see any "<" left unescaped.
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []

    def _report(self, problem: str) -> None:
        self.problems.append(f"{problem} (at line {self.getpos()[0]}, column {self.getpos()[1]})")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self._report(f"element <{tag}> is not allowed")
        allowed = set(ALLOWED_ATTRIBUTES.get(tag, ()))
        if tag == "a":
            allowed.add("rel")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self._report(f"event handler attribute {name}={value!r} on <{tag}>")
            elif name not in allowed:
                self._report(f"attribute {name}={value!r} is not allowed on <{tag}>")
            if name in URL_ATTRIBUTES:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in ALLOWED_SCHEMES:
                    self._report(f"URL scheme {scheme!r} in {name}={value!r} on <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            self._report(f"end tag </{tag}> is not allowed")

    def handle_data(self, data: str) -> None:
        if "<" in data:
            self._report(f"unescaped '<' in text: {data!r}")

    def handle_comment(self, data: str) -> None:
        self._report(f"comment <!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._report(f"declaration <!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self._report(f"declaration <![{data}]>")

    def handle_pi(self, data: str) -> None:
        self._report(f"processing instruction <?{data}>")


def check_safe(html: str) -> list[str]:
    """What in ``html`` falls outside the allowlist; empty when it is safe.

    Every element must be in ALLOWED_TAGS and every attribute in
    ALLOWED_ATTRIBUTES for its element (``rel`` on ``a`` too, the sanitizer
    adds it); no ``on*`` attribute; URL attributes may only use the allowed
    schemes or be relative; no comments, declarations or processing
    instructions, and no ``<`` left unescaped in text.
    """
    checker = _SafetyChecker()
    checker.feed(html)
    checker.close()
    problems = checker.problems
    if "<!--" in html and not any(problem.startswith("comment") for problem in problems):
        problems.append("'<!--' in the output")
    return problems


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of ``html`` as a reader sees it, character references decoded."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "".join(collector.parts)


def links(html: str) -> list[dict[str, str | None]]:
    """The attributes of every ``<a>`` in ``html``."""
    found: list[dict[str, str | None]] = []

    class _Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                found.append(dict(attrs))

    parser = _Links()
    parser.feed(html)
    parser.close()
    return found
