"""Moderators' views: the dashboard, actions on comments, bans, word lists, the audit log.

Every view answers 403 to a reader who is not a moderator and sends
anonymous visitors to the host's login view; every change is a POST with a
CSRF token.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import bans, comments, queue
from ..forms import MAX_ID, ActionForm, BanForm, BulkForm, EditForm, WordForm
from ..i18n import gettext, ngettext, status_name
from ..identity import account_id, current_reader, display_name, is_moderator
from ..models import BanKind, Comment, Status, Thread, WordList
from ..notify import mail_problem
from ..paging import Cursor, CursorError
from ..privacy import hash_ip
from ..state import get_state
from ..vocabulary import Action
from .errors import CSRF_MESSAGE

# How many comments one bulk request may change.
BULK_LIMIT = 500


def moderators_only(view):
    """Send anonymous visitors to the host's login view; refuse other readers."""

    @wraps(view)
    def guarded(*args, **kwargs):
        reader = current_reader()
        if not reader.is_authenticated:
            login_manager = getattr(current_app, "login_manager", None)
            if login_manager is None:
                abort(401, gettext("Moderators must sign in first."))
            return login_manager.unauthorized()
        if not is_moderator(reader):
            abort(403, gettext("Only moderators may see this page."))
        return view(*args, **kwargs)

    return guarded


def _moderator() -> comments.Actor:
    reader = current_reader()
    return comments.Actor(account_id(reader), display_name(reader))


def _session():
    return get_state().db.session


def _dashboard_path(target: str) -> str | None:
    """``target`` if it is a path on the dashboard, else None: never another
    site, never a header broken by a line break, never a path that climbs out."""
    home = url_for("forum.moderation")
    if any(ord(character) < 0x20 or character in "\\\x7f" for character in target + unquote(target)):
        return None
    parts = urlsplit(target)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or "//" in target or not path.startswith(home) or ".." in path.split("/"):
        return None
    return target


def _back(default: str = "forum.moderation"):
    """303 to the dashboard page the moderator came from, if the form says which."""
    return redirect(_dashboard_path(request.form.get("next", "")) or url_for(default), code=303)


def _valid_or_shown(form) -> bool:
    """Whether a form the page shows again is valid: a CSRF failure is a 400
    (nothing changed); other mistakes are shown at their fields, with what
    the moderator typed, when the caller renders the page again (400)."""
    if form.validate():
        return True
    if form.csrf_failed:
        abort(400, CSRF_MESSAGE)
    return False


def _checked(form) -> None:
    """Refuse a form whose CSRF token is missing or stale, or with a mistake
    in a field (400, nothing changed)."""
    if not _valid_or_shown(form):
        abort(400, " ".join(message for messages in form.errors.values() for message in messages))


def _comment_or_404(comment_id: int) -> Comment:
    comment = _session().get(Comment, comment_id)
    if comment is None:
        abort(404, gettext("There is no comment #%(id)s.", id=comment_id))
    return comment


def _parse_id(text: str) -> int | None:
    """A row id written in ASCII digits within what every database stores, else None."""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


# Thread keys are stored in at most this many characters.
THREAD_KEY_LENGTH = 255


def _queue_filter() -> queue.QueueFilter:
    args = request.args
    thread_key = args.get("thread") or None
    if thread_key is not None and len(thread_key) > THREAD_KEY_LENGTH:
        abort(400, gettext("A thread key has at most %(limit)s characters.", limit=THREAD_KEY_LENGTH))
    held_edits = args.get("status") == queue.HELD_EDITS
    try:
        status = Status.APPROVED if held_edits else Status(args.get("status") or Status.PENDING.value)
    except ValueError:
        abort(
            400,
            gettext(
                "%(value)s is not a status; use one of %(statuses)s or %(held)s.",
                value=repr(args.get("status")),
                statuses=", ".join(s.value for s in Status),
                held=queue.HELD_EDITS,
            ),
        )
    try:
        after = Cursor.decode(args["after"]) if args.get("after") else None
    except CursorError as error:
        abort(400, str(error))
    return queue.QueueFilter(
        status=status,
        held_edits=held_edits,
        thread_key=thread_key,
        search=(args.get("q") or "").strip()[:200] or None,
        newest_first=args.get("order") == "newest",
        after=after,
    )


@moderators_only
def dashboard():
    wanted = _queue_filter()
    session = _session()
    return render_template(
        "forum/moderation/queue.html",
        wanted=wanted,
        page=queue.page(session, wanted),
        counts=queue.status_counts(session, wanted.thread_key),
        # The vocabulary the page lists: tabs, buttons, ban kinds.
        Status=Status,
        Action=Action,
        BanKind=BanKind,
        action_form=ActionForm(formdata=None),
        ban_form=BanForm(formdata=None),
        mail_problem=mail_problem(current_app._get_current_object()),
    )


