"""Translations: a host with Flask-Babel gets the forum in its reader's
language (Thai, Simplified Chinese), dates in that locale; a host without
it, or a language the forum does not ship, gets English. The catalogs are
complete and their compiled .mo files current; long unbroken text cannot
widen the page."""

from __future__ import annotations

import gettext
import re
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

import pytest
from babel.dates import format_date, format_time
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request
from flask_babel import Babel
from sqlalchemy import select

from forum_plugin import Forum, i18n
from forum_plugin.models import Comment

try:
    from babel.messages.frontend import parse_mapping_cfg
except ImportError:  # Babel < 2.14 names it parse_mapping
    from babel.messages.frontend import parse_mapping as parse_mapping_cfg

from . import hostapp
from .browser import chromium, copy_session_cookie, live_server
from .conftest import add_users, csrf_token, form_fields, log_in, text_of

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "forum_plugin" / "translations"
LANGUAGES = ("th", "zh")
# The keywords babel.cfg's README command passes to pybabel extract.
KEYWORDS = {
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "N_": None,
    "forum_": None,
    "forum_n": (1, 2),
    "forum_p": ((1, "c"), 2),
}

# What a reader sees in each language, and the English it replaces.
WORDS = {
    "th": {
        "Leave a comment": "แสดงความคิดเห็น",
        "Name": "ชื่อ",
        "Email (optional, never shown)": "อีเมล (ไม่บังคับ และจะไม่แสดงให้ใครเห็น)",
        "Post comment": "ส่งความคิดเห็น",
        "Comments are read by a moderator before they appear.": "ผู้ดูแลจะอ่านความคิดเห็นทุกรายการก่อนเผยแพร่",
        "pending": "ความคิดเห็นของคุณกำลังรอผู้ดูแลตรวจ",
        "one": "1 ความคิดเห็น",
        "two": "2 ความคิดเห็น",
        "Reply": "ตอบกลับ",
        "Send report": "ส่งรายงาน",
        "Spam or advertising": "สแปมหรือโฆษณา",
        "empty body": "กรุณาเขียนความคิดเห็นก่อนโพสต์",
        "no name": "กรุณาใส่ชื่อที่จะแสดงคู่กับความคิดเห็นของคุณ",
        "Form expired": "แบบฟอร์มหมดอายุ",
        "csrf": "แบบฟอร์มนี้หมดอายุแล้ว",
    },
    "zh": {
        "Leave a comment": "发表评论",
        "Name": "名字",
        "Email (optional, never shown)": "电子邮件（选填，不会公开显示）",
        "Post comment": "发布评论",
        "Comments are read by a moderator before they appear.": "评论经管理员阅读后才会显示。",
        "pending": "您的评论正在等待审核。",
        "one": "1 条评论",
        "two": "2 条评论",
        "Reply": "回复",
        "Send report": "提交举报",
        "Spam or advertising": "垃圾信息或广告",
        "empty body": "请先写下评论再发布。",
        "no name": "请填写与评论一同显示的名字。",
        "Form expired": "表单已过期",
        "csrf": "此表单已过期",
    },
}


def pick_language():
    """A host's locale selector: ``?lang=``, else the browser's Accept-Language."""
    return request.args.get("lang") or request.accept_languages.best_match(["en", "th", "zh"])


def with_babel(app):
    """The host sets Flask-Babel up after the forum (``init_app`` order does not matter)."""
    Babel(app, locale_selector=pick_language)
    return app


@pytest.fixture
def babel_app(make_app):
    return with_babel(make_app())


def post(client, lang: str | None = None, slug: str = "first-report", headers=None, **fields):
    """Open the post's page and submit its comment form, asking for ``lang``."""
    query = f"?lang={lang}" if lang else ""
    page = client.get(f"/posts/{slug}{query}")
    assert page.status_code == 200
    data = {**form_fields(page.text), "author_name": "Mali", "body": "Thank you for this report."}
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(f"/forum/threads/{slug}/comments{query}", data=data, headers=headers or {})


