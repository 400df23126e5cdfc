"""The audit log as moderators read it, filtered by comment or moderator."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue

from ... import queue as moderation_queue
from ...forms import parse_id
from ...i18n import gettext
from ...state import db_session
from .guard import moderators_only

# Account ids are stored in at most this many characters.
ACCOUNT_ID_LENGTH = 64


@moderators_only
def log() -> ResponseReturnValue:
    args = request.args
    numbers: dict[str, int | None] = {}
    for name in ("comment", "before"):
        value = args.get(name) or ""
        numbers[name] = parse_id(value) if value else None
        if value and numbers[name] is None:
            abort(400, gettext("%(name)s must be a comment number, not %(value)s.", name=name, value=repr(value[:50])))
    moderator_id = args.get("moderator") or None
    if moderator_id is not None and len(moderator_id) > ACCOUNT_ID_LENGTH:
        abort(400, gettext("A moderator's account id has at most %(limit)s characters.", limit=ACCOUNT_ID_LENGTH))
    wanted = moderation_queue.LogFilter(
        comment_id=numbers["comment"], moderator_id=moderator_id, before=numbers["before"]
    )
    events, before = moderation_queue.audit_log(db_session(), wanted)
    return render_template("forum/moderation/log.html", events=events, wanted=wanted, before=before)
