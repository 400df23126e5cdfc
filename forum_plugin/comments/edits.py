"""New text for comments: a moderator's edit, an author's edit judged again
by the policy, and a moderator's answer to an author's held edit. The text
replaced is always kept as a revision."""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import markup, policy, reasons, signals
from ..audit import Actor, comment_event
from ..config import Settings
from ..models import Comment, ModerationEvent, Revision, Status
from ..vocabulary import AuditAction
from .counts import adjust_counts
from .moderation import REMOVED
from .posting import judge
from .signalling import send

# What an author may still change: a moderator's decision stays theirs.
AUTHOR_CHANGEABLE = tuple(status for status in Status if not status.removed)
# And what they may change while no moderator has acted on it: also removed
# comments they are shown as pending (kept as spam by a silent ban).
_OPEN_TO_AUTHOR = tuple(status for status in Status if not status.removed or status.author_sees_pending)

# Audit events that are no moderator's doing: the post and its author's edits.
_AUTHORS_OWN_EVENTS = tuple(action.value for action in AuditAction if action.by_author)


def authors_may_change(session: Session, comment_ids: Sequence[int]) -> set[int]:
    """Of ``comment_ids``, those their authors may still edit or delete:
    waiting for a first decision or published, never one a moderator
    removed or reworded, nor one readers' reports sent back to the queue.

    A comment the policy kept silently as spam (a silent ban) reads as
    awaiting moderation to its author, so it stays theirs like any waiting
    comment until a moderator acts on it; their edit is judged again.
    """
    if not comment_ids:
        return set()
    open_statuses = {
        comment_id: status
        for comment_id, status, flag_count in session.execute(
            select(Comment.id, Comment.status, Comment.flag_count).where(Comment.id.in_(list(comment_ids)))
        )
        if status in _OPEN_TO_AUTHOR and not (status == Status.PENDING and flag_count > 0)
    }
    if not open_statuses:
        return set()
    acted_on: dict[int, set[str]] = {}
    for comment_id, action in session.execute(
        select(ModerationEvent.comment_id, ModerationEvent.action)
        .where(ModerationEvent.comment_id.in_(list(open_statuses)))
        .where(ModerationEvent.action.not_in(_AUTHORS_OWN_EVENTS))
        .distinct()
    ):
        # Every row asked for names one of the open comments.
        assert comment_id is not None
        acted_on.setdefault(comment_id, set()).add(action)
    return {
        comment_id
        for comment_id, status in open_statuses.items()
        if AuditAction.EDIT not in acted_on.get(comment_id, ())
        and (status in AUTHOR_CHANGEABLE or comment_id not in acted_on)
    }


def may_author_change(session: Session, comment: Comment) -> bool:
    """Whether its author may still edit or delete ``comment`` (:func:`authors_may_change`)."""
    return comment.id in authors_may_change(session, [comment.id])


def _replace_text(session: Session, comment: Comment, body: str, body_html: str, by: Actor) -> None:
    """Give ``comment`` new text, keeping what it said before as a revision."""
    session.add(
        Revision(
            comment_id=comment.id,
            body_markdown=comment.body_markdown,
            body_html=comment.body_html,
            editor_id=by.id,
            editor_name=by.name[:100],
        )
    )
    comment.body_markdown = body
    comment.body_html = body_html


def edit(session: Session, comment: Comment, body: str, *, by: Actor, sanitizer: str) -> None:
    """A moderator's new text for a comment; the old one is kept as a revision."""
    _replace_text(session, comment, body, markup.render(body, sanitizer), by)
    session.add(comment_event(comment, by, AuditAction.EDIT, comment.status, (reasons.TEXT_EDITED,)))
    session.commit()
    send(signals.comment_edited, comment)


def author_edit(
    session: Session,
    comment: Comment,
    draft: policy.Draft,
    *,
    settings: Settings,
    rules: Sequence[policy.Rule] = policy.DEFAULT_RULES,
) -> policy.Decision:
    """An author's new text for their comment, judged again by the policy.

    A published comment keeps its published text on the page when the
    policy would hold the new one: the edit waits for a moderator
    (:func:`accept_edit`). An edit the policy refuses changes nothing. Any
    other edit replaces the text, keeping the old one as a revision; a
    comment kept as spam keeps that status whatever the new judgement.

    :raises ValueError: when the author may no longer change the comment
        (:func:`may_author_change`): a moderator's decision is never undone.
    """
    if not may_author_change(session, comment):
        raise ValueError(f"comment #{comment.id} is no longer its author's to change")
    decision, body_html = judge(session, draft, settings, rules, duplicates=False)
    author = Actor(draft.author_id, draft.author_name)
    published = comment.status == Status.APPROVED
    if published and decision.status in REMOVED:
        session.add(comment_event(comment, author, AuditAction.AUTHOR_EDIT_REFUSED, comment.status, decision.reasons))
    elif published and decision.status == Status.PENDING:
        comment.edit_pending = True
        comment.pending_markdown = draft.body
        comment.pending_html = body_html
        session.add(comment_event(comment, author, AuditAction.AUTHOR_EDIT_HELD, comment.status, decision.reasons))
    else:
        _replace_text(session, comment, draft.body, body_html, author)
        from_status = comment.status
        # Kept as spam stays spam: only a moderator lets it out (a lifted
        # ban, or an edit sent from another address, does not).
        if decision.status != from_status and from_status != Status.SPAM:
            comment.status = decision.status.value
            comment.reasons = decision.reasons
            adjust_counts(session, comment.thread_id, from_status, comment.status)
        session.add(
            comment_event(
                comment, author, AuditAction.AUTHOR_EDIT, from_status, (reasons.EDITED_BY_AUTHOR, *decision.reasons)
            )
        )
    session.commit()
    if not comment.edit_pending:
        send(signals.comment_edited, comment)
    return decision


def _settle_edit(session: Session, comment: Comment, by: Actor, accepted: bool) -> None:
    """Apply or drop a held edit; either way both texts stay on record."""
    if accepted:
        _replace_text(session, comment, comment.pending_markdown or "", comment.pending_html or "", by)
    else:
        # The refused text is kept among the revisions, so nothing is lost.
        session.add(
            Revision(
                comment_id=comment.id,
                body_markdown=comment.pending_markdown or "",
                body_html=comment.pending_html or "",
                editor_id=by.id,
                editor_name=f"{by.name[:80]} (refused edit)",
            )
        )
    comment.edit_pending = False
    comment.pending_markdown = comment.pending_html = None
    session.add(
        comment_event(comment, by, AuditAction.ACCEPT_EDIT if accepted else AuditAction.REFUSE_EDIT, comment.status, ())
    )
    session.commit()
    if accepted:
        send(signals.comment_edited, comment)


def accept_edit(session: Session, comment: Comment, *, by: Actor) -> None:
    _settle_edit(session, comment, by, accepted=True)


def refuse_edit(session: Session, comment: Comment, *, by: Actor) -> None:
    _settle_edit(session, comment, by, accepted=False)