def created_at(app, comment_id: int):
    with app.app_context():
        return hostapp.db.session.scalar(select(Comment.created_at).where(Comment.id == comment_id))


def approve(client_of_moderator, comment_id: int, lang: str | None = None):
    query = f"?lang={lang}" if lang else ""
    queue = client_of_moderator.get(f"/forum/moderation/{query}")
    return client_of_moderator.post(
        f"/forum/moderation/comments/{comment_id}/approve{query}", data={"csrf_token": csrf_token(queue.text)}
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_post_page_in_the_readers_language(babel_app, lang):
    """Form labels, buttons, the plural heading, the pending notice and the
    dates are translated; nothing of the English is left."""
    words = WORDS[lang]
    users = add_users(babel_app)
    reader, moderator = babel_app.test_client(), babel_app.test_client()
    log_in(moderator, users["moderator"])

    blank = text_of(reader.get(f"/posts/first-report?lang={lang}").text)
    for english in (
        "Leave a comment",
        "Name",
        "Email (optional, never shown)",
        "Post comment",
        "Comments are read by a moderator before they appear.",
    ):
        assert words[english] in blank, english
        assert english not in blank
    assert "0 comments" not in blank and "No comments yet." not in blank

    first = int(post(reader, lang).headers["Location"].rsplit("#comment-", 1)[1])
    second = int(post(reader, lang, body="A second thought.").headers["Location"].rsplit("#comment-", 1)[1])
    assert approve(moderator, first, lang).status_code == 303

    page = reader.get(f"/posts/first-report?lang={lang}").text
    shown = text_of(page)
    assert words["one"] in shown and "1 comment" not in shown
    assert words["pending"] in shown and "awaiting moderation" not in shown
    for english in ("Reply", "Send report", "Spam or advertising"):
        assert words[english] in shown, english
    # Dates in the reader's locale (and the host's time zone, UTC here), not the English fallback.
    for comment_id in (first, second):
        moment = created_at(babel_app, comment_id).replace(tzinfo=timezone.utc)
        assert format_date(moment, "medium", locale=lang) in shown
        assert format_time(moment, "short", tzinfo=timezone.utc, locale=lang) in shown
    assert " UTC</time>" not in page

    approve(moderator, second, lang)
    assert words["two"] in text_of(reader.get(f"/posts/first-report?lang={lang}").text)


def test_english_without_flask_babel(app):
    """A host without Flask-Babel gets the English it always got."""
    client = app.test_client()
    page = client.get("/posts/first-report?lang=th").text
    assert "Leave a comment" in page and "Post comment" in page and "0 comments" in page
    assert "แสดงความคิดเห็น" not in page
    comment_id = int(post(client).headers["Location"].rsplit("#comment-", 1)[1])
    moment = created_at(app, comment_id)
    shown = client.get("/posts/first-report").text
    assert f"{moment.day} {moment:%b %Y, %H:%M} UTC" in shown
    assert "Your comment is awaiting moderation." in shown
    assert 'lang="en"' in client.get("/forum/threads/first-report").text


@pytest.mark.parametrize("lang", [None, "en", "de"])
def test_english_with_flask_babel_and_no_catalog(babel_app, lang):
    """English is the default locale; a language the forum ships no catalog
    for (German) leaves its strings in English too."""
    client = babel_app.test_client()
    query = f"?lang={lang}" if lang else ""
    page = client.get(f"/posts/first-report{query}").text
    assert "Leave a comment" in page and "Post comment" in page and "0 comments" in page
    assert 'lang="en"' in client.get(f"/forum/threads/first-report{query}").text
    refused = post(client, lang, body="")
    assert refused.status_code == 400 and "Please write a comment before posting." in refused.text


def test_plural_forms_in_english_with_babel(babel_app):
    users = add_users(babel_app)
    reader, moderator = babel_app.test_client(), babel_app.test_client()
    log_in(moderator, users["moderator"])
    ids = [int(post(reader, body=f"Comment {n}.").headers["Location"].rsplit("#comment-", 1)[1]) for n in (1, 2)]
    approve(moderator, ids[0])
    assert "1 comment<" in reader.get("/posts/first-report?lang=en").text
    approve(moderator, ids[1])
    assert "2 comments<" in reader.get("/posts/first-report?lang=en").text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_validation_and_refusal_messages_are_translated(babel_app, lang):
    words = WORDS[lang]
    client = babel_app.test_client()
    refused = post(client, lang, body="")
    assert refused.status_code == 400
    assert words["empty body"] in refused.text and "Please write a comment" not in refused.text
    nameless = post(client, lang, author_name="")
    assert nameless.status_code == 400 and words["no name"] in nameless.text
    # The inline-reply script gets the same messages as JSON.
    as_json = post(client, lang, body="", headers={"Accept": "application/json"})
    assert as_json.status_code == 400 and as_json.get_json()["errors"]["body"] == [words["empty body"]]
    # A message defined at import time (lazy) on an error page, and in JSON.
    expired = client.post(f"/forum/threads/first-report/comments?lang={lang}", data={"body": "Hello"})
    assert expired.status_code == 400
    assert words["Form expired"] in expired.text and words["csrf"] in expired.text
    expired_json = client.post(
        f"/forum/threads/first-report/comments?lang={lang}",
        data={"body": "Hello"},
        headers={"Accept": "application/json"},
    )
    assert expired_json.get_json()["error"].startswith(words["csrf"])


def test_the_forums_own_pages_say_their_language(babel_app):
    client = babel_app.test_client()
    post(client, "th")
    page = client.get("/forum/threads/first-report?lang=th").text
    assert '<html lang="th">' in page and "ความคิดเห็นใน" in page
    assert '<html lang="zh">' in client.get("/forum/threads/first-report?lang=zh_CN").text


def test_moderation_pages_and_flash_messages_are_translated(babel_app):
    users = add_users(babel_app)
    reader, moderator = babel_app.test_client(), babel_app.test_client()
    log_in(moderator, users["moderator"])
    comment_id = int(post(reader, "th").headers["Location"].rsplit("#comment-", 1)[1])
    queue = text_of(moderator.get("/forum/moderation/?lang=th").text)
    for thai in ("คิวรอตรวจ", "รอตรวจ", "การแก้ไขที่รอตรวจ", "ก่อนหน้านี้อนุมัติ 0 ปฏิเสธ 0", "แบนผู้เขียนคนนี้"):
        assert thai in queue, thai
    assert "Held edits" not in queue and "Ban this author" not in queue
    # Why it was held, stored in English, read in Thai.
    assert "เหตุที่รอตรวจ: ทุกความคิดเห็นต้องผ่านการตรวจก่อนเผยแพร่" in queue
    assert "every comment is reviewed first" not in queue
    approve(moderator, comment_id, "th")
    assert f"อนุมัติแล้ว: ความคิดเห็น #{comment_id} ของ Mali" in text_of(moderator.get("/forum/moderation/?lang=th").text)
    log = text_of(moderator.get("/forum/moderation/log?lang=th").text)
    assert "การดำเนินการ" in log and "รอตรวจ: ทุกความคิดเห็นต้องผ่านการตรวจก่อนเผยแพร่" in log


def test_babel_set_up_before_the_forum_works_the_same(tmp_path):
    """A host that sets Flask-Babel up first; this page touches no table."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="host secret", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'first.sqlite3'}")
    Babel(app, locale_selector=pick_language)
    Forum(app)
    page = app.test_client().get("/forum/unsubscribe/not-a-token?lang=th")
    assert page.status_code == 400 and "ลิงก์ไม่ถูกต้อง" in page.text and '<html lang="th">' in page.text
    assert "Link not valid" in app.test_client().get("/forum/unsubscribe/not-a-token").text


def test_the_hosts_own_gettext_is_left_alone(babel_app):
    """The forum's template globals have names of their own; Flask-Babel's ``_`` stays the host's."""
    env = babel_app.jinja_env
    assert env.globals["forum_"] is i18n.template_gettext and env.globals["forum_n"] is i18n.template_ngettext
    assert env.globals.get("_") is not i18n.template_gettext


# --- the catalogs -----------------------------------------------------------


def catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "forum.po", "rb") as po:
        return read_po(po, locale=lang)


