"""The moderation queue: the dashboard's pages, and the actions on comments
taken from them, one at a time or in bulk, and on authors' held edits."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ... import comments
from ... import queue as moderation_queue
from ...forms import ActionForm, BanForm, BulkForm, parse_id
from ...i18n import gettext, ngettext, status_name
from ...models import BanKind, Comment, Status
from ...notify import mail_problem
from ...paging import Cursor, CursorError
from ...state import current_flask_app, db_session
from ...vocabulary import Action, EditVerdict
from .guard import acting_moderator, back, checked, comment_or_404, moderators_only

# How many comments one bulk request may change.
BULK_LIMIT = 500

# Thread keys are stored in at most this many characters.
THREAD_KEY_LENGTH = 255


def _queue_filter() -> moderation_queue.QueueFilter:
    args = request.args
    thread_key = args.get("thread") or None
    if thread_key is not None and len(thread_key) > THREAD_KEY_LENGTH:
        abort(400, gettext("A thread key has at most %(limit)s characters.", limit=THREAD_KEY_LENGTH))
    held_edits = args.get("status") == moderation_queue.HELD_EDITS
    try:
        status = Status.APPROVED if held_edits else Status(args.get("status") or Status.PENDING.value)
    except ValueError:
        abort(
            400,
            gettext(
                "%(value)s is not a status; use one of %(statuses)s or %(held)s.",
                value=repr(args.get("status")),
                statuses=", ".join(s.value for s in Status),
                held=moderation_queue.HELD_EDITS,
            ),
        )
    try:
        after = Cursor.decode(args["after"]) if args.get("after") else None
    except CursorError as error:
        abort(400, str(error))
    return moderation_queue.QueueFilter(
        status=status,
        held_edits=held_edits,
        thread_key=thread_key,
        search=(args.get("q") or "").strip()[:200] or None,
        newest_first=args.get("order") == "newest",
        after=after,
    )


@moderators_only
def dashboard() -> ResponseReturnValue:
    wanted = _queue_filter()
    session = db_session()
    return render_template(
        "forum/moderation/queue.html",
        wanted=wanted,
        page=moderation_queue.page(session, wanted),
        counts=moderation_queue.status_counts(session, wanted.thread_key),
        # The vocabulary the page lists: tabs, buttons, ban kinds, and the
        # tab of held edits with their verdicts.
        Status=Status,
        Action=Action,
        BanKind=BanKind,
        EditVerdict=EditVerdict,
        HELD_EDITS=moderation_queue.HELD_EDITS,
        action_form=ActionForm(formdata=None),
        ban_form=BanForm(formdata=None),
        mail_problem=mail_problem(current_flask_app()),
    )


@moderators_only
def act(comment_id: int, action: str) -> ResponseReturnValue:
    if action not in comments.ACTIONS:
        abort(404, gettext("There is no moderation action called %(action)s.", action=repr(action)))
    checked(ActionForm())
    comment = comment_or_404(comment_id)
    changed = comments.moderate(db_session(), [comment], action, by=acting_moderator())
    if changed:
        flash(
            gettext(
                "%(done)s: comment #%(id)s by %(name)s.",
                done=gettext(Action(action).done),
                id=comment_id,
                name=comment.author_name,
            ),
            "forum",
        )
    else:
        flash(gettext(Action(action).nothing_to_do, id=comment_id, status=status_name(comment.status)), "forum")
    return back()


def _bulk_ids() -> list[int]:
    raw = request.form.getlist("ids")
    if request.form.get("all_on_page"):
        raw += request.form.getlist("page_ids")
    ids: list[int] = []
    for value in raw:
        comment_id = parse_id(value)
        if comment_id is None:
            abort(400, gettext("%(value)s is not a comment id.", value=repr(value[:50])))
        ids.append(comment_id)
    if not ids:
        abort(400, gettext("Tick the comments to act on, or “every comment on this page”."))
    if len(set(ids)) > BULK_LIMIT:
        abort(400, gettext("At most %(limit)s comments can be changed at once.", limit=BULK_LIMIT))
    return sorted(set(ids))


@moderators_only
def settle_edit(comment_id: int, verdict: str) -> ResponseReturnValue:
    """Accept or refuse an author's held edit of a published comment."""
    try:
        answer = EditVerdict(verdict)
    except ValueError:
        abort(404, gettext("An edit can be accepted or refused, not %(verdict)s.", verdict=repr(verdict)))
    checked(ActionForm())
    comment = comment_or_404(comment_id)
    if not comment.edit_pending:
        abort(400, gettext("Comment #%(id)s has no edit waiting.", id=comment_id))
    settle = comments.accept_edit if answer is EditVerdict.ACCEPT else comments.refuse_edit
    settle(db_session(), comment, by=acting_moderator())
    flash(gettext(answer.done, id=comment_id), "forum")
    return back()


@moderators_only
def bulk() -> ResponseReturnValue:
    form = BulkForm()
    checked(form)
    if form.action.data not in comments.ACTIONS:
        abort(400, gettext("There is no moderation action called %(action)s.", action=repr(form.action.data)))
    ids = _bulk_ids()
    session = db_session()
    found = session.scalars(select(Comment).where(Comment.id.in_(ids))).all()
    if len(found) != len(ids):
        missing = sorted(set(ids) - {c.id for c in found})
        abort(404, gettext("There is no comment #%(id)s; nothing was changed.", id=missing[0]))
    changed = comments.moderate(session, found, form.action.data, by=acting_moderator())
    flash(
        ngettext(
            "%(done)s: %(changed)s of %(num)d comment.",
            "%(done)s: %(changed)s of %(num)d comments.",
            len(ids),
            done=gettext(Action(form.action.data).done),
            changed=len(changed),
        ),
        "forum",
    )
    return back()
