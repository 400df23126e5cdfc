"""The XSS corpus (tests/data/xss_payloads.txt) through both sanitizer
backends and both entry points: nothing outside the allowlist gets out, and
sanitizing the output again changes nothing."""

from __future__ import annotations

from typing import Callable

import pytest

from forum_plugin.markup import SANITIZERS, render, sanitize_imported

from .xss import check_safe, links, load_payloads, load_sections, visible_text

SECTIONS = load_sections()
BACKENDS = ("bleach", "nh3")
ENTRY_POINTS: dict[str, Callable[[str, str], str]] = {
    "render": render,
    "sanitize_imported": sanitize_imported,
}

# Every category the security issue names, as the sections of the data file.
REQUIRED_SECTIONS = (
    "script-tags",
    "event-handlers",
    "javascript-scheme",
    "scheme-obfuscation",
    "data-scheme",
    "vbscript-scheme",
    "other-schemes",
    "markdown-links",
    "markdown-images",
    "markdown-autolinks",
    "linkify",
    "markdown-reference-links",
    "attribute-breakout",
    "mutation-xss",
    "dangerous-elements",
    "comments-and-declarations",
    "raw-html-in-markdown",
    "imported-comment-html",
)

CASES = [
    pytest.param(payload, backend, entry, id=f"{section}-{index:02d}-{backend}-{entry}")
    for section, payloads in SECTIONS.items()
    for index, payload in enumerate(payloads, start=1)
    for backend in BACKENDS
    for entry in ENTRY_POINTS
]


@pytest.mark.parametrize(("payload", "backend", "entry"), CASES)
def test_output_stays_inside_the_allowlist(payload, backend, entry):
    html = ENTRY_POINTS[entry](payload, backend)
    assert check_safe(html) == [], f"payload {payload!r} gave {html!r}"


@pytest.mark.parametrize(("payload", "backend", "entry"), CASES)
def test_sanitizing_the_output_again_changes_nothing(payload, backend, entry):
    html = ENTRY_POINTS[entry](payload, backend)
    assert SANITIZERS[backend](html) == html


# -- the corpus itself --------------------------------------------------------


def test_corpus_is_large_and_covers_every_category():
    payloads = load_payloads()
    assert len(payloads) >= 150
    assert len(set(payloads)) == len(payloads), "duplicate payloads"
    for name in REQUIRED_SECTIONS:
        assert len(SECTIONS.get(name, [])) >= 5, f"section {name!r} has fewer than 5 payloads"
    assert set(SECTIONS) == set(REQUIRED_SECTIONS), "a section is missing from REQUIRED_SECTIONS or from the file"


@pytest.mark.parametrize(
    "needle",
    [
        "<script",
        "onerror=",
        "javascript:",
        "JaVaScRiPt:",
        "data:text/html;base64,",
        "vbscript:",
        "jav&#x09;ascript",
        "java\tscript",
        "java\nscript",
        "java\u200bscript",
        "\x01javascript",
        "&#106;avascript",
        "<svg",
        "<math",
        "<noscript",
        "<style",
        "<template",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "<meta",
        "<base",
        "<link",
        "[x](javascript:alert(1))",
        "![x](javascript:",
        "<javascript:alert(1)>",
        "[x][1]\n\n[1]: javascript:alert(1)",
        '[x](http://a "onmouseover=alert(1)")',
        "<!--",
        "<p>",
    ],
)
def test_corpus_contains(needle):
    assert any(needle in payload for payload in load_payloads())


# -- the checker catches what it must ----------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<img src=x onerror=alert(1)>",
        "<p onclick=alert(1)>x</p>",
        '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
        '<a href="javascript:x">x</a>',
        '<a href=" JAVASCRIPT:x">x</a>',
        '<a href="jav&#x09;ascript:x">x</a>',
        '<a href="jav&Tab;ascript:x">x</a>',
        '<a href="&#x6A;avascript:x">x</a>',
        '<a href="java\u200bscript:x">x</a>',
        '<a href="\x01javascript:x">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<a href="vbscript:x">x</a>',
        '<a href="file:///etc/passwd">x</a>',
        "<svg>",
        "<math><mi>x</mi></math>",
        "<script>alert(1)</script>",
        "<p>a</p></script>",
        "<style>p{}</style>",
        "<iframe src=https://ok.example></iframe>",
        '<p title="x">x</p>',
        '<a href="https://ok.example" style="color:red">x</a>',
        '<a href="https://ok.example" target="_blank">x</a>',
        "<p><!-- hidden --></p>",
        "<!DOCTYPE html><p>x</p>",
        "<?php echo 1 ?><p>x</p>",
    ],
)
def test_checker_reports_unsafe_html(html):
    assert check_safe(html) != []