def template_ids():
    with open(TRANSLATIONS / "forum.pot", "rb") as pot:
        return {(m.context, m.id) for m in read_po(pot) if m.id}


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\((\w+)\)[sd]", text))


def test_the_template_holds_every_marked_string():
    """Nobody marked a string without extracting it (README, "Translations")."""
    with open(ROOT / "forum_plugin" / "translations" / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {
        (context, message)
        for _, _, message, _, context in extract_from_dir(
            ROOT, method_map=method_map, options_map=options_map, keywords=KEYWORDS
        )
    }
    missing = found - template_ids()
    assert not missing, f"run the commands under Translations in README.md for: {sorted(map(str, missing))}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_is_translated(lang):
    translated = catalog(lang)
    for context, msgid in template_ids():
        message = translated.get(msgid, context=context)
        assert message is not None, f"{lang}: {msgid!r} is missing"
        assert "fuzzy" not in message.flags, f"{lang}: {msgid!r} is fuzzy"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        sources = msgid if isinstance(msgid, tuple) else (msgid,)
        for string in strings:
            assert string and string.strip(), f"{lang}: {msgid!r} is not translated"
            assert placeholders(string) == placeholders(sources[-1]), f"{lang}: {msgid!r} -> {string!r}"


def without_header(messages: dict) -> dict:
    return {msgid: text for msgid, text in messages.items() if msgid != ""}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalogs_are_current(lang):
    """The shipped .mo says what its .po says (else: pybabel compile -d forum_plugin/translations -D forum)."""
    compiled = BytesIO()
    write_mo(compiled, catalog(lang))
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "forum.mo", "rb") as mo:
        shipped = gettext.GNUTranslations(mo)
    # The header names the Babel that compiled it; the messages are what count.
    assert without_header(shipped._catalog) == without_header(fresh._catalog)
    assert i18n.available_languages() == LANGUAGES


