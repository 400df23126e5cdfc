"""A person asks to be forgotten, and an auditor checks that they were.

The person writes the way people do, on a host with a global CSRFProtect:
signed in and anonymously under the same address, edits their comments (one
edit waits for a moderator), deletes one, reports someone else's comment in
their own words, is banned by address and by account with reasons that name
them, and asked to be mailed. Someone else answers them. Then
``flask forum erase --email … --remove-bodies`` runs, and:

- every text column of every ``forum_`` table (reflected from the database,
  not taken from the models) is scanned for their address, their names,
  their address hash, their account as a reporter and every distinctive word
  they wrote: nothing may remain;
- their held edit is gone, and a moderator's "accept edit" cannot publish it;
- the reply by someone else stays, under an "Anonymous" placeholder;
- the bans still hold, without naming them;
- the audit log records that an erase happened, and names no one.

Before that, ``flask forum export`` hands the person everything held about
them: comments, earlier versions, the held edit, reports they made, bans on
them, their mail address (without its token) and their comments' history,
without the moderators' names.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import MetaData, String, func, inspect, select

from forum_plugin.models import Ban, Comment, MailAddress, ModerationEvent, utcnow

from .. import hostapp
from ..conftest import add_users, comment_id_from, csrf_token, log_in, post_comment

EMAIL = "kanya.srisuk@example.org"
TYPED_EMAIL = "Kanya.Srisuk@Example.org"
NAME = "Kanya Srisuk"
OTHER_NAME = "K. Srisuk"
WORDS = {
    "first": "zebralantern4471",
    "second": "quartzmeadow8812",
    "second_edited": "quartzmeadow8812amended",
    "moderated": "trimmedzebra0093",
    "held": "violetharbor3390",
    "deleted": "amberfalcon2205",
    "anonymous": "copperwillow6634",
    "after_ban": "onyxriver9920",
    "report": "brambleoctave5127",
    "anonymous_report": "saffronkettle7718",
}
HOME = "81.2.69.10"
ELSEWHERE = "81.2.69.20"


@pytest.fixture
def app(make_app):
    return make_app(csrf_protect=True, FORUM_MODERATION="pre")


def client_at(app, address: str, user_id: int | None = None):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if user_id is not None:
        log_in(client, user_id)
    return client


def token_from(client, path: str = "/posts/first-report") -> str:
    return csrf_token(client.get(path).text)


def moderate(moderator, path: str, **data):
    response = moderator.post(path, data={"csrf_token": token_from(moderator, "/forum/moderation/bans"), **data})
    assert response.status_code == 303, response.text
    # As a browser would: the page shown next takes the flashed message.
    moderator.get(response.headers["Location"])


def author_edit(client, comment_id: int, body: str) -> None:
    page = client.get(f"/forum/comments/{comment_id}/edit")
    assert page.status_code == 200, page.text
    response = client.post(
        f"/forum/comments/{comment_id}/edit", data={"csrf_token": csrf_token(page.text), "body": body}
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def person(app):
    """Everything a person leaves in the forum; the ids and secrets an auditor needs."""
    users = add_users(app)
    with app.app_context():
        user = hostapp.User(username=NAME, email=EMAIL)
        hostapp.db.session.add(user)
        hostapp.db.session.commit()
        account = user.id
    kanya = client_at(app, HOME, account)
    kanya_anonymous = client_at(app, HOME)
    dara = client_at(app, ELSEWHERE)
    moderator = client_at(app, "81.2.69.30", users["moderator"])

    first = comment_id_from(post_comment(kanya, body=f"My story, {WORDS['first']}"))
    moderate(moderator, f"/forum/moderation/comments/{first}/approve")
    second = comment_id_from(post_comment(kanya, body=f"More: {WORDS['second']}"))
    author_edit(kanya, second, f"More: {WORDS['second_edited']}")
    detail = moderator.get(f"/forum/moderation/comments/{second}").text
    response = moderator.post(
        f"/forum/moderation/comments/{second}/edit",
        data={"csrf_token": csrf_token(detail), "body": f"More, {WORDS['moderated']}"},
    )
    assert response.status_code == 303
    author_edit(kanya, first, f"My story, told again: {WORDS['held']}")
    deleted = comment_id_from(post_comment(kanya, body=f"Never mind {WORDS['deleted']}"))
    page = kanya.get("/posts/first-report").text
    assert kanya.post(f"/forum/comments/{deleted}/delete", data={"csrf_token": csrf_token(page)}).status_code == 303
    anonymous = comment_id_from(
        post_comment(
            kanya_anonymous,
            author_name=OTHER_NAME,
            author_email=TYPED_EMAIL,
            body=f"Without signing in: {WORDS['anonymous']}",
        )
    )

    others = comment_id_from(
        post_comment(dara, author_name="Dara", author_email="dara@example.org", body="Dara's own words stay")
    )
    moderate(moderator, f"/forum/moderation/comments/{others}/approve")
    reply = comment_id_from(
        post_comment(
            dara, author_name="Dara", author_email="dara@example.org", body="An answer that stays", parent_id=str(first)
        )
    )
    moderate(moderator, f"/forum/moderation/comments/{reply}/approve")
    report = kanya.post(
        f"/forum/comments/{others}/report",
        data={
            "csrf_token": token_from(kanya),
            "reason": "abuse",
            "details": f"{NAME} ({EMAIL}) says {WORDS['report']}",
        },
    )
    assert report.status_code == 200, report.text
    anonymous_report = kanya_anonymous.post(
        f"/forum/comments/{reply}/report",
        data={
            "csrf_token": token_from(kanya_anonymous),
            "reason": "other",
            "details": f"it is me again, {WORDS['anonymous_report']}",
        },
    )
    assert anonymous_report.status_code == 200, anonymous_report.text

    moderate(
        moderator,
        f"/forum/moderation/comments/{anonymous}/ban",
        kind="email",
        reason=f"complaint about {NAME}, {TYPED_EMAIL}",
    )
    refused = post_comment(
        kanya_anonymous, author_name=OTHER_NAME, author_email=EMAIL, body=f"After the ban: {WORDS['after_ban']}"
    )
    assert refused.status_code in (303, 400)
    moderate(moderator, f"/forum/moderation/comments/{first}/ban", kind="account", reason=f"{OTHER_NAME} again")
    with app.app_context():
        session = hostapp.db.session
        if session.scalar(select(MailAddress).where(MailAddress.email == EMAIL)) is None:
            session.add(MailAddress(email=EMAIL, token="t" * 43, confirmed_at=utcnow()))
        ip_hash = session.get(Comment, first).ip_hash
        after_ban = session.scalar(select(Comment.id).where(Comment.body_markdown.contains(WORDS["after_ban"])))
        session.commit()
        assert session.get(Comment, first).edit_pending
    return {
        "account": str(account),
        "ip_hash": ip_hash,
        "moderator": moderator,
        "kanya": kanya,
        "kanya_anonymous": kanya_anonymous,
        "ids": {
            "first": first,
            "second": second,
            "deleted": deleted,
            "anonymous": anonymous,
            "after_ban": after_ban,
            "others": others,
            "reply": reply,
        },
    }


def forum(app, *args: str):
    return app.test_cli_runner().invoke(args=["forum", *args])


def every_text_mentioning(app, needles: list[str]) -> list[tuple[str, str, str]]:
    """(table, column, text) for every text value of every forum_ table, as
    the database holds it, that contains one of ``needles`` (any case)."""
    found = []
    with app.app_context():
        engine = hostapp.db.engine
        names = [name for name in inspect(engine).get_table_names() if name.startswith("forum_")]
        metadata = MetaData()
        metadata.reflect(bind=engine, only=names)
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                for column in table.columns:
                    if not isinstance(column.type, String):
                        continue
                    # Compared in Python: SQLite's lower() would miss "Ü" for "ü".
                    for (text,) in connection.execute(select(column).where(column.is_not(None))):
                        if any(needle.casefold() in text.casefold() for needle in needles):
                            found.append((table.name, column.name, text))
    return found


def test_erase_leaves_nothing_of_the_person_in_any_forum_table(app, person):
    needles = [EMAIL, "kanya", "srisuk", person["ip_hash"], f"account:{person['account']}", *WORDS.values()]
    before = every_text_mentioning(app, needles)
    tables = {table for table, _, _ in before}
    assert {
        "forum_comments",
        "forum_revisions",
        "forum_moderation_events",
        "forum_bans",
        "forum_flags",
        "forum_mail_addresses",
    } <= tables, tables

    result = forum(app, "erase", "--email", "KANYA.SRISUK@example.org", "--remove-bodies", "--yes")
    assert result.exit_code == 0, result.output
    assert "Erased 5 comments" in result.output
    # Each text that quoted them counted once, the codes stored beside a line with it.
    assert "6 texts quoting them changed" in result.output

    assert every_text_mentioning(app, needles) == []
    with app.app_context():
        session = hostapp.db.session
        account = person["account"]
        assert session.scalar(select(func.count()).select_from(Comment).where(Comment.author_id == account)) == 0
        assert (
            session.scalar(select(func.count()).select_from(ModerationEvent).where(ModerationEvent.actor_id == account))
            == 0
        )
        assert session.scalar(select(func.count()).select_from(Ban).where(Ban.value == account)) == 0
        first = session.get(Comment, person["ids"]["first"])
        assert (first.edit_pending, first.pending_markdown, first.pending_html) == (False, None, None)
        assert first.author_name == "Anonymous" and first.body_markdown == "[removed at the author's request]"
        reply = session.get(Comment, person["ids"]["reply"])
        assert (
            reply.parent_id == first.id
            and reply.author_name == "Dara"
            and reply.body_markdown == "An answer that stays"
        )
        assert session.get(Comment, person["ids"]["others"]).body_markdown == "Dara's own words stay"
        summary = session.scalars(
            select(ModerationEvent).where(ModerationEvent.action == "erase", ModerationEvent.comment_id.is_(None))
        ).all()
        assert len(summary) == 1 and "erased on request" in summary[0].reason


def test_an_erased_held_edit_cannot_be_accepted_back_onto_the_page(app, person):
    assert forum(app, "erase", "--email", EMAIL, "--remove-bodies", "--yes").exit_code == 0
    moderator, first = person["moderator"], person["ids"]["first"]
    assert "No edits are waiting." in moderator.get("/forum/moderation/?status=edits").text
    token = token_from(moderator, "/forum/moderation/bans")
    accept = moderator.post(f"/forum/moderation/comments/{first}/edits/accept", data={"csrf_token": token})
    assert accept.status_code == 400 and "has no edit waiting" in accept.text
    page = client_at(app, ELSEWHERE).get("/posts/first-report").text
    assert WORDS["held"] not in page and "[removed at the author's request]" in page
    assert "An answer that stays" in page and f'data-parent="{first}"' in page


def test_erasing_does_not_lift_the_bans_on_the_person(app, person):
    assert forum(app, "erase", "--email", EMAIL, "--yes").exit_code == 0
    with app.app_context():
        labels = sorted(ban.label for ban in hostapp.db.session.scalars(select(Ban)))
    assert labels == ["an erased account", "an erased address"]
    for client, fields in ((person["kanya"], {}), (person["kanya_anonymous"], {"author_email": EMAIL})):
        post_comment(client, body="back again", **fields)
    with app.app_context():
        statuses = hostapp.db.session.scalars(select(Comment.status).where(Comment.body_markdown == "back again")).all()
    assert len(statuses) == 2 and set(statuses) <= {"rejected", "spam"}


def test_the_audit_log_records_the_erase_and_names_no_one(app, person):
    assert forum(app, "erase", "--email", EMAIL, "--remove-bodies", "--yes").exit_code == 0
    log = person["moderator"].get("/forum/moderation/log").text
    assert "erased on request" in log
    assert "Kanya" not in log and "Srisuk" not in log and EMAIL not in log.lower()
    history = person["moderator"].get(f"/forum/moderation/log?comment={person['ids']['deleted']}").text
    assert "Anonymous" in history and "erased at the author&#39;s request, text removed" in history


def test_an_erase_that_fails_halfway_changes_nothing(app, person, monkeypatch):
    from sqlalchemy.exc import SQLAlchemyError

    from forum_plugin import personal_data

    def broken(*args, **kwargs):
        raise SQLAlchemyError("the database went away")

    monkeypatch.setattr(personal_data, "_erase_bans", broken)
    result = forum(app, "erase", "--email", EMAIL, "--remove-bodies", "--yes")
    assert result.exit_code == 1 and "Nothing was erased" in result.output and "Traceback" not in result.output
    with app.app_context():
        first = hostapp.db.session.get(Comment, person["ids"]["first"])
        assert first.author_name == NAME and first.edit_pending


def test_export_hands_the_person_everything_held_about_them(app, person):
    result = forum(app, "export", "--email", TYPED_EMAIL)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    ids = person["ids"]
    by_id = {c["id"]: c for c in data["comments"]}
    assert set(by_id) == {ids[key] for key in ("first", "second", "deleted", "anonymous", "after_ban")}
    assert data["accounts"] == [person["account"]] and set(data["names"]) == {NAME, OTHER_NAME}
    first = by_id[ids["first"]]
    assert WORDS["held"] in first["held_edit"]["body_markdown"]
    assert first["revisions"] == []  # its only new text waits, as the held edit
    second = by_id[ids["second"]]
    assert [r["body_markdown"] for r in second["revisions"]] == [
        f"More: {WORDS['second']}",
        f"More: {WORDS['second_edited']}",
    ]
    assert [r["replaced_by"] for r in second["revisions"]] == [NAME, "a moderator"]
    actions = [e["action"] for e in by_id[ids["deleted"]]["audit_events"]]
    assert actions == ["post", "delete"] and by_id[ids["deleted"]]["audit_events"][1]["by"] == NAME
    assert {e["by"] for e in first["audit_events"]} >= {"a moderator", "policy"}
    assert {e["by"] for e in second["audit_events"]} >= {"a moderator", NAME}
    assert "mod" not in {e["by"] for c in data["comments"] for e in c["audit_events"]}
    assert sorted(r["comment_id"] for r in data["reports_made"]) == [ids["others"], ids["reply"]]
    reasons = " ".join(r["reason"] for r in data["reports_made"])
    assert WORDS["report"] in reasons and WORDS["anonymous_report"] in reasons
    assert sorted(b["kind"] for b in data["bans"]) == ["account", "email"]
    assert data["mail_address"]["email"] == EMAIL and data["mail_address"]["confirmed_at"]
    assert "t" * 43 not in result.output and "token" not in data["mail_address"]
    assert "Dara" not in result.output and "dara@example.org" not in result.output


def test_export_and_erase_of_an_address_held_only_as_a_mail_address(app):
    with app.app_context():
        hostapp.db.session.add(MailAddress(email="only@example.org", token="u" * 43))
        hostapp.db.session.commit()
    exported = json.loads(forum(app, "export", "--email", "Only@example.org").output)
    assert exported["comments"] == [] and exported["mail_address"]["confirmed_at"] is None
    assert forum(app, "erase", "--email", "only@example.org", "--yes").exit_code == 0
    assert every_text_mentioning(app, ["only@example.org"]) == []
    nothing = forum(app, "erase", "--email", "only@example.org", "--yes")
    assert nothing.exit_code == 1 and "Nothing is held about only@example.org" in nothing.output


@pytest.mark.parametrize(
    "typed, asked",
    [
        ("ZÜRI.Nöel@Example.org", "züri.nöel@example.org"),
        ("züri.nöel@example.org", "ZÜRI.NÖEL@EXAMPLE.ORG"),
        ("İlker.Züri.Nöel@example.org", "İlker.züri.nöel@example.org"),
    ],
)
def test_an_address_with_letters_beyond_ascii_is_found_in_any_case(app, typed, asked):
    """SQLite's lower() folds only ASCII letters; the person is found anyway."""
    client = client_at(app, HOME)
    comment_id = comment_id_from(
        post_comment(client, author_name="Zoë Nöel", author_email=typed, body="Ich heiße Zoë: lanternquill5521")
    )
    exported = forum(app, "export", "--email", asked)
    assert exported.exit_code == 0, exported.output
    assert [c["id"] for c in json.loads(exported.output)["comments"]] == [comment_id]
    erased = forum(app, "erase", "--email", asked, "--remove-bodies", "--yes")
    assert erased.exit_code == 0 and "Erased 1 comment" in erased.output, erased.output
    assert every_text_mentioning(app, ["züri", "ZÜRI", "Zoë", "lanternquill5521", typed]) == []