@moderators_only
def act(comment_id: int, action: str):
    if action not in comments.ACTIONS:
        abort(404, gettext("There is no moderation action called %(action)s.", action=repr(action)))
    _checked(ActionForm())
    comment = _comment_or_404(comment_id)
    changed = comments.moderate(_session(), [comment], action, by=_moderator())
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
    return _back()


def _bulk_ids() -> list[int]:
    raw = request.form.getlist("ids")
    if request.form.get("all_on_page"):
        raw += request.form.getlist("page_ids")
    ids: list[int] = []
    for value in raw:
        comment_id = _parse_id(value)
        if comment_id is None:
            abort(400, gettext("%(value)s is not a comment id.", value=repr(value[:50])))
        ids.append(comment_id)
    if not ids:
        abort(400, gettext("Tick the comments to act on, or “every comment on this page”."))
    if len(set(ids)) > BULK_LIMIT:
        abort(400, gettext("At most %(limit)s comments can be changed at once.", limit=BULK_LIMIT))
    return sorted(set(ids))


@moderators_only
def settle_edit(comment_id: int, verdict: str):
    """Accept or refuse an author's held edit of a published comment."""
    if verdict not in ("accept", "refuse"):
        abort(404, gettext("An edit can be accepted or refused, not %(verdict)s.", verdict=repr(verdict)))
    _checked(ActionForm())
    comment = _comment_or_404(comment_id)
    if not comment.edit_pending:
        abort(400, gettext("Comment #%(id)s has no edit waiting.", id=comment_id))
    settle = comments.accept_edit if verdict == "accept" else comments.refuse_edit
    settle(_session(), comment, by=_moderator())
    if verdict == "accept":
        flash(gettext("Accepted the edit of comment #%(id)s.", id=comment_id), "forum")
    else:
        flash(gettext("Refused the edit of comment #%(id)s.", id=comment_id), "forum")
    return _back()


@moderators_only
def bulk():
    form = BulkForm()
    _checked(form)
    if form.action.data not in comments.ACTIONS:
        abort(400, gettext("There is no moderation action called %(action)s.", action=repr(form.action.data)))
    ids = _bulk_ids()
    session = _session()
    found = session.scalars(select(Comment).where(Comment.id.in_(ids))).all()
    if len(found) != len(ids):
        missing = sorted(set(ids) - {c.id for c in found})
        abort(404, gettext("There is no comment #%(id)s; nothing was changed.", id=missing[0]))
    changed = comments.moderate(session, found, form.action.data, by=_moderator())
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
    return _back()


def _render_detail(comment: Comment, form: EditForm, status: int = 200):
    session = _session()
    events, _ = queue.audit_log(session, queue.LogFilter(comment_id=comment.id))
    return render_template(
        "forum/moderation/comment.html",
        comment=comment,
        thread=session.get(Thread, comment.thread_id),
        revisions=queue.revisions(session, comment.id),
        reports=queue.reports(session, comment.id),
        events=events,
        form=form,
    ), status


@moderators_only
def comment_detail(comment_id: int):
    comment = _comment_or_404(comment_id)
    return _render_detail(comment, EditForm(formdata=None, body=comment.body_markdown))


@moderators_only
def edit(comment_id: int):
    comment = _comment_or_404(comment_id)
    form = EditForm()
    settings = get_state().settings
    if not form.validate():
        if form.csrf_failed:
            abort(400, CSRF_MESSAGE)
        return _render_detail(comment, form, 400)
    if len(form.body.data) > settings.max_length:
        form.body.errors = [
            gettext(
                "The text has %(length)s characters; the limit is %(limit)s.",
                length=f"{len(form.body.data):,}",
                limit=f"{settings.max_length:,}",
            )
        ]
        return _render_detail(comment, form, 400)
    comments.edit(_session(), comment, form.body.data, by=_moderator(), sanitizer=settings.sanitizer)
    flash(gettext("Saved the new text of comment #%(id)s; the old one is kept as a revision.", id=comment_id), "forum")
    return redirect(url_for("forum.comment_detail", comment_id=comment_id), code=303)


def _ban_kind(value: str) -> BanKind:
    try:
        return BanKind(value)
    except ValueError:
        abort(
            400, gettext("%(value)s is not something to ban by; use email, domain, account or ip.", value=repr(value))
        )


def _confirmed() -> bool:
    return request.form.get("confirm") == "1"


def _confirm_ip_ban(
    form: BanForm, reach: bans.Reach, *, shared: bool, action: str, back_to: str, comment: Comment | None = None
):
    """The page that asks a moderator to confirm a ban by address, saying
    whom else it would catch; nothing is banned until they do."""
    return render_template(
        "forum/moderation/confirm_ban.html",
        form=form,
        reach=reach,
        shared=shared,
        action=action,
        comment=comment,
        days=bans.SHARED_ADDRESS_DAYS,
        back=_dashboard_path(request.form.get("next", "")) or url_for(back_to),
    )


