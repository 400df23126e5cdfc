"""The write side called directly, without HTTP: posting, moderating one
comment or many, editing and reporting.

Each call is one transaction: the comment rows, the counts kept on their
threads and one audit event per change are committed together, and the
signals go out only after the commit (a receiver reading through a
connection of its own already sees the change).
"""

from __future__ import annotations

from typing import Iterator

import pytest
from sqlalchemy import func, select

from forum_plugin import comments, signals
from forum_plugin.models import Comment, Flag, ModerationEvent, Revision, Status, Thread
from forum_plugin.policy import Draft
from forum_plugin.state import get_state

from . import hostapp
from .conftest import host_place

MODERATOR = comments.Actor("2", "mod")
STATUSES = tuple(status.value for status in Status)


@pytest.fixture
def session(app) -> Iterator:
    """The host's session, inside a request to the app (the forum's texts are translated per request)."""
    with app.test_request_context():
        yield hostapp.db.session


def post(session, body: str = "Thank you for this report.", *, key: str = "first-report", **draft) -> Comment:
    """A reader's comment, stored as the comment form stores it."""
    state = get_state()
    written = Draft(body=body, author_name=draft.pop("author_name", "Mali"), **draft)
    return comments.post(session, host_place(key), written, parent_id=None, settings=state.settings).comment


def kept_counts(session, key: str = "first-report") -> dict[str, int]:
    thread = session.scalar(select(Thread).where(Thread.key == key))
    session.refresh(thread)
    return {status: getattr(thread, f"{status}_count") for status in STATUSES}


def counted(session, key: str = "first-report") -> dict[str, int]:
    """The same figures counted afresh from the comments."""
    rows = dict(
        session.execute(
            select(Comment.status, func.count()).join(Thread).where(Thread.key == key).group_by(Comment.status)
        ).all()
    )
    return {status: rows.get(status, 0) for status in STATUSES}


def events(session, comment: Comment) -> list[tuple[str, str | None, str, str]]:
    rows = session.execute(
        select(
            ModerationEvent.action, ModerationEvent.from_status, ModerationEvent.to_status, ModerationEvent.actor_name
        )
        .where(ModerationEvent.comment_id == comment.id)
        .order_by(ModerationEvent.id)
    )
    return [tuple(row) for row in rows]


@pytest.fixture
def sent(app) -> Iterator[list[tuple[str, int, str | None]]]:
    """Every forum signal as (name, comment id, status committed at that moment),
    the status read through a connection of the receiver's own."""
    received: list[tuple[str, int, str | None]] = []
    names = {
        signals.comment_posted: "posted",
        signals.comment_approved: "approved",
        signals.comment_rejected: "rejected",
        signals.comment_edited: "edited",
        signals.comment_deleted: "deleted",
        signals.comment_flagged: "flagged",
    }

    def receiver(signal_name: str):
        def receive(sender, comment: Comment, **extra) -> None:
            with hostapp.db.engine.connect() as own:
                status = own.scalar(select(Comment.status).where(Comment.id == comment.id))
            received.append((signal_name, comment.id, status))

        return receive

    connected = [(signal, receiver(name)) for signal, name in names.items()]
    for signal, receive in connected:
        signal.connect(receive, sender=app, weak=False)
    yield received
    for signal, receive in connected:
        signal.disconnect(receive, sender=app)


def test_a_readers_comment_waits_with_its_count_its_event_and_one_signal_after_the_commit(session, sent):
    comment = post(session)
    assert comment.status == Status.PENDING.value
    assert kept_counts(session) == counted(session) == {**dict.fromkeys(STATUSES, 0), "pending": 1}
    assert events(session, comment) == [("post", None, "pending", "policy")]
    assert sent == [("posted", comment.id, "pending")]


def test_a_moderators_comment_is_published_at_once_and_says_so_twice(session, sent):
    comment = post(session, author_name="mod", author_id="2", author_is_moderator=True)
    assert comment.status == Status.APPROVED.value
    assert kept_counts(session) == counted(session) == {**dict.fromkeys(STATUSES, 0), "approved": 1}
    assert sent == [("posted", comment.id, "approved"), ("approved", comment.id, "approved")]


def test_a_reply_to_a_comment_that_is_not_published_stores_nothing(session, sent):
    waiting = post(session)
    state = get_state()
    place = host_place()
    with pytest.raises(comments.ParentError):
        comments.post(
            session, place, Draft(body="A reply.", author_name="Kim"), parent_id=waiting.id, settings=state.settings
        )
    assert session.scalar(select(func.count()).select_from(Comment)) == 1
    assert kept_counts(session) == counted(session)
    assert [name for name, _, _ in sent] == ["posted"]


def test_a_form_nonce_posts_once(session):
    state = get_state()
    place = host_place()
    draft = Draft(body="Posted twice?", author_name="Mali")
    comments.post(session, place, draft, parent_id=None, settings=state.settings, form_nonce="n1")
    with pytest.raises(comments.FormUsed):
        comments.post(session, place, draft, parent_id=None, settings=state.settings, form_nonce="n1")
    assert session.scalar(select(func.count()).select_from(Comment)) == 1
    assert kept_counts(session) == counted(session)


