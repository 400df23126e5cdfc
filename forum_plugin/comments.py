"""The write side: posting, moderating, editing and reporting comments.

Each public function is one transaction: it changes the comments, keeps the
threads' counts, appends audit events, commits, and only then sends its
signals, so receivers never see work that could still roll back. Nothing
ever cascades: removing a comment leaves its replies where they are.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from html import escape
from typing import Sequence

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import bans, markup, policy, reasons, signals, threads
from .config import Settings
from .i18n import gettext, lazy_gettext
from .models import Comment, Flag, ModerationEvent, Revision, Status, Thread, utcnow
from .reasons import Given
from .state import get_state

REMOVED = (Status.REJECTED, Status.SPAM, Status.DELETED)
# What an author may still change: a moderator's decision stays theirs.
AUTHOR_CHANGEABLE = (Status.PENDING, Status.APPROVED)
# Marks the HTML of a comment the policy refused before its text was
# rendered; the sanitizer keeps no class attribute, so rendered text never has it.
_UNRENDERED = '<p class="forum-unrendered">'

PARENT_NOT_AVAILABLE = lazy_gettext("The comment you are replying to is not available.")


class ParentError(ValueError):
    """A reply names a parent it cannot hang under; the message is for the reader."""


class FormUsed(ValueError):
    """The form's one-use nonce already posted a comment."""


@dataclass(frozen=True)
class Actor:
    """Who made a moderation decision: an account, or a rule (no id)."""

    id: str | None
    name: str


POLICY = Actor(None, "policy")
READERS = Actor(None, "readers")

# What each moderation action does; "restore" goes back to where the comment was.
ACTIONS: dict[str, Status | None] = {
    "approve": Status.APPROVED,
    "reject": Status.REJECTED,
    "spam": Status.SPAM,
    "delete": Status.DELETED,
    "restore": None,
}

_TRANSITION_SIGNALS = {
    Status.APPROVED: signals.comment_approved,
    Status.REJECTED: signals.comment_rejected,
    Status.SPAM: signals.comment_rejected,
    Status.DELETED: signals.comment_deleted,
}


def find_parent(session: Session, thread: Thread | None, parent_id: int) -> Comment:
    """The approved comment of ``thread`` a reply answers.

    :raises ParentError: when there is none. A missing, hidden or removed
        comment, or one of another page, all read the same, so that replies
        tell nobody what exists.
    """
    parent = session.get(Comment, parent_id) if thread is not None else None
    if parent is None or parent.thread_id != thread.id or parent.status != Status.APPROVED:
        raise ParentError(str(PARENT_NOT_AVAILABLE))
    return parent


# Audit events that are no moderator's doing: the post and its author's edits.
_AUTHORS_OWN_EVENTS = ("post", "author edit", "author edit held", "author edit refused")


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
        if status in AUTHOR_CHANGEABLE + (Status.SPAM,) and not (status == Status.PENDING and flag_count > 0)
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
        acted_on.setdefault(comment_id, set()).add(action)
    return {
        comment_id
        for comment_id, status in open_statuses.items()
        if "edit" not in acted_on.get(comment_id, ()) and (status != Status.SPAM or comment_id not in acted_on)
    }


def may_author_change(session: Session, comment: Comment) -> bool:
    """Whether its author may still edit or delete ``comment`` (:func:`authors_may_change`)."""
    return comment.id in authors_may_change(session, [comment.id])


