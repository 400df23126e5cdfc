"""Bans: banning a comment's author, the ban list with its form, lifting a
ban. A ban by address is confirmed first, on a page saying whom else it
would catch."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from ... import bans
from ...forms import ActionForm, BanForm
from ...i18n import gettext
from ...models import BanKind, Comment
from ...state import db_session
from .guard import (
    acting_moderator,
    back,
    checked,
    comment_or_404,
    dashboard_path,
    moderators_only,
    valid_or_shown,
)


def _ban_kind(value: str) -> BanKind:
    try:
        return BanKind(value)
    except ValueError:
        *kinds, last = (kind.value for kind in BanKind)
        abort(
            400,
            gettext(
                "%(value)s is not something to ban by; use %(kinds)s or %(last)s.",
                value=repr(value),
                kinds=", ".join(kinds),
                last=last,
            ),
        )


def _confirmed() -> bool:
    return request.form.get("confirm") == "1"


def _confirm_ip_ban(
    form: BanForm, reach: bans.Reach, *, shared: bool, action: str, back_to: str, comment: Comment | None = None
) -> ResponseReturnValue:
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
        back=dashboard_path(request.form.get("next", "")) or url_for(back_to),
    )


@moderators_only
def ban_author(comment_id: int) -> ResponseReturnValue:
    comment = comment_or_404(comment_id)
    form = BanForm()
    checked(form)
    kind = _ban_kind(form.kind.data)
    session = db_session()
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
    try:
        _add_ban(session, form, kind, value, label, comment_id=comment_id)
    except bans.BanError as error:
        abort(400, str(error))
    flash(gettext("Banned %(label)s.", label=label), "forum")
    return back()


def _add_ban_by_hand(session: Session, form: BanForm) -> ResponseReturnValue:
    """Add the ban the ban list's form asks for; an IP address first goes
    through the confirmation page. Returns a response when one is due."""
    kind = _ban_kind(form.kind.data)
    raw = form.value.data or ""
    value, label = bans.value_typed(kind, raw)
    if kind is BanKind.IP and not _confirmed():
        return _confirm_ip_ban(
            form,
            bans.ip_reach(session, value),
            shared=bans.is_shared_address(bans.ip_address(raw)),
            action=url_for("forum.ban_list"),
            back_to="forum.ban_list",
        )
    _add_ban(session, form, kind, value, label)
    flash(gettext("Banned %(label)s.", label=label), "forum")
    return redirect(url_for("forum.ban_list"), code=303)


def _add_ban(
    session: Session, form: BanForm, kind: BanKind, value: str, label: str, *, comment_id: int | None = None
) -> None:
    """Store the ban ``form`` asks for, by the moderator acting now."""
    moderator = acting_moderator()
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


@moderators_only
def ban_list() -> ResponseReturnValue:
    session = db_session()
    form = BanForm(formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if valid_or_shown(form):
            try:
                return _add_ban_by_hand(session, form)
            except bans.BanError as error:
                form.value.errors = [str(error)]
    return render_template(
        "forum/moderation/bans.html", bans=bans.listed(session), form=form, action_form=ActionForm(formdata=None)
    ), status


@moderators_only
def lift_ban(ban_id: int) -> ResponseReturnValue:
    checked(ActionForm())
    moderator = acting_moderator()
    if not bans.lift(db_session(), ban_id, by_id=moderator.id, by_name=moderator.name):
        abort(404, gettext("There is no ban #%(id)s.", id=ban_id))
    flash(gettext("Lifted ban #%(id)s.", id=ban_id), "forum")
    return redirect(url_for("forum.ban_list"), code=303)