# --- long unbroken text ------------------------------------------------------

LONG_URL = "https://example.org/" + "a" * 580
THAI = ("ขอบคุณที่เขียนเรื่องนี้ฉันอ่านแล้วรู้สึกว่าไม่ได้อยู่คนเดียว" * 10)[:400]
STYLESHEET = ROOT / "forum_plugin" / "static" / "forum.css"


def rules_with(declaration: str) -> list[set[str]]:
    """The selector lists of the stylesheet's rules that hold ``declaration``."""
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)
    return [
        {selector.strip() for selector in selectors.split(",")}
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)
        if declaration in body.replace(" ", "")
    ]


def test_long_unbroken_text_wraps_instead_of_widening_the_page(make_app):
    assert len(LONG_URL) == 600 and len(THAI) == 400 and " " not in THAI
    wrapping = set().union(*rules_with("overflow-wrap:anywhere"))
    for selector in (".forum", ".forum-body", ".forum-page", ".forum-moderation", ".forum-log td"):
        assert selector in wrapping, selector

    app = with_babel(make_app(FORUM_MODERATION="post"))
    users = add_users(app)
    client = app.test_client()
    for body in (LONG_URL, THAI):
        assert post(client, "th", body=body).status_code == 303
    page = client.get("/posts/first-report?lang=th").text
    bodies = re.findall(r'<div class="forum-body">(.*?)</div>', page, flags=re.S)
    assert any(LONG_URL in body for body in bodies) and any(THAI in body for body in bodies)
    assert "2 ความคิดเห็น" in text_of(page)

    moderator = app.test_client()
    log_in(moderator, users["moderator"])
    dashboard = moderator.get("/forum/moderation/?status=approved&lang=th").text
    assert 'class="forum-moderation"' in dashboard and LONG_URL in dashboard and THAI in dashboard
    assert "forum.css" in dashboard


