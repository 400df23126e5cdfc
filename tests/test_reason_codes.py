"""Reasons as codes and values: each reads in English exactly as the forum
always stored it, survives its JSON, is shown in the reader's language, is
converted from the English lines stored before (migration 0004), and is
erased with the person it quotes."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from flask_babel import Babel
from sqlalchemy import column, inspect, select, table, text

from forum_plugin import Forum, i18n, personal_data, policy, reasons
from forum_plugin.models import Comment, ModerationEvent
from forum_plugin.reasons import Code

from . import hostapp
from .conftest import add_users, comment_id_from, log_in, post_comment
from .frozen_reasons import migration

SPAM_BAN = reasons.kept_as_spam(reasons.banned_author("domain", "throwaway mail"))
# Every reason the forum writes, and its English line as stored since release 0003.
WRITTEN = [
    (reasons.MODERATOR_AUTHOR, "author is a moderator"),
    (reasons.banned_author("ip"), "banned ip"),
    (reasons.banned_author("email", "abuse: threats"), "banned email: abuse: threats"),
    (reasons.kept_as_spam(reasons.banned_author("ip")), "banned ip (kept silently as spam)"),
    (SPAM_BAN, "banned domain: throwaway mail (kept silently as spam)"),
    (reasons.banned_word("transfer"), "banned word: 'transfer'"),
    (reasons.duplicate(10), "duplicate of a comment by the same author in the last 10 minutes"),
    (reasons.trusted_author(3, 30), "trusted: 3 approved comments, none rejected in 30 days"),
    (reasons.held(reasons.too_many_links(3, 2)), "held: 3 links, limit 2"),
    (reasons.held(reasons.suspect_word("western union")), "held: suspect word 'western union'"),
    (reasons.held(reasons.suspect_word("don't")), 'held: suspect word "don\'t"'),
    (reasons.held(reasons.EVERY_COMMENT_REVIEWED), "held: every comment is reviewed first"),
    (reasons.POST_MODERATION, "published: post-moderation"),
    (reasons.reported(3), "reported by 3 readers"),
    (reasons.DELETED_BY_AUTHOR, "deleted by the author"),
    (reasons.cleared_reports(2), "cleared 2 reports"),
    (reasons.EDITED_BY_AUTHOR, "edited by the author"),
    (reasons.TEXT_EDITED, "text edited"),
    (reasons.ban_kind("domain"), "domain"),
    (reasons.ban_kind("email", "link spam"), "email: link spam"),
    (reasons.listed_word("banned", "viagra"), "banned: viagra"),
    (reasons.erased_on_request(text_removed=False), "erased at the author's request"),
    (reasons.erased_on_request(text_removed=True), "erased at the author's request, text removed"),
    (
        reasons.person_erased(
            reasons.erased_counts(comments=2, revisions=1, events=0, reports=0, bans=1, mail_addresses=1, quotes=4)
        ),
        "a person's data erased on request: 2 comments, 1 revisions, 0 audit entries, 0 reports, 1 bans, "
        "1 mail addresses, 4 texts quoting them",
    ),
    (reasons.imported("wordpress"), "imported from wordpress"),
]
# Lines of several reasons, as audit entries store them.
LINES = [
    (
        (reasons.EDITED_BY_AUTHOR, reasons.held(reasons.too_many_links(4, 2))),
        "edited by the author; held: 4 links, limit 2",
    ),
    (("spam, again", reasons.cleared_reports(1)), "spam, again; cleared 1 reports"),
    ((reasons.EDITED_BY_AUTHOR, "spam service: 0.98"), "edited by the author; spam service: 0.98"),
]


def codes_in(reason) -> set[Code]:
    if isinstance(reason, str):
        return set()
    return {reason.code}.union(*(codes_in(value) for value in reason.values.values() if not isinstance(value, int)))


def test_every_code_is_written_somewhere_and_has_an_english_text():
    assert set().union(*(codes_in(reason) for reason, _ in WRITTEN)) == set(Code)
    assert all(code.text for code in Code)


@pytest.mark.parametrize(("reason", "line"), WRITTEN)
def test_each_reason_reads_in_english_as_it_always_was_stored(reason, line):
    assert reasons.english([reason]) == line


@pytest.mark.parametrize(("given", "line"), [((reason,), line) for reason, line in WRITTEN] + LINES)
def test_reasons_come_back_from_their_json_unchanged(given, line):
    data = reasons.encode(given)
    assert data is not None and json.loads(data)
    assert reasons.decode(data, line) == tuple(given)
    assert reasons.english(given) == line


def test_nested_reasons_are_stored_as_nested_codes():
    data = json.loads(reasons.encode([SPAM_BAN]) or "")
    assert data == [
        {
            "code": "kept_as_spam",
            "reason": {"code": "banned_author_because", "kind": "domain", "reason": "throwaway mail"},
        }
    ]


def test_own_words_are_kept_as_text_only():
    assert reasons.encode(["spam service: 0.98"]) is None and reasons.encode([]) is None
    assert reasons.decode(None, "spam service: 0.98") == ("spam service: 0.98",)
    assert reasons.decode(None, "") == ()


@pytest.mark.parametrize(
    "data", ["not json", '[{"code": "from a later version"}]', '{"code": "held"}', "[1.5]", '[{"code": "held"}]']
)
def test_data_this_version_cannot_read_shows_the_english_line(data):
    assert reasons.decode(data, "held: 3 links, limit 2") == ("held: 3 links, limit 2",)


def test_the_policys_decisions_carry_codes_and_their_english_line():
    decision = policy.decide(policy.Draft(body="x", author_name="y", links=3), policy.Context(max_links=2))
    assert decision.reasons == (reasons.held(reasons.too_many_links(3, 2)),)
    assert decision.reason == "held: 3 links, limit 2"


def test_the_duplicate_reason_says_the_window_the_forum_checks(monkeypatch):
    monkeypatch.setattr(policy, "DUPLICATE_WINDOW", timedelta(minutes=15))
    decision = policy.decide(policy.Draft(body="x", author_name="y"), policy.Context(duplicate=True))
    assert decision.reason == "duplicate of a comment by the same author in the last 15 minutes"


def test_why_held_drops_the_held_that_begins_the_reasons():
    assert reasons.why_held((reasons.held(reasons.too_many_links(3, 2)), "more")) == (
        reasons.too_many_links(3, 2),
        "more",
    )
    assert reasons.why_held(("held: spam service score 0.91",)) == ("spam service score 0.91",)
    assert reasons.why_held("held: 3 links, limit 2") == "3 links, limit 2"
    assert reasons.why_held(()) == ()


def test_scrubbing_reaches_every_text_inside_the_reasons():
    given = (SPAM_BAN, "Mali wrote it", reasons.held(reasons.suspect_word("mali")))
    scrubbed = reasons.scrub(given, lambda text: text.replace("throwaway", "[x]").replace("Mali", "[x]"))
    assert reasons.english(scrubbed) == (
        "banned domain: [x] mail (kept silently as spam); [x] wrote it; held: suspect word 'mali'"
    )


def test_a_thai_reader_sees_each_reason_in_thai_with_its_values(thai):
    assert i18n.reason_text([reasons.held(reasons.too_many_links(3, 2))]) == "รอตรวจ: มีลิงก์ 3 ลิงก์ (กำหนดไว้ไม่เกิน 2)"
    assert i18n.reason_text([reasons.duplicate(10)]) == "ซ้ำกับความคิดเห็นของผู้เขียนคนเดียวกันภายใน 10 นาทีที่ผ่านมา"
    line = i18n.reason_text([reasons.EDITED_BY_AUTHOR, SPAM_BAN, "spam service: 0.98", reasons.cleared_reports(2)])
    assert line == (
        "ผู้เขียนแก้ไขเอง; ถูกแบน (domain): throwaway mail (เก็บไว้เป็นสแปมโดยไม่แจ้งผู้เขียน); "
        "spam service: 0.98; ปิดรายงานของผู้อ่านแล้ว 2 รายการ"
    )
    for reason, english in WRITTEN:
        shown = i18n.reason_text([reason])
        assert shown and shown != english, english


def test_a_ban_kind_or_word_list_in_a_reason_is_shown_as_its_translated_label(thai):
    assert i18n.reason_text([reasons.ban_kind("email", "link spam")]) == "อีเมล: link spam"
    assert i18n.reason_text([reasons.ban_kind("domain")]) == "โดเมน"
    assert i18n.reason_text([reasons.listed_word("suspect", "viagra")]) == "น่าสงสัย: viagra"
    # A kind or list a later version added is shown as stored.
    assert i18n.reason_text([reasons.listed_word("watched", "viagra")]) == "watched: viagra"


def test_a_line_of_text_is_shown_as_it_is(thai):
    assert i18n.reason_text("held: 3 links, limit 2") == "held: 3 links, limit 2"


def rows(app, model):
    with app.app_context():
        return hostapp.db.session.scalars(select(model).order_by(model.id)).all()


def test_what_the_forum_writes_is_stored_as_codes_beside_its_english_line(make_app):
    app = make_app(FORUM_MAX_LINKS=2, FORUM_MODERATION="post")
    comment_id = comment_id_from(
        post_comment(app.test_client(), body="https://a.example https://b.example https://c.example")
    )
    with app.app_context():
        comment = hostapp.db.session.get(Comment, comment_id)
        assert comment.moderation_reason == "held: 3 links, limit 2"
        assert json.loads(comment.reason_data) == [
            {"code": "held", "reason": {"code": "too_many_links", "links": 3, "limit": 2}}
        ]
        assert comment.reasons == (reasons.held(reasons.too_many_links(3, 2)),)
    [event] = rows(app, ModerationEvent)
    assert (event.reason, event.reason_data) == (comment.moderation_reason, comment.reason_data)


def test_a_moderators_own_words_replace_the_codes_and_stay_text(app):
    comment_id = comment_id_from(post_comment(app.test_client()))
    from forum_plugin import comments

    with app.app_context():
        session = hostapp.db.session
        comment = session.get(Comment, comment_id)
        assert comment.reason_data is not None
        comments.moderate(session, [comment], "reject", by=comments.Actor("1", "mod"), reason="off topic")
        assert (comment.moderation_reason, comment.reason_data, comment.reasons) == ("off topic", None, ("off topic",))


def test_the_queue_in_thai_shows_why_a_comment_is_held_from_its_codes(make_app):
    app = make_app(FORUM_MAX_LINKS=2)
    Babel(app, locale_selector=lambda: "th")
    moderator = app.test_client()
    log_in(moderator, add_users(app)["moderator"])
    post_comment(app.test_client(), body="https://a.example https://b.example https://c.example")
    with app.app_context():
        # The English line no longer decides what is shown: the codes do.
        hostapp.db.session.execute(text("UPDATE forum_comments SET moderation_reason = 'held: something else'"))
        hostapp.db.session.commit()
    queue = moderator.get("/forum/moderation/").text
    assert "เหตุที่รอตรวจ: มีลิงก์ 3 ลิงก์ (กำหนดไว้ไม่เกิน 2)" in queue
    log = moderator.get("/forum/moderation/log").text
    assert "รอตรวจ: มีลิงก์ 3 ลิงก์ (กำหนดไว้ไม่เกิน 2)" in log and "links, limit" not in log


def ban_kanya_by_email(app, users) -> None:
    """A moderator bans Kanya's address, with a reason that names her."""
    from forum_plugin import bans
    from forum_plugin.models import BanKind

    with app.app_context():
        bans.add(
            hostapp.db.session,
            BanKind.EMAIL,
            "kanya@example.org",
            reason="complaint about Kanya Srisuk",
            days=None,
            by_id=str(users["moderator"]),
            by_name="mod",
        )
        hostapp.db.session.commit()


