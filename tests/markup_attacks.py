"""Comment bodies built to make Markdown, linkifying and sanitizing slow.

Each entry repeats a short piece of text (or grows a structure) up to a
given length, so the same attack can be rendered at 2,500 and at 10,000
characters (``FORUM_MAX_LENGTH``) to see whether the work grows with the
square of the length. ``tests/attacks/test_markup_cost.py`` checks that the
work grows linearly; ``python -m benchmarks.adversarial`` times the same
bodies against the 50 ms goal. The corpus lives with the tests so that the
suite needs nothing from ``benchmarks``.
"""

from __future__ import annotations

from typing import Callable

MAX_LENGTH = 10_000


def repeated(piece: str, length: int) -> str:
    """``piece`` over and over, cut at ``length`` characters."""
    return (piece * (length // len(piece) + 1))[:length]


def _after(prefix: str, piece: str) -> Callable[[int], str]:
    return lambda length: prefix + repeated(piece, length - len(prefix))


def _nested(opening: str, closing: str) -> Callable[[int], str]:
    """``opening`` n times, a word, then ``closing`` n times: deep nesting."""

    def build(length: int) -> str:
        depth = (length - 1) // (len(opening) + len(closing))
        return opening * depth + "x" + closing * depth

    return build


# Pieces repeated as they are. The names say what each attacks.
_PIECES = {
    "parentheses": "(",
    "closing parentheses": ")",
    "brackets": "[",
    "closing brackets": "]",
    "asterisks": "*",
    "underscores": "_",
    "backticks": "`",
    "tildes": "~",
    "less-than signs": "<",
    "ampersands": "&",
    "quotes": '"',
    "backslashes": "\\",
    "colon-slash-slash": "://",
    "http:// without a host": "http://",
    "www. runs": "www.",
    "at signs": "@",
    "www. before symbols": "www.$",
    "www. and symbols": "www.~$www.",
    "IP address before symbols": "1.2.3.4=",
    "link texts of cheap punctuation": "[" + "+" * 998 + "]",
    "word@ runs": "a@",
    "dotted words": "ab.",
    "email-like a.b@c": "a.b@c",
    "hyphenated words": "a-",
    "punycode-like xn--": "xn--",
    "domain then parenthesis": "a.co(",
    "domain and path": "x.com/",
    "many short links": "https://a.io ",
    "many bare domains": "ex.org ",
    "links in parentheses": "(http://a.b",
    "angle autolinks": "<http://",
    "unclosed tags": "<a ",
    "comment openers": "<!--",
    "processing instructions": "<?",
    "entity runs": "&amp;",
    "numeric entity openers": "&#",
    "hex entities": "&#x1",
    "alternating emphasis": "*_",
    "emphasis openers with words": "*a",
    "strong openers": "**a ",
    "underscore words": "_a",
    "code span openers": "``a",
    "image openers": "![",
    "empty link labels": "[]",
    "link openers": "[a](",
    "link with unclosed title": '[a](b "',
    "reference definitions": "[x]: a\n",
    "nested quotes": "> ",
    "list markers": "- ",
    "list items": "- \n",
    "ordered list markers": "1. ",
    "indented code": "    ",
    "hard breaks": "a  \n",
    "newlines": "\n",
    "table of pipes": "| a | b |\n|---|---|\n",
    "pipes": "|a",
    "percent signs": "%",
    "emoji with joiners": "👩\u200d👩\u200d👧",
    "thai combining marks": "ก\u0e34\u0e48",
    "khmer combining marks": "ក\u17b6\u17c6",
    "mixed punctuation": "(*[_`<&@://www.> - |\\",
}

ADVERSARIAL: dict[str, Callable[[int], str]] = {
    **{name: _after("", piece) for name, piece in _PIECES.items()},
    "one long URL": _after("https://example.org/", "a"),
    "URL then parentheses": _after("http://a.b/", "("),
    "URL then closing parentheses": _after("http://a.b/", ")"),
    "URL then brackets": _after("http://a.b/", "["),
    "brackets before cheap punctuation": _after("[" * 20, "+"),
    "URL then dots": _after("http://a.b/", "."),
    "URL then asterisks": _after("http://a.b/", "*"),
    "www URL then parentheses": _after("www.a.com/", "("),
    "combining accents on one letter": _after("a", "\u0301"),
    "nested emphasis": _nested("*a _b ", " c_ d*"),
    "nested links": _nested("[", "](u)"),
    "nested parentheses": _nested("(", ")"),
}