def shared_address(address: str | None) -> bool | None:
    """Whether a client address is loopback, private or link-local, so many
    readers may share it; None when there is no readable address."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bans.is_shared_address(str(ip))


def form_used(session: Session, nonce: str) -> bool:
    """Whether a comment was already posted with the form nonce ``nonce``."""
    return session.scalar(select(Comment.id).where(Comment.form_nonce == nonce).limit(1)) is not None


def _count_delta(old: str | None, new: str) -> dict:
    """The thread column updates that move one comment from ``old`` to ``new``."""
    values = {}
    if old is not None:
        values[Thread.count_column(old)] = getattr(Thread, Thread.count_column(old)) - 1
    values[Thread.count_column(new)] = getattr(Thread, Thread.count_column(new)) + 1
    return values


def _adjust_counts(session: Session, thread_id: int, old: str | None, new: str) -> None:
    if old != new:
        session.execute(update(Thread).where(Thread.id == thread_id).values(**_count_delta(old, new)))


def recount_threads(session: Session, thread_ids: set[int]) -> None:
    """Count the comments of ``thread_ids`` per status again, after bulk changes."""

    def counted(status: Status):
        return (
            select(func.count())
            .select_from(Comment)
            .where(Comment.thread_id == Thread.id, Comment.status == status.value)
            .scalar_subquery()
        )

    ids = sorted(thread_ids)
    for start in range(0, len(ids), 500):
        session.execute(
            update(Thread)
            .where(Thread.id.in_(ids[start : start + 500]))
            .values({Thread.count_column(status.value): counted(status) for status in Status})
        )


def _send(signal, comment: Comment) -> None:
    signal.send(current_app._get_current_object(), comment=comment)


def _event(comment: Comment, by: Actor, action: str, from_status: str | None, why: Sequence[Given]) -> ModerationEvent:
    return ModerationEvent(
        comment_id=comment.id,
        actor_id=by.id,
        actor_name=by.name[:100],
        action=action,
        from_status=from_status,
        to_status=comment.status,
        reasons=why,
    )


def policy_context(session: Session, draft: policy.Draft, settings: Settings) -> policy.Context:
    """Gather what the rules need to know about the site and the author."""
    banned_words, suspect_words = bans.words(session, settings.banned_words, settings.suspect_words)
    now = utcnow()
    approved_before = rejected_recently = 0
    if draft.author_id is not None:
        by_status = dict(
            session.execute(
                select(Comment.status, func.count())
                .where(
                    Comment.author_id == draft.author_id,
                    (Comment.status == Status.APPROVED)
                    | (
                        Comment.status.in_([Status.REJECTED, Status.SPAM])
                        & (Comment.created_at > now - timedelta(days=policy.TRUST_WINDOW_DAYS))
                    ),
                )
                .group_by(Comment.status)
            ).all()
        )
        approved_before = by_status.get(Status.APPROVED.value, 0)
        rejected_recently = by_status.get(Status.REJECTED.value, 0) + by_status.get(Status.SPAM.value, 0)
    same_author = (
        Comment.author_id == draft.author_id if draft.author_id is not None else Comment.ip_hash == draft.ip_hash
    )
    duplicate = False
    if draft.ip_hash is not None or draft.author_id is not None:
        recent = session.scalars(
            select(Comment.body_markdown)
            .where(same_author, Comment.created_at > now - policy.DUPLICATE_WINDOW)
            .order_by(Comment.id.desc())
            .limit(20)
        )
        # Compared here, not in SQL, where MySQL's collations would call
        # "Hello" and "hello" the same text.
        duplicate = any(body == draft.body for body in recent)
    return policy.Context(
        mode=settings.moderation,
        banned_words=banned_words,
        suspect_words=suspect_words,
        max_links=settings.max_links,
        trust_after=settings.trust_after,
        ban=bans.matching(session, email=draft.author_email, account_id=draft.author_id, ip_hash=draft.ip_hash),
        ban_silent=settings.ban_silent,
        approved_before=approved_before,
        rejected_recently=rejected_recently,
        duplicate=duplicate,
    )


def unrendered_html(text: str) -> str:
    """A refused comment's text as typed, escaped, for moderators to read:
    neither Markdown nor the sanitizer runs for a comment nobody will see."""
    return _UNRENDERED + escape(text).replace("\n", "<br>\n") + "</p>"


def _render_if_unrendered(comment: Comment) -> None:
    """Render a refused comment's text now that a moderator brings it back."""
    if comment.body_html.startswith(_UNRENDERED):
        comment.body_html = markup.render(comment.body_markdown, get_state().settings.sanitizer)


def judge(
    session: Session, draft: policy.Draft, settings: Settings, rules: Sequence[policy.Rule], *, duplicates: bool = True
) -> tuple[policy.Decision, str]:
    """The policy's decision on ``draft`` and the HTML to store with it.

    The rules that need no rendered text (bans, words, duplicates) run
    first: a comment they refuse, which the reader is told about and no one
    else sees, is never rendered. A comment kept silently as spam is
    rendered like any other, as its author must see nothing unusual.
    """
    context = policy_context(session, draft, settings)
    if not duplicates:
        context = dataclasses.replace(context, duplicate=False)
    cheap, rest = policy.before_rendering(rules)
    decision = policy.first_decision(draft, context, cheap)
    if decision is not None and decision.status == Status.REJECTED:
        return decision, unrendered_html(draft.body)
    body_html = markup.render(draft.body, settings.sanitizer)
    if decision is None:
        draft = dataclasses.replace(draft, links=markup.count_links(body_html))
        decision = policy.decide(draft, context, rest)
    return decision, body_html