@moderators_only
def ban_author(comment_id: int):
    comment = _comment_or_404(comment_id)
    form = BanForm()
    _checked(form)
    kind = _ban_kind(form.kind.data)
    session = _session()
    try:
        value, label = bans.value_from_comment(comment, kind)
    except bans.BanError as error:
        abort(400, str(error))
    if kind is BanKind.IP and not _confirmed():
        return _confirm_ip_ban(
            form,
            bans.ip_reach(session, value),
            shared=bool(comment.ip_private),
            action=url_for("forum.ban_author", comment_id=comment_id),
            back_to="forum.moderation",
            comment=comment,
        )
    moderator = _moderator()
    try:
        bans.add(
            session,
            kind,
            value,
            reason=form.reason.data or "",
            days=form.days.data,
            by_id=moderator.id,
            by_name=moderator.name,
            label=label,
            comment_id=comment_id,
        )
    except bans.BanError as error:
        abort(400, str(error))
    flash(gettext("Banned %(label)s.", label=label), "forum")
    return _back()


def _add_ban_by_hand(session, form: BanForm):
    """Add the ban the ban list's form asks for; an IP address first goes
    through the confirmation page. Returns a response when one is due."""
    kind = _ban_kind(form.kind.data)
    secret = current_app.secret_key or ""
    raw = form.value.data or ""
    value = bans.normalize(kind, raw, lambda ip: hash_ip(secret, ip))
    if kind is BanKind.IP and not _confirmed():
        return _confirm_ip_ban(
            form,
            bans.ip_reach(session, value),
            shared=bans.is_shared_address(bans.ip_address(raw)),
            action=url_for("forum.ban_list"),
            back_to="forum.ban_list",
        )
    moderator = _moderator()
    label = "an IP address" if kind is BanKind.IP else value
    bans.add(
        session,
        kind,
        value,
        reason=form.reason.data or "",
        days=form.days.data,
        by_id=moderator.id,
        by_name=moderator.name,
        label=label,
    )
    flash(gettext("Banned %(label)s.", label=label), "forum")
    return redirect(url_for("forum.ban_list"), code=303)


@moderators_only
def ban_list():
    session = _session()
    form = BanForm(formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if _valid_or_shown(form):
            try:
                return _add_ban_by_hand(session, form)
            except bans.BanError as error:
                form.value.errors = [str(error)]
    return render_template(
        "forum/moderation/bans.html", bans=bans.listed(session), form=form, action_form=ActionForm(formdata=None)
    ), status


@moderators_only
def lift_ban(ban_id: int):
    _checked(ActionForm())
    moderator = _moderator()
    if not bans.lift(_session(), ban_id, by_id=moderator.id, by_name=moderator.name):
        abort(404, gettext("There is no ban #%(id)s.", id=ban_id))
    flash(gettext("Lifted ban #%(id)s.", id=ban_id), "forum")
    return redirect(url_for("forum.ban_list"), code=303)


@moderators_only
def word_list():
    session = _session()
    settings = get_state().settings
    form = WordForm(formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and not _valid_or_shown(form):
        status = 400
    elif request.method == "POST":
        try:
            moderator = _moderator()
            added = bans.add_word(
                session, WordList(form.list.data), form.word.data, by_name=moderator.name, by_id=moderator.id
            )
        except bans.BanError as error:
            form.word.errors = [str(error)]
            status = 400
        else:
            word = repr(form.word.data)
            flash(
                gettext("Added %(word)s.", word=word)
                if added
                else gettext("%(word)s is already on that list.", word=word),
                "forum",
            )
            return redirect(url_for("forum.word_list"), code=303)
    return render_template(
        "forum/moderation/words.html",
        words=bans.dashboard_words(session),
        configured={"banned": settings.banned_words, "suspect": settings.suspect_words},
        form=form,
        action_form=ActionForm(formdata=None),
    ), status


@moderators_only
def remove_word(word_id: int):
    _checked(ActionForm())
    moderator = _moderator()
    if not bans.remove_word(_session(), word_id, by_name=moderator.name, by_id=moderator.id):
        abort(404, gettext("There is no word #%(id)s on the lists.", id=word_id))
    flash(gettext("Removed the word."), "forum")
    return redirect(url_for("forum.word_list"), code=303)


# Account ids are stored in at most this many characters.
ACCOUNT_ID_LENGTH = 64


@moderators_only
def log():
    args = request.args
    numbers = {}
    for name in ("comment", "before"):
        value = args.get(name) or ""
        numbers[name] = _parse_id(value) if value else None
        if value and numbers[name] is None:
            abort(400, gettext("%(name)s must be a comment number, not %(value)s.", name=name, value=repr(value[:50])))
    moderator_id = args.get("moderator") or None
    if moderator_id is not None and len(moderator_id) > ACCOUNT_ID_LENGTH:
        abort(400, gettext("A moderator's account id has at most %(limit)s characters.", limit=ACCOUNT_ID_LENGTH))
    wanted = queue.LogFilter(comment_id=numbers["comment"], moderator_id=moderator_id, before=numbers["before"])
    events, before = queue.audit_log(_session(), wanted)
    return render_template("forum/moderation/log.html", events=events, wanted=wanted, before=before)