def test_erasing_a_person_scrubs_the_codes_that_quote_them(app, users):
    """A ban's reason names the person; their comment kept as spam stores it
    inside its codes, which the erase must reach like the English line."""
    ban_kanya_by_email(app, users)
    comment_id = comment_id_from(
        post_comment(app.test_client(), author_name="Kanya Srisuk", author_email="kanya@example.org")
    )
    with app.app_context():
        session = hostapp.db.session
        comment = session.get(Comment, comment_id)
        assert comment.status == "spam" and "Kanya Srisuk" in (comment.reason_data or "")
        personal_data.erase(session, "kanya@example.org")
        session.expire_all()
        data = [session.get(Comment, comment_id).reason_data, *session.scalars(select(ModerationEvent.reason_data))]
    assert data[0] and json.loads(data[0])
    assert not [d for d in data if d and "kanya" in d.lower()]


# The migration, on the lines stored before reason codes.
OLD_LINES = {
    "held: 3 links, limit 2": [{"code": "held", "reason": {"code": "too_many_links", "links": 3, "limit": 2}}],
    "banned email: abuse (kept silently as spam)": [
        {"code": "kept_as_spam", "reason": {"code": "banned_author_because", "kind": "email", "reason": "abuse"}}
    ],
    "banned word: 'transfer'": [{"code": "banned_word", "word": "transfer"}],
    "duplicate of a comment by the same author in the last 10 minutes": [{"code": "duplicate", "minutes": 10}],
    "edited by the author; held: suspect word 'fee'": [
        {"code": "edited_by_author"},
        {"code": "held", "reason": {"code": "suspect_word", "word": "fee"}},
    ],
    "cleared 2 reports": [{"code": "cleared_reports", "count": 2}],
    "too rude; cleared 1 reports": ["too rude", {"code": "cleared_reports", "count": 1}],
    "text edited": [{"code": "text_edited"}],
    "held: spam service score 0.91": [{"code": "held", "reason": "spam service score 0.91"}],
}
# Own words, and lines that only look like the forum's: left as text.
FREE_LINES = ["spam service: 0.98", "imported from wordpress", "banned word: transfer", "3 links, limit x", ""]


