"""The comment section a host page embeds, and the Jinja globals around it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from urllib.parse import urlencode

from flask import current_app, render_template, request, url_for
from markupsafe import Markup
from wtforms import SelectField

from .. import comments, threads, tickets
from ..avatars import GRAVATAR, avatar_url
from ..config import PRE_MODERATION
from ..forms import CommentForm, ReportForm, parse_id
from ..i18n import one_clock
from ..identity import Reader, account_id, authored_ids, current_reader, display_name, own_pending_ids
from ..models import Thread, utcnow
from ..notify import mail_enabled
from ..paging import Cursor, CursorError
from ..state import db_session, get_state


def comment_form(*, from_request: bool) -> CommentForm:
    """The comment form as this reader needs it, blank or filled from the posted data."""
    settings = get_state().settings
    reader = current_reader()
    kwargs: dict[str, None] = {} if from_request else {"formdata": None}
    return CommentForm(max_length=settings.max_length, name_required=not reader.is_authenticated, **kwargs)


def new_ticket(place: threads.Place) -> str:
    """A fresh signed ticket for a comment form on ``place``."""
    return tickets.issue(current_app.secret_key, place)


def ticketed_form(place: threads.Place) -> CommentForm:
    """A blank comment form for ``place``, with its ticket."""
    form = comment_form(from_request=False)
    form.forum_ticket.data = new_ticket(place)
    return form


def _reply_target(page: threads.ThreadPage, parent_id: int | str | None) -> threads.PageComment | None:
    """The shown, approved comment a reply is aimed at, if ``parent_id`` names one."""
    wanted = parent_id if isinstance(parent_id, int) else parse_id(parent_id)
    if wanted is None:
        return None
    for item in page.items:
        if item.comment.id == wanted and item.comment.id not in page.pending_ids:
            return item.comment
    return None


def _cursor_arg(name: str) -> Cursor | None:
    try:
        return Cursor.decode(request.args[name]) if request.args.get(name) else None
    except CursorError:
        # A mangled page link shows the first page rather than break the host's page.
        return None


def requested_page(thread: Thread | None) -> threads.PageRequest:
    """The page the reader's query string asks for: a permalink's page, an
    explicit cursor, or the first page; oldest or newest first."""
    newest_first = request.args.get("forum_order") == "newest"
    permalink = parse_id(request.args.get("forum_comment"))
    if thread is not None and permalink is not None:
        settings = get_state().settings
        found = threads.page_holding(
            db_session(), thread, permalink, per_page=settings.per_page, newest_first=newest_first
        )
        if found is not None:
            return found
    return threads.PageRequest(
        after=_cursor_arg("forum_after"), before=_cursor_arg("forum_before"), newest_first=newest_first
    )


def _by_reader(page: threads.ThreadPage, reader: Reader) -> set[int]:
    """The comments on the page this reader wrote (by account, or in this session)."""
    account = account_id(reader)
    authored = authored_ids()
    return {
        item.comment.id
        for item in page.items
        if not item.removed
        and (
            (account and item.comment.author_id == account)
            or (item.comment.author_id is None and item.comment.id in authored)
        )
    }


def _avatar_maker(mode: str | None) -> Callable[[threads.PageComment], str | None] | None:
    """The template's picture for a comment's author, or None when avatars are off."""
    if mode is None:
        return None
    secret = current_app.secret_key or ""

    def avatar(comment: threads.PageComment) -> str | None:
        key = f"a:{comment.author_id}" if comment.author_id else f"n:{comment.author_name}"
        return avatar_url(mode, secret, author_key=key, email=getattr(comment, "author_email", None))

    return avatar


def _options(field: SelectField) -> Markup:
    """A select's options, rendered once for every comment's report form."""
    return Markup("").join(option() for option in field)


class SectionLinks:
    """Links within the section that keep the reader on the page they are on.

    Built once per section; the template joins each comment's id to the
    prefixes, as a page may hold a thousand comments.
    """

    def __init__(self, path: str, wanted: threads.PageRequest) -> None:
        self.path = path
        self.wanted = wanted
        order = {"forum_order": "newest"} if wanted.newest_first else {}
        cursor = wanted.after or wanted.before
        here = {"forum_after" if wanted.after else "forum_before": cursor.encode()} if cursor else {}
        # A reply link is the reply prefix, a comment's id and "#comment-form";
        # a permalink is the permalink prefix, the id and "#comment-<id>".
        self.reply_prefix = self._url({**order, **here}, more="reply_to=")
        self.permalink_prefix = threads.permalink_prefix(self._url(order))
        self._stay = self._url({**order, **here})
        self._order = order

    def _url(self, params: dict[str, str], more: str = "") -> str:
        query = urlencode(params)
        if more:
            query = f"{query}&{more}" if query else more
        return f"{self.path}?{query}" if query else self.path

    def after(self, cursor: Cursor) -> str:
        return self._url({**self._order, "forum_after": cursor.encode()}) + "#comments"

    def before(self, cursor: Cursor) -> str:
        return self._url({**self._order, "forum_before": cursor.encode()}) + "#comments"

    def cancel_reply(self) -> str:
        return f"{self._stay}#comment-form"

    def order(self, newest_first: bool) -> str:
        return f"{self.path}?forum_order=newest#comments" if newest_first else f"{self.path}#comments"


def render_section(thread: Thread | None, key: str, form: CommentForm) -> Markup:
    """The HTML of a thread's comment section with ``form`` at its foot.

    Only reads, through the session the host's view may be using: with
    autoflush off, so the host's pending changes are not written by the
    forum's queries, and nothing is committed or rolled back.
    """
    with db_session().no_autoflush:
        return _render_section(thread, key, form)


def _render_section(thread: Thread | None, key: str, form: CommentForm) -> Markup:
    state = get_state()
    wanted = requested_page(thread)
    page = threads.load_page(
        db_session(),
        thread,
        max_depth=state.settings.max_depth,
        per_page=state.settings.per_page,
        wanted=wanted,
        own_pending_ids=own_pending_ids(),
        with_emails=state.settings.avatars == GRAVATAR,
    )
    reader = current_reader()
    report_form = ReportForm(formdata=None)
    own = _by_reader(page, reader)
    since = utcnow() - timedelta(seconds=state.settings.edit_window)
    recent_own = [item.comment.id for item in page.items if item.comment.id in own and item.comment.created_at >= since]
    editable = comments.authors_may_change(db_session(), recent_own)
    own_held_edits = {item.comment.id for item in page.items if item.comment.id in own and item.comment.edit_pending}
    parent_id = form.parent_id.data if form.parent_id.data is not None else request.args.get("reply_to")
    reply_to = _reply_target(page, parent_id)
    if reply_to is not None:
        form.parent_id.data = reply_to.id
    with one_clock():  # a thousand dates, one locale and time zone lookup
        html = render_template(
            "forum/_section.html",
            page=page,
            form=form,
            links=SectionLinks(request.path, wanted),
            newest_first=wanted.newest_first,
            action=url_for("forum.post_comment", key=key),
            reply_to=reply_to,
            pre_moderated=state.settings.moderation == PRE_MODERATION,
            mail_enabled=mail_enabled(),
            report_form=report_form,
            editable=editable,
            own_held_edits=own_held_edits,
            avatar=_avatar_maker(state.settings.avatars),
            report_options=_options(report_form.reason),
            # Each comment's report form posts to this + "<id>/report".
            comments_url=url_for("forum.report_comment", comment_id=0).removesuffix("0/report"),
            reader_name=display_name(reader) if reader.is_authenticated else None,
            may_comment=reader.is_authenticated or state.settings.allow_anonymous,
        )
    return Markup(html)


def forum_comments(key: str, title: str | None = None, url: str | None = None) -> Markup:
    """Jinja global: the whole comment section for the host's page ``key``.

    Reads only: a thread that has no row yet shows an empty section, and its
    form's ticket carries ``title`` and ``url`` to the first post, which
    makes the row.

    :param title: the page's title, shown to moderators (the key when not given).
    :param url: where the page lives, for redirects after posting; the
        current request's path when not given.
    """
    key = str(key)  # hosts often pass a post's numeric id
    try:
        place = threads.page_place(key, title, url or request.path)
    except ValueError as error:
        # A page key the forum cannot store must not take the host's page down.
        current_app.logger.warning("forum: no comments for key %r: %s", key, error)
        return Markup(render_template("forum/_unavailable.html"))
    session = db_session()
    with session.no_autoflush:
        thread = threads.get_thread(session, key)
    return render_section(thread, key, ticketed_form(place))


def forum_comment_count(key: str) -> int:
    """Jinja global: approved comments on the page ``key``."""
    return forum_comment_counts([str(key)])[str(key)]


def forum_comment_counts(keys: Sequence[str]) -> dict[str, int]:
    """Jinja global: approved comments per key, for a listing page, in one query."""
    keys = list(keys)
    session = db_session()
    with session.no_autoflush:
        counts = threads.comment_counts(session, [str(key) for key in keys])
    return {key: counts[str(key)] for key in keys}
