"""Posting: a new comment or reply, judged by the policy and stored with
its thread's counts and its audit event in one transaction."""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import author_record, bans, markup, policy, signals, threads
from ..audit import POLICY, comment_event
from ..config import Settings
from ..i18n import lazy_gettext
from ..models import Comment, Status, Thread, utcnow
from ..vocabulary import AuditAction
from .counts import adjust_counts
from .signalling import send
from .threads import thread_for_post
from .unrendered import unrendered_html

PARENT_NOT_AVAILABLE = lazy_gettext("The comment you are replying to is not available.")


class ParentError(ValueError):
    """A reply names a parent it cannot hang under; the message is for the reader."""


class FormUsed(ValueError):
    """The form's one-use nonce already posted a comment."""


def find_parent(session: Session, thread: Thread | None, parent_id: int) -> Comment:
    """The approved comment of ``thread`` a reply answers.

    :raises ParentError: when there is none. A missing, hidden or removed
        comment, or one of another page, all read the same, so that replies
        tell nobody what exists.
    """
    parent = session.get(Comment, parent_id) if thread is not None else None
    if parent is None or thread is None or parent.thread_id != thread.id or parent.status != Status.APPROVED:
        raise ParentError(str(PARENT_NOT_AVAILABLE))
    return parent


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


def policy_context(session: Session, draft: policy.Draft, settings: Settings) -> policy.Context:
    """Gather what the rules need to know about the site and the author."""
    banned_words, suspect_words = bans.words(session, settings.banned_words, settings.suspect_words)
    now = utcnow()
    approved_before = rejected_recently = 0
    if draft.author_id is not None:
        approved_before, rejected_recently = author_record.trust_record(session, draft.author_id, now)
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
    thread = thread_for_post(session, place)
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
    adjust_counts(session, thread.id, None, comment.status)
    session.add(comment)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        if form_nonce is not None and form_used(session, form_nonce):
            raise FormUsed(form_nonce) from None
        raise
    session.add(comment_event(comment, POLICY, AuditAction.POST, None, decision.reasons))
    session.commit()
    send(signals.comment_posted, comment)
    if comment.status == Status.APPROVED:
        send(signals.comment_approved, comment)
    return Posted(comment, decision, thread)