@dataclass(frozen=True)
class Posted:
    comment: Comment
    decision: policy.Decision
    thread: Thread


def post(
    session: Session,
    place: threads.Place | Thread,
    draft: policy.Draft,
    *,
    parent_id: int | None,
    settings: Settings,
    rules: Sequence[policy.Rule] = policy.DEFAULT_RULES,
    form_nonce: str | None = None,
    ip_private: bool | None = None,
) -> Posted:
    """Store a new comment or reply with the status the policy gives it, on
    the thread of ``place``: its row is made, or its title and URL updated,
    in the same transaction.

    :raises ParentError: when ``parent_id`` names no approved comment of
        the thread; nothing is stored then.
    :raises FormUsed: when ``form_nonce`` already posted a comment (two
        replays racing each other included); nothing is stored then.
    """
    if isinstance(place, Thread):
        place = threads.Place.of(place)
    thread = threads.get_thread(session, place.key)
    parent = find_parent(session, thread, parent_id) if parent_id is not None else None
    decision, body_html = judge(session, draft, settings, rules)
    thread = threads.thread_for_post(session, place)
    comment = Comment(
        thread_id=thread.id,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        status=decision.status.value,
        reasons=decision.reasons,
        author_id=draft.author_id,
        author_name=draft.author_name,
        author_email=draft.author_email,
        ip_hash=draft.ip_hash,
        ip_private=ip_private,
        body_markdown=draft.body,
        body_html=body_html,
        notify=draft.notify and bool(draft.author_email),
        form_nonce=form_nonce,
    )
    # The thread's row is locked first, by its count: MySQL's foreign-key
    # check would otherwise take a shared lock on it at the insert, and two
    # posts upgrading theirs at once deadlock.
    _adjust_counts(session, thread.id, None, comment.status)
    session.add(comment)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        if form_nonce is not None and form_used(session, form_nonce):
            raise FormUsed(form_nonce) from None
        raise
    session.add(_event(comment, POLICY, "post", None, decision.reasons))
    session.commit()
    _send(signals.comment_posted, comment)
    if comment.status == Status.APPROVED:
        _send(signals.comment_approved, comment)
    return Posted(comment, decision, thread)


def _restore_targets(session: Session, comments: Sequence[Comment]) -> dict[int, Status]:
    """Where each removed comment was before it was removed (pending if unknown)."""
    removed = {c.id: c.status for c in comments if c.status in REMOVED}
    targets = dict.fromkeys(removed, Status.PENDING)
    if not removed:
        return targets
    events = session.execute(
        select(ModerationEvent.comment_id, ModerationEvent.from_status, ModerationEvent.to_status)
        .where(ModerationEvent.comment_id.in_(list(removed)))
        .order_by(ModerationEvent.id.desc())
    ).all()
    decided: set[int] = set()
    for comment_id, from_status, to_status in events:
        if comment_id in decided or to_status != removed[comment_id]:
            continue
        decided.add(comment_id)
        if from_status and from_status not in REMOVED:
            targets[comment_id] = Status(from_status)
    return targets


def _clear_reports(session: Session, comments: Sequence[Comment]) -> dict[int, int]:
    """Mark the open reports of ``comments`` answered by an approval; how many each had."""
    ids = [c.id for c in comments]
    if not ids:
        return {}
    open_reports = Flag.cleared_at.is_(None)
    counts = dict(
        session.execute(
            select(Flag.comment_id, func.count())
            .where(Flag.comment_id.in_(ids), open_reports)
            .group_by(Flag.comment_id)
        ).all()
    )
    if counts:
        session.execute(
            update(Flag).where(Flag.comment_id.in_(list(counts)), open_reports).values(cleared_at=utcnow()),
            execution_options={"synchronize_session": False},
        )
    for comment in comments:
        comment.flag_count = 0
    return counts


def _with_cleared(why: tuple[Given, ...], cleared: int) -> tuple[Given, ...]:
    return (*why, reasons.cleared_reports(cleared)) if cleared else why