@pytest.mark.parametrize(
    "html",
    [
        "<p>plain &lt;script&gt; text</p>",
        '<p><a href="https://ok.example/r" title="t" rel="nofollow ugc noopener">x</a></p>',
        '<a href="mailto:someone@ok.example">x</a>',
        '<a href="/relative/path:with-colon">x</a>',
        '<a href="#frag">x</a> <a href="?q=a:b">y</a> <a href="//ok.example/x">z</a>',
        # Not scheme syntax, so the URL Standard takes them as relative paths.
        '<a href="jav%09ascript:x">x</a> <a href="jav&amp;Tab;ascript:x">y</a>',
        "<ul><li><em>a</em></li></ul><ol><li><strong>b</strong></li></ol>",
        "<blockquote><p>q<br>r</p></blockquote><pre><code>&lt;b&gt;</code></pre>",
    ],
)
def test_checker_passes_safe_html(html):
    assert check_safe(html) == []


# -- harmless comments keep their text ------------------------------------------

BENIGN_MARKDOWN = [
    # (source, visible text, hrefs)
    ("คุณไม่ได้อยู่คนเดียว ขอบคุณมากครับ", "คุณไม่ได้อยู่คนเดียว ขอบคุณมากครับ", []),
    ("သင် တစ်ယောက်တည်း မဟုတ်ပါ", "သင် တစ်ယောက်တည်း မဟုတ်ပါ", []),
    ("អ្នកមិននៅម្នាក់ឯងទេ", "អ្នកមិននៅម្នាក់ឯងទេ", []),
    ("你并不孤单。谢谢！", "你并不孤单。谢谢！", []),
    ("Thank you 🙏🏽 👩‍👩‍👧 ❤️", "Thank you 🙏🏽 👩‍👩‍👧 ❤️", []),
    ("See [the report](https://example.org/r?a=1&b=2)", "See the report", ["https://example.org/r?a=1&b=2"]),
    ("Write to [me](mailto:someone@example.org)", "Write to me", ["mailto:someone@example.org"]),
    ("Type `<script>alert(1)</script>` to test", "Type <script>alert(1)</script> to test", []),
    ("A < B && C > D, 5 > 3", "A < B && C > D, 5 > 3", []),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("source", "text", "hrefs"), BENIGN_MARKDOWN)
def test_benign_comments_keep_their_text(source, text, hrefs, backend):
    html = render(source, backend)
    assert check_safe(html) == []
    assert visible_text(html) == text
    assert [link.get("href") for link in links(html)] == hrefs


BENIGN_IMPORTED = [
    ("<p>ขอบคุณครับ</p>", "ขอบคุณครับ", []),
    ("<p>ကျေးဇူးတင်ပါတယ်</p>", "ကျေးဇူးတင်ပါတယ်", []),
    ("<p>អរគុណ</p>", "អរគុណ", []),
    ("<p>谢谢 🙏</p>", "谢谢 🙏", []),
    ('<p><a href="https://example.org/">a site</a></p>', "a site", ["https://example.org/"]),
    ('<p><a href="mailto:someone@example.org">mail</a></p>', "mail", ["mailto:someone@example.org"]),
    ("<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>", "<script>alert(1)</script>", []),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("html", "text", "hrefs"), BENIGN_IMPORTED)
def test_benign_imported_comments_keep_their_text(html, text, hrefs, backend):
    out = sanitize_imported(html, backend)
    assert check_safe(out) == []
    assert visible_text(out) == text
    assert [link.get("href") for link in links(out)] == hrefs