@pytest.mark.browser
def test_in_a_narrow_browser_nothing_is_wider_than_the_screen(make_app):
    """At 360 px, a thread page and the dashboard holding the long comments scroll only down."""
    app = with_babel(make_app(FORUM_MODERATION="post"))
    users = add_users(app)
    client = app.test_client()
    for body in (LONG_URL, THAI):
        post(client, "th", body=body)
    moderator = app.test_client()
    log_in(moderator, users["moderator"])
    with live_server(app) as server, chromium() as browser:
        context = browser.new_context(viewport={"width": 360, "height": 800})
        copy_session_cookie(moderator, context, server)
        page = context.new_page()
        for path in ("/forum/threads/first-report?lang=th", "/forum/moderation/?status=approved&lang=th"):
            page.goto(f"{server.url}{path}", wait_until="load")
            assert page.locator(".forum-body").count() >= 2, path
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], (path, widths)
        context.close()


@pytest.mark.browser
def test_an_inline_reply_in_thai(make_app):
    """The script takes its words from the page: the reply form's title and the announcement are Thai."""
    app = with_babel(make_app(FORUM_MODERATION="post"))
    post(app.test_client(), "th", author_name="นก", body="มีรายการของที่ต้องการไหม")
    with live_server(app) as server, chromium() as browser:
        context = browser.new_context(locale="th-TH")  # Accept-Language, so the script's POST is Thai too
        page = context.new_page()
        page.goto(f"{server.url}/posts/first-report", wait_until="load")
        page.click("[data-forum-reply]")
        assert page.locator(".forum-form-title").inner_text() == "ตอบกลับ นก"
        page.fill("#author_name", "มะลิ")
        page.fill("#body", "ข้าวสาร ผ้าห่ม และหนังสือเรียน")
        page.click("#comment-form button[type=submit]")
        page.locator("article[data-parent]").wait_for(timeout=10_000)
        assert page.locator("[data-forum-live]").inner_text() == "ความคิดเห็นของคุณเผยแพร่แล้ว"
        assert "เมื่อสักครู่" in page.locator("article[data-parent] time").inner_text()
        context.close()


def test_stored_times_read_the_same_for_people_and_machines():
    moment = datetime(2026, 5, 1, 9, 3, 7, 123456)
    assert i18n.english_time(moment) == "1 May 2026, 09:03 UTC"
    assert i18n.english_time(datetime(2026, 12, 31, 23, 59)) == "31 Dec 2026, 23:59 UTC"
    assert i18n.iso_time(moment) == "2026-05-01T09:03:07Z"


@pytest.mark.parametrize(
    ("lang", "zone", "expected"),
    [
        ("th", "Asia/Bangkok", "1 พ.ค. 2026 16:03"),
        ("zh", "Asia/Shanghai", "2026年5月1日 17:03"),
        ("th", "UTC", "1 พ.ค. 2026 09:03"),
        ("en", "America/New_York", "May 1, 2026, 5:03\u202fAM"),
        ("th", "Asia/Bangkok", "2 พ.ค. 2026 00:03"),
    ],
)
def test_dates_in_the_readers_locale_and_the_hosts_time_zone(lang, zone, expected):
    app = Flask(__name__)
    Babel(app, locale_selector=lambda: lang, timezone_selector=lambda: zone)
    moment = datetime(2026, 5, 1, 17 if expected.startswith("2 ") else 9, 3, 7)

    def shown() -> str:
        # Thai times end in "น." since CLDR 44 (Babel 2.14); Babel 2.12 writes them bare.
        return i18n.localized_time(moment).removesuffix(" น.")

    with app.test_request_context():
        assert shown() == expected
        # The same again, from what was remembered, and with the locale
        # and time zone looked up once for a whole page.
        assert shown() == expected
        with i18n.one_clock():
            assert shown() == expected
