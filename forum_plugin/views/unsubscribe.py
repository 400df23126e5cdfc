"""The pages a mail's links open: confirming an address, and stopping mail.

Both links carry the address's random token (no personal data), and on
both a GET only shows a button; the POST behind it does the work. Mail
scanners and link previewers open every link in a mail, and they must not
be able to confirm an address or switch off someone's notifications by
doing so.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from ..forms import ActionForm
from ..i18n import lazy_gettext
from ..models import MailAddress
from ..notify import addresses, mask_email
from ..state import db_session
from .errors import form_expired, render_error

BAD_LINK_TITLE = lazy_gettext("Link not valid")
BAD_LINK_MESSAGE = lazy_gettext(
    "This unsubscribe link was not made by this site or has been changed. "
    "Use the link at the bottom of one of our emails exactly as it is."
)
BAD_CONFIRMATION_MESSAGE = lazy_gettext(
    "This confirmation link was not made by this site or has been changed. Use the link in our email exactly as it is."
)


def _address_or_none(token: str) -> MailAddress | None:
    return addresses.by_token(db_session(), token)


def _expired(form: ActionForm) -> bool:
    """A POST whose CSRF token is missing, stale or not this site's."""
    return form.is_submitted() and not form.validate()


def unsubscribe(token: str) -> ResponseReturnValue:
    """GET: ask to confirm. POST (with a CSRF token): stop every mail about
    comments under the token's address, on every thread."""
    address = _address_or_none(token)
    if address is None:
        return render_error(400, BAD_LINK_TITLE, BAD_LINK_MESSAGE)
    form = ActionForm()
    if _expired(form):
        return form_expired()
    masked = mask_email(address.email)
    if form.is_submitted():
        addresses.stop_notifications(db_session(), address.email)
    return render_template("forum/unsubscribe.html", form=form, token=token, masked=masked, done=form.is_submitted())


def confirm_mail(token: str) -> ResponseReturnValue:
    """GET: ask. POST (with a CSRF token): the owner of the token's address
    wants the forum's mails from now on."""
    address = _address_or_none(token)
    if address is None:
        return render_error(400, BAD_LINK_TITLE, BAD_CONFIRMATION_MESSAGE)
    form = ActionForm()
    if _expired(form):
        return form_expired()
    if form.is_submitted():
        addresses.confirm(db_session(), address)
    return render_template(
        "forum/confirm_mail.html",
        form=form,
        token=token,
        masked=mask_email(address.email),
        confirmed=address.confirmed_at is not None,
    )


def register(bp: Blueprint) -> None:
    """The mail links' pages on the forum's blueprint."""
    bp.add_url_rule("/unsubscribe/<token>", "unsubscribe", unsubscribe, methods=["GET", "POST"])
    bp.add_url_rule("/mail/confirm/<token>", "confirm_mail", confirm_mail, methods=["GET", "POST"])