def test_approving_moves_the_count_writes_the_event_and_signals_after_the_commit(session, sent):
    comment = post(session)
    changed = comments.moderate(session, [comment], "approve", by=MODERATOR)
    assert changed == [comment]
    assert kept_counts(session) == counted(session) == {**dict.fromkeys(STATUSES, 0), "approved": 1}
    assert events(session, comment)[-1] == ("approve", "pending", "approved", "mod")
    assert sent[-1] == ("approved", comment.id, "approved")


def test_a_bulk_action_changes_only_what_it_would_move_across_threads(session, sent):
    first = [post(session, f"comment {n}") for n in range(3)]
    second = post(session, "on the other post", key="second-report")
    comments.moderate(session, [first[0]], "reject", by=MODERATOR)
    del sent[:]

    changed = comments.moderate(session, [*first, second], "reject", by=MODERATOR, reason="off topic")
    assert {c.id for c in changed} == {first[1].id, first[2].id, second.id}
    for key in ("first-report", "second-report"):
        assert kept_counts(session, key) == counted(session, key)
    assert kept_counts(session)["rejected"] == 3 and kept_counts(session, "second-report")["rejected"] == 1
    assert [action for action, *_ in events(session, first[0])] == ["post", "reject"]
    assert sorted(sent) == sorted(("rejected", c.id, "rejected") for c in changed)


def test_restore_puts_a_removed_comment_back_where_it_was(session, sent):
    comment = post(session)
    comments.moderate(session, [comment], "approve", by=MODERATOR)
    comments.moderate(session, [comment], "delete", by=MODERATOR)
    assert kept_counts(session)["deleted"] == 1
    assert sent[-1] == ("deleted", comment.id, "deleted")

    comments.moderate(session, [comment], "restore", by=MODERATOR)
    assert comment.status == Status.APPROVED.value
    assert kept_counts(session) == counted(session) == {**dict.fromkeys(STATUSES, 0), "approved": 1}
    assert events(session, comment)[-1] == ("restore", "deleted", "approved", "mod")
    assert comments.moderate(session, [comment], "restore", by=MODERATOR) == []


def test_a_moderators_edit_keeps_the_old_text_as_a_revision(session, sent):
    comment = post(session, "Teh bridge is open.")
    comments.edit(session, comment, "The bridge is *open*.", by=MODERATOR, sanitizer=get_state().settings.sanitizer)
    assert comment.body_markdown == "The bridge is *open*." and "<em>open</em>" in comment.body_html
    [revision] = session.scalars(select(Revision).where(Revision.comment_id == comment.id))
    assert (revision.body_markdown, revision.editor_name) == ("Teh bridge is open.", "mod")
    assert events(session, comment)[-1] == ("edit", "pending", "pending", "mod")
    assert sent[-1] == ("edited", comment.id, "pending")


def test_reports_count_once_per_reader_and_send_the_comment_back_at_the_threshold(session, sent):
    comment = post(session)
    comments.moderate(session, [comment], "approve", by=MODERATOR)
    assert comments.report(session, comment, reporter="ip:a", reason="abuse", threshold=2) is False
    assert comment.flag_count == 1 and comment.status == Status.APPROVED.value
    assert sent[-1] == ("flagged", comment.id, "approved")
    with pytest.raises(comments.ReportError):
        comments.report(session, comment, reporter="ip:a", reason="abuse", threshold=2)
    assert comment.flag_count == 1

    assert comments.report(session, comment, reporter="ip:b", reason="spam", threshold=2) is True
    assert comment.status == Status.PENDING.value
    assert kept_counts(session) == counted(session) == {**dict.fromkeys(STATUSES, 0), "pending": 1}
    assert events(session, comment)[-1][:2] == ("report", "approved")
    assert events(session, comment)[-1][3] == "readers"


def test_an_approval_clears_the_reports_it_answers(session):
    comment = post(session)
    comments.moderate(session, [comment], "approve", by=MODERATOR)
    comments.report(session, comment, reporter="ip:a", reason="abuse", threshold=1)
    comments.moderate(session, [comment], "approve", by=MODERATOR)
    assert comment.flag_count == 0
    assert session.scalar(select(func.count()).select_from(Flag).where(Flag.cleared_at.is_(None))) == 0
    assert kept_counts(session) == counted(session)


def test_a_report_on_a_comment_that_is_not_published_is_refused(session):
    comment = post(session)
    with pytest.raises(comments.ReportError):
        comments.report(session, comment, reporter="ip:a", reason="abuse", threshold=3)
    assert session.scalar(select(func.count()).select_from(Flag)) == 0


def test_an_authors_edit_of_a_waiting_comment_replaces_it_and_keeps_the_old_text(session, sent):
    comment = post(session, "First words.", ip_hash="h1")
    draft = Draft(body="Better words.", author_name="Mali", ip_hash="h1")
    comments.author_edit(session, comment, draft, settings=get_state().settings)
    assert comment.body_markdown == "Better words."
    assert [r.body_markdown for r in session.scalars(select(Revision).where(Revision.comment_id == comment.id))] == [
        "First words."
    ]
    assert events(session, comment)[-1][:2] == ("author edit", "pending")
    assert kept_counts(session) == counted(session)
    assert sent[-1] == ("edited", comment.id, "pending")