def _move(
    session: Session, moves: Sequence[tuple[Comment, Status]], action: str, by: Actor, reason: Given
) -> list[Comment]:
    """Move each comment to its status, with audit events and counts, in one transaction.

    An approval answers the readers' reports so far: they are marked
    cleared (and the event says how many), and only new ones count toward
    the threshold again.
    """
    why = (reason,) if reason else ()
    moving = [(comment, to_status) for comment, to_status in moves if comment.status != to_status]
    cleared = _clear_reports(session, [c for c, to_status in moving if to_status == Status.APPROVED])
    for comment, to_status in moving:
        from_status = comment.status
        if from_status in REMOVED and to_status not in REMOVED:
            _render_if_unrendered(comment)
        comment.status = to_status.value
        if why:
            comment.reasons = why
        session.add(_event(comment, by, action, from_status, _with_cleared(why, cleared.get(comment.id, 0))))
        _adjust_counts(session, comment.thread_id, from_status, to_status.value)
    session.commit()
    for comment, to_status in moving:
        if to_status in _TRANSITION_SIGNALS:
            _send(_TRANSITION_SIGNALS[to_status], comment)
    return [comment for comment, _ in moving]


def moderate(
    session: Session, comments: Sequence[Comment], action: str, *, by: Actor, reason: Given = ""
) -> list[Comment]:
    """Apply ``action`` (see :data:`ACTIONS`) to ``comments`` in one transaction,
    for ``reason`` (a moderator's own words, or one the forum wrote) if given.

    Comments already where the action would put them are left alone, as is
    "restore" on a comment that was never removed. Returns those changed.
    """
    target = ACTIONS[action]
    if target is None:
        restore_to = _restore_targets(session, comments)
        moves = [(c, restore_to[c.id]) for c in comments if c.id in restore_to]
    else:
        moves = [(c, target) for c in comments]
    return _move(session, moves, action, by, reason)


def approve(session: Session, comment: Comment, *, by: Actor) -> None:
    moderate(session, [comment], "approve", by=by)


def reject(session: Session, comment: Comment, *, by: Actor) -> None:
    moderate(session, [comment], "reject", by=by)


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
    session.add(_event(comment, by, "edit", comment.status, (reasons.TEXT_EDITED,)))
    session.commit()
    _send(signals.comment_edited, comment)


class ReportError(ValueError):
    """A report that cannot be taken; the message is for the reader."""


def report(session: Session, comment: Comment, *, reporter: str, reason: str, threshold: int) -> bool:
    """Record one reader's report; at ``threshold`` reports the comment goes back to the queue.

    Returns whether the comment went back to the queue.

    :raises ReportError: when the comment is not published or this reader
        already reported it.
    """
    if comment.status != Status.APPROVED:
        raise ReportError(gettext("Only published comments can be reported."))
    # Count first (an exclusive lock on the comment), then insert the report
    # whose foreign key would otherwise share-lock it: see post().
    session.execute(update(Comment).where(Comment.id == comment.id).values(flag_count=Comment.flag_count + 1))
    session.add(Flag(comment_id=comment.id, reporter=reporter[:80], reason=reason[:200]))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ReportError(gettext("You have already reported this comment. Thank you.")) from None
    session.commit()
    session.refresh(comment)
    _send(signals.comment_flagged, comment)
    if comment.flag_count >= threshold and comment.status == Status.APPROVED:
        _move(session, [(comment, Status.PENDING)], "report", READERS, reasons.reported(comment.flag_count))
        return True
    return False


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
        session.add(_event(comment, author, "author edit refused", comment.status, decision.reasons))
    elif published and decision.status == Status.PENDING:
        comment.edit_pending = True
        comment.pending_markdown = draft.body
        comment.pending_html = body_html
        session.add(_event(comment, author, "author edit held", comment.status, decision.reasons))
    else:
        _replace_text(session, comment, draft.body, body_html, author)
        from_status = comment.status
        # Kept as spam stays spam: only a moderator lets it out (a lifted
        # ban, or an edit sent from another address, does not).
        if decision.status != from_status and from_status != Status.SPAM:
            comment.status = decision.status.value
            comment.reasons = decision.reasons
            _adjust_counts(session, comment.thread_id, from_status, comment.status)
        session.add(_event(comment, author, "author edit", from_status, (reasons.EDITED_BY_AUTHOR, *decision.reasons)))
    session.commit()
    if not comment.edit_pending:
        _send(signals.comment_edited, comment)
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
    session.add(_event(comment, by, "accept edit" if accepted else "refuse edit", comment.status, ()))
    session.commit()
    if accepted:
        _send(signals.comment_edited, comment)


def accept_edit(session: Session, comment: Comment, *, by: Actor) -> None:
    _settle_edit(session, comment, by, accepted=True)


def refuse_edit(session: Session, comment: Comment, *, by: Actor) -> None:
    _settle_edit(session, comment, by, accepted=False)
