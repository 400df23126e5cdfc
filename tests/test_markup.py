"""Markdown rendering and sanitizing, through both sanitizer backends."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from forum_plugin.markup import ALLOWED_TAGS, LINK_REL, render

SANITIZERS = ["bleach", "nh3"]


class ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = ElementCollector()
    parser.feed(html)
    return parser.elements


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_markdown_becomes_allowed_html(sanitizer):
    html = render("Some *emphasis*, **strength** and `code`.\n\n> quoted\n\n- one\n- two", sanitizer)
    assert "<em>emphasis</em>" in html
    assert "<strong>strength</strong>" in html
    assert "<code>code</code>" in html
    assert "<blockquote>" in html and "<li>one</li>" in html


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_links_get_rel_and_bare_urls_are_linked(sanitizer):
    html = render("See [the report](https://example.org/r) and https://example.org/plain", sanitizer)
    links = [attrs for tag, attrs in elements(html) if tag == "a"]
    assert [link["href"] for link in links] == ["https://example.org/r", "https://example.org/plain"]
    assert all(link["rel"] == LINK_REL for link in links)


@pytest.mark.parametrize("sanitizer", SANITIZERS)
@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<a href='javascript:alert(1)'>x</a>",
        "![x](javascript:alert(1))",
        '<svg onload="alert(1)">',
        '<https://example.org/" onmouseover="alert(1)>',
    ],
)
def test_hostile_input_is_inert(sanitizer, source):
    html = render(source, sanitizer)
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS
        assert not any(name.startswith("on") for name in attrs)
        href = attrs.get("href", "")
        assert href.split(":", 1)[0].lower() in ("http", "https", "mailto") or ":" not in href


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_raw_html_is_shown_as_text_not_dropped(sanitizer):
    html = render("I typed <b>this</b> literally", sanitizer)
    assert "&lt;b&gt;this&lt;/b&gt;" in html


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_headings_and_images_stay_readable(sanitizer):
    html = render("# not a heading\n\n![a photo](https://example.org/p.png)", sanitizer)
    assert "# not a heading" in html
    assert "<img" not in html and "a photo" in html


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_non_latin_text_round_trips(sanitizer):
    source = "คุณไม่ได้อยู่คนเดียว သင် တစ်ယောက်တည်း អ្នកមិននៅម្នាក់ឯងទេ 你并不孤单 🙏"
    assert render(source, sanitizer) == f"<p>{source}</p>"


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_sanitizing_twice_changes_nothing(sanitizer):
    from forum_plugin.markup import SANITIZERS as backends

    html = render("A [link](https://example.org) and *more*\nnext line", sanitizer)
    assert backends[sanitizer](html) == html


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_imported_text_gets_paragraphs_without_breaking_tags(sanitizer):
    from forum_plugin.markup import sanitize_imported

    html = sanitize_imported('First line\nsecond line\n\n<a\nhref="https://ok.example">a link</a>', sanitizer)
    assert html.startswith('<p>First line<br>second line</p><p><a href="https://ok.example"')
    assert "a link</a></p>" in html


@pytest.mark.parametrize("sanitizer", SANITIZERS)
@pytest.mark.parametrize("href", ["java\u200bscript:alert(1)", "\ufeffjavascript:alert(1)", "java&#8203;script:x"])
def test_invisible_characters_do_not_hide_a_scheme(sanitizer, href):
    from forum_plugin.markup import sanitize_imported

    assert "href" not in sanitize_imported(f'<p><a href="{href}">x</a></p>', sanitizer)


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_a_link_after_long_text_keeps_its_place(sanitizer):
    before = "the text before the link, " * 200
    html = render(f"{before}see https://example.org/a and after.", sanitizer)
    assert html == (
        f'<p>{before}see <a href="https://example.org/a" rel="{LINK_REL}">https://example.org/a</a> and after.</p>'
    )


@pytest.mark.parametrize("sanitizer", SANITIZERS)
@pytest.mark.parametrize(
    "source",
    ["irc://chat.example.org", "ssh://host.example.org", "data:a.de/?,x", "feed:news.example.org", "webcal://a.de/x"],
)
def test_bare_addresses_with_other_schemes_are_not_made_links(sanitizer, source):
    assert "<a" not in render(f"Try {source} now", sanitizer)


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_every_link_gets_rel_whatever_the_html_said(sanitizer):
    from forum_plugin.markup import SANITIZERS as backends

    html = backends[sanitizer]('<p><a href="https://example.org" rel="opener">x</a> <a title="t">y</a></p>')
    assert [attrs.get("rel") for tag, attrs in elements(html) if tag == "a"] == [LINK_REL, LINK_REL]


def test_imported_bare_addresses_become_links_with_bleach():
    from forum_plugin.markup import sanitize_imported

    html = sanitize_imported(
        "<p>Visit https://example.org/a?b=1&amp;c=2 or write to me@example.org.</p>"
        '<p><code>https://in.code.example</code> <a href="https://kept.example">https://kept.example</a></p>',
        "bleach",
    )
    assert [attrs for tag, attrs in elements(html) if tag == "a"] == [
        {"href": "https://example.org/a?b=1&c=2", "rel": LINK_REL},
        {"href": "mailto:me@example.org", "rel": LINK_REL},
        {"href": "https://kept.example", "rel": LINK_REL},
    ]


def test_imported_addresses_with_other_schemes_stay_text():
    from forum_plugin.markup import sanitize_imported

    html = sanitize_imported("Files at ftp://files.example.org/x and irc://chat.example.org", "bleach")
    assert html == "<p>Files at ftp://files.example.org/x and irc://chat.example.org</p>"


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_reference_style_links_still_work(sanitizer):
    """Reference definitions are looked for in a bounded window of lines (on
    markdown-it-py 3 the unbounded search is quadratic); ordinary ones link."""
    html = render(
        'See [the report][r] and [notes].\n\n[r]: https://example.org/r "Report"\n[notes]: /notes\n', sanitizer
    )
    assert [attrs["href"] for tag, attrs in elements(html) if tag == "a"] == ["https://example.org/r", "/notes"]
    assert "[r]:" not in html and "[notes]:" not in html


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_a_body_with_more_markup_than_the_budget_is_shown_as_plain_text(sanitizer):
    """Past the markup budget (what keeps any comment under 50 ms of markup
    work), the text is shown as it was typed: escaped, in its paragraphs
    and lines, with nothing made a link or a tag."""
    body = "[" * 400 + "\n\n<b>bold</b> & *not emphasis* https://example.org\nsecond line"
    assert render(body, sanitizer) == (
        "<p>" + "[" * 400 + "</p><p>&lt;b&gt;bold&lt;/b&gt; &amp; *not emphasis* https://example.org<br>second line</p>"
    )


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_a_body_that_would_make_too_many_elements_is_shown_as_plain_text(sanitizer):
    body = "a\n" * 900  # nine hundred hard line breaks
    html = render(body, sanitizer)
    assert html.startswith("<p>a<br>a<br>") and html.count("<br>") == 899


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_a_long_comment_as_people_write_them_keeps_its_markdown(sanitizer):
    prose = "We met families at the crossing who had waited for days without news of their relatives. " * 4
    paragraph = prose + 'The *full* notes are in [the report](https://example.org/r) (page 3), "as told".\n\n'
    body = (paragraph * 30)[:10_000]
    html = render(body, sanitizer)
    assert html.count("<em>full</em>") >= 20 and html.count('href="https://example.org/r"') >= 20
    assert '"as told"' in html  # quotes in text are left as they are


def test_text_quotes_are_not_escaped_but_attribute_quotes_are():
    html = render('[a "b"](https://example.org/?q="x") said "so"', "bleach")
    assert 'said "so"' in html and 'href="https://example.org/?q=%22x%22"' in html


def test_a_schemaless_address_ends_before_symbols_and_a_written_scheme_keeps_them():
    """linkify-it's schemaless search is shown "$^+=|`" as spaces (on
    "www.$www.$…" it took seconds); an address with its scheme keeps them."""
    html = render("see www.example.org/a?q=1 or https://example.org/?a=b+c", "bleach")
    assert [attrs["href"] for tag, attrs in elements(html) if tag == "a"] == [
        "http://www.example.org/a?q",
        "https://example.org/?a=b+c",
    ]
    assert "</a>=1 or" in html


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_email_addresses_keep_their_plus_and_equals(sanitizer):
    html = render("write to admin+security@example.com or a=b@example.org", sanitizer)
    assert [attrs["href"] for tag, attrs in elements(html) if tag == "a"] == [
        "mailto:admin+security@example.com",
        "mailto:a=b@example.org",
    ]


@pytest.mark.parametrize("sanitizer", SANITIZERS)
def test_links_are_looked_for_within_a_window_and_a_bounded_reach(sanitizer):
    """A "]" more than a thousand characters after its "[" ends no link; a
    body that would have Markdown read too far for links' ends is text."""
    far = render("[" + "x " * 600 + "](https://example.org)", sanitizer)
    # No link from the bracketed text; the bare address is still linked.
    assert far.startswith("<p>[x x") and '](<a href="https://example.org"' in far
    near = render("[" + "x " * 400 + "](https://example.org)", sanitizer)
    assert 'href="https://example.org"' in near
    reaching = "[" + "+" * 998 + "]"
    assert render(reaching * 6, sanitizer) == "<p>" + reaching * 6 + "</p>"