@pytest.mark.parametrize(("line", "data"), OLD_LINES.items())
def test_the_migration_reads_each_old_line_into_codes(line, data):
    assert json.loads(migration.reason_data(line)) == data
    assert reasons.english(reasons.decode(migration.reason_data(line), "")) == line


@pytest.mark.parametrize("line", FREE_LINES)
def test_the_migration_leaves_own_words_alone(line):
    assert migration.reason_data(line) is None


@pytest.fixture
def bare_app(app, users):
    with app.app_context():
        Forum.drop_all()
    return app


def forum(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["forum", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_upgrading_converts_the_stored_lines_and_downgrading_drops_the_codes(bare_app):
    forum(bare_app, "db", "upgrade", "0003")
    threads = table(
        "forum_threads", *map(column, ["id", "key", "title", "url", "approved_count", "pending_count", "created_at"])
    )
    comment_columns = ["id", "thread_id", "depth", "status", "moderation_reason", "author_name", "body_markdown"]
    comments = table("forum_comments", *map(column, [*comment_columns, "body_html", "created_at", "updated_at"]))
    events = table(
        "forum_moderation_events",
        *map(column, ["id", "comment_id", "actor_name", "action", "to_status", "reason", "created_at"]),
    )
    # More rows than the migration reads at once.
    kinds = [*OLD_LINES, *FREE_LINES]
    lines = [kinds[n % len(kinds)] for n in range(migration.ROWS_AT_ONCE + len(kinds))]
    when = datetime(2026, 1, 1)
    common = {"status": "pending", "author_name": "Old", "body_markdown": "old", "body_html": "<p>old</p>"}
    with bare_app.app_context(), hostapp.db.engine.begin() as connection:
        connection.execute(
            threads.insert().values(
                id=1, key="old", title="Old", url="/old", approved_count=0, pending_count=0, created_at=when
            )
        )
        connection.execute(
            comments.insert(),
            [
                {"id": n, "thread_id": 1, "depth": 0, "moderation_reason": line, "created_at": when, "updated_at": when}
                | common
                for n, line in enumerate(lines, start=1)
            ],
        )
        connection.execute(
            events.insert(),
            [
                {"id": n, "comment_id": n, "actor_name": "policy", "action": "post", "to_status": "pending"}
                | {"reason": line, "created_at": when}
                for n, line in enumerate(lines, start=1)
            ],
        )
    forum(bare_app, "db", "upgrade")
    with bare_app.app_context(), hostapp.db.engine.connect() as connection:
        for name, line_column in (("forum_comments", "moderation_reason"), ("forum_moderation_events", "reason")):
            stored = connection.execute(text(f"SELECT {line_column}, reason_data FROM {name} ORDER BY id")).all()
            assert [line for line, _ in stored] == lines
            assert {line: json.loads(data) for line, data in stored if data} == OLD_LINES
    forum(bare_app, "db", "downgrade", "0003")
    with bare_app.app_context():
        columns = {c["name"] for c in inspect(hostapp.db.engine).get_columns("forum_comments")}
    assert "reason_data" not in columns and "moderation_reason" in columns


def test_a_host_rule_holds_in_its_own_words_after_a_translated_held(thai):
    from forum_plugin.models import Status

    decision = policy.Decision(Status.PENDING, (reasons.held("spam service score 0.91"),))
    assert decision.reason == "held: spam service score 0.91"
    assert i18n.reason_text(decision.reasons) == "รอตรวจ: spam service score 0.91"


def test_erasing_counts_each_text_quoting_the_person_once(app, users):
    """A quoted reason is stored twice, as its English line and as its codes:
    it is one text, counted once, by the command line and in the log."""
    ban_kanya_by_email(app, users)
    post_comment(app.test_client(), author_name="Kanya Srisuk", author_email="kanya@example.org")
    # The ban's reason, its audit entry, the comment kept as spam and its audit entry.
    output = forum(app, "erase", "--email", "kanya@example.org", "--yes")
    assert "4 texts quoting them changed" in output
    with app.app_context():
        [summary] = hostapp.db.session.scalars(
            select(ModerationEvent.reason).where(
                ModerationEvent.action == "erase", ModerationEvent.comment_id.is_(None)
            )
        ).all()
    assert summary.endswith(", 4 texts quoting them")


def test_the_audit_logs_own_entries_read_in_thai_on_the_log_page(make_app):
    """Bans made and lifted, word-list changes and an erase are
    stored as codes beside the English line the database has always had."""
    from forum_plugin import bans
    from forum_plugin.models import BanKind, WordList

    app = make_app()
    Babel(app, locale_selector=lambda: "th")
    users = add_users(app)
    moderator = app.test_client()
    log_in(moderator, users["moderator"])
    post_comment(app.test_client(), author_name="Kanya Srisuk", author_email="kanya@example.org")
    with app.app_context():
        session = hostapp.db.session
        ban = bans.add(session, BanKind.DOMAIN, "spam.example", reason="link spam", days=None, by_id="1", by_name="mod")
        bans.lift(session, ban.id, by_id="1", by_name="mod")
        bans.add_word(session, WordList.BANNED, "viagra", by_name="mod")
        personal_data.erase(session, "kanya@example.org")
        stored = session.execute(select(ModerationEvent.action, ModerationEvent.reason).order_by(ModerationEvent.id))
        lines = [tuple(row) for row in stored if row.action != "post"]
    assert lines == [
        ("ban", "domain: link spam"),
        ("lift ban", "domain: link spam"),
        ("add word", "banned: viagra"),
        ("erase", "erased at the author's request"),
        (
            "erase",
            "a person's data erased on request: 1 comments, 0 revisions, 0 audit entries, 0 reports, 0 bans, "
            "0 mail addresses, 0 texts quoting them",
        ),
    ]
    log = moderator.get("/forum/moderation/log").text
    for thai in (
        "โดเมน: link spam",
        "ต้องห้าม: viagra",
        "ลบข้อมูลส่วนบุคคลตามคำขอของผู้เขียน",
        "ลบข้อมูลส่วนบุคคลของผู้หนึ่งตามคำขอ: ความคิดเห็น 1 รายการ, ฉบับก่อนแก้ไข 0 รายการ",
    ):
        assert thai in log, thai
    assert "erased on request" not in log and "banned: viagra" not in log


def test_imported_comments_say_where_from_in_the_readers_language(make_app):
    from pathlib import Path

    app = make_app()
    Babel(app, locale_selector=lambda: "th")
    moderator = app.test_client()
    log_in(moderator, add_users(app)["moderator"])
    forum(app, "import", "wordpress", str(Path(__file__).resolve().parent / "data" / "wordpress.xml"))
    with app.app_context():
        session = hostapp.db.session
        comment = session.scalars(select(Comment).where(Comment.origin.is_not(None)).limit(1)).one()
        event = session.scalars(select(ModerationEvent).where(ModerationEvent.action == "import").limit(1)).one()
        assert comment.moderation_reason == event.reason == "imported from WordPress"
        assert comment.reasons == event.reasons == (reasons.imported("WordPress"),)
    assert "นำเข้าจาก WordPress" in moderator.get("/forum/moderation/log").text


# The audit log's own entries written before, as the action of their row tells them.
OLD_ENTRIES = [
    ("ban", "email: abuse: threats", reasons.ban_kind("email", "abuse: threats")),
    ("lift ban", "ip", reasons.ban_kind("ip")),
    ("add word", "banned: viagra", reasons.listed_word("banned", "viagra")),
    ("remove word", "suspect: western union", reasons.listed_word("suspect", "western union")),
    ("erase", "erased at the author's request, text removed", reasons.erased_on_request(text_removed=True)),
    (
        "erase",
        "a person's data erased on request: 5 comments, 3 revisions, 3 audit entries, 2 reports, 2 bans, "
        "1 mail addresses, 6 texts quoting them",
        reasons.person_erased(
            reasons.erased_counts(comments=5, revisions=3, events=3, reports=2, bans=2, mail_addresses=1, quotes=6)
        ),
    ),
    ("import", "imported from WordPress", reasons.imported("WordPress")),
]


@pytest.mark.parametrize(("action", "line", "reason"), OLD_ENTRIES)
def test_the_migration_reads_the_audit_logs_own_entries_by_their_action(action, line, reason):
    data = migration.reason_data(line, action)
    assert data == reasons.encode([reason])
    assert reasons.decode(data, "") == (reason,)


@pytest.mark.parametrize(
    ("action", "line"),
    [("reject", "email: abuse"), ("ban", "phone: abuse"), ("add word", "blocked: x"), ("erase", "because")],
)
def test_the_migration_leaves_other_lines_of_those_actions_alone(action, line):
    assert migration.reason_data(line, action) is None
