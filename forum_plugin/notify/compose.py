"""Composing mails: turns comments, threads and ready-made links into
plain-text mails, their words from the templates of :mod:`.texts`; asks
no request, database or socket."""

from __future__ import annotations

from dataclasses import dataclass, replace
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Sequence

from .. import reasons
from ..models import Comment, Thread
from .texts import MailTexts, own_texts

# Who a mail is for, so a delivery problem can say whose mail was lost.
MODERATORS = "moderators"
READERS = "readers"
DIGEST_EXCERPT = 600
# Subjects are folded by the email package; keep them short enough to read.
SUBJECT_TITLE_LIMIT = 120

# The email package folds a long header with no spaces (an unsubscribe URL)
# into RFC 2047 encoded words, which mail clients do not decode in
# List-Unsubscribe. Headers stored raw are left alone under this policy;
# headers set the normal way are still folded and encoded as they must be.
MESSAGE_POLICY = email_policy.SMTP.clone(refold_source="none")


@dataclass(frozen=True)
class Mail:
    """One plain-text mail to one recipient, before it has a sender.

    ``raw_headers`` are set verbatim (see :data:`MESSAGE_POLICY`), so they
    must only ever hold values the forum built itself, such as its own URLs.
    """

    to: str
    subject: str
    body: str
    raw_headers: tuple[tuple[str, str], ...] = ()
    audience: str = MODERATORS


def _one_line(text: str, limit: int = SUBJECT_TITLE_LIMIT) -> str:
    """``text`` on one line and at most ``limit`` characters, for a subject.

    Titles come from host pages; a stray newline must not break the header.
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _indented(text: str) -> str:
    """A comment's source set off from the mail's own words."""
    return "\n".join("    " + line if line.strip() else "" for line in text.strip().splitlines())


def _excerpt(text: str, limit: int = DIGEST_EXCERPT) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rstrip() + " […]"


def _held_because(comment: Comment, texts: MailTexts | None) -> str:
    """Why the policy held ``comment``, in the mail's language; empty when
    it recorded no reason."""
    return reasons.render(reasons.why_held(comment.reasons), (texts or own_texts()).gettext)


def _mail(texts: MailTexts | None, name: str, to: str, audience: str, **values: Any) -> Mail:
    subject, body = (texts or own_texts()).render(name, **values)
    return Mail(to=to, subject=subject, body=body, audience=audience)


def _to_reader(texts: MailTexts | None, name: str, to: str, unsubscribe_url: str, **values: Any) -> Mail:
    """A mail to a reader, who can always stop them: the template's footer
    and a List-Unsubscribe header."""
    mail = _mail(texts, name, to, READERS, unsubscribe_url=unsubscribe_url, **values)
    return replace(mail, raw_headers=(("List-Unsubscribe", f"<{unsubscribe_url}>"),))


def pending_mail(comment: Comment, thread: Thread, dashboard_url: str, to: str, texts: MailTexts | None = None) -> Mail:
    """Tell a moderator that ``comment`` waits for a decision, with all they need to make it."""
    return _mail(
        texts,
        "pending.txt",
        to,
        MODERATORS,
        comment=comment,
        thread=thread,
        title=_one_line(thread.title),
        why_held=_held_because(comment, texts),
        source=_indented(comment.body_markdown),
        dashboard_url=dashboard_url,
    )


def confirmation_mail(to: str, site: str, confirm_url: str, texts: MailTexts | None = None) -> Mail:
    """Ask the owner of ``to`` whether they want the forum's mails.

    Anyone can type any address into a comment form, so this mail holds
    nothing the person who typed it chose: no name, no comment, no page
    title; only the site's host name (``site``) and the link.
    """
    return _mail(texts, "confirmation.txt", to, READERS, site=site, confirm_url=confirm_url)


def published_mail(
    comment: Comment, thread: Thread, comment_url: str, unsubscribe_url: str, texts: MailTexts | None = None
) -> Mail:
    """Tell an author that their comment is now public."""
    assert comment.author_email, "only authors with an address are mailed"
    return _to_reader(
        texts,
        "published.txt",
        comment.author_email,
        unsubscribe_url,
        comment=comment,
        thread=thread,
        title=_one_line(thread.title),
        comment_url=comment_url,
    )


def reply_mail(
    reply: Comment,
    parent: Comment,
    thread: Thread,
    reply_url: str,
    unsubscribe_url: str,
    texts: MailTexts | None = None,
) -> Mail:
    """Tell the author of ``parent`` that an approved ``reply`` answers them."""
    assert parent.author_email, "only authors with an address are mailed"
    return _to_reader(
        texts,
        "reply.txt",
        parent.author_email,
        unsubscribe_url,
        reply=reply,
        parent=parent,
        thread=thread,
        title=_one_line(thread.title),
        source=_indented(reply.body_markdown),
        reply_url=reply_url,
    )


@dataclass(frozen=True)
class DigestEntry:
    """One comment as the digest lists it."""

    comment: Comment
    thread: Thread
    title: str
    why_held: str
    source: str


def digest_mail(
    entries: Sequence[tuple[Comment, Thread]],
    total: int,
    dashboard_url: str,
    to: str,
    texts: MailTexts | None = None,
) -> Mail:
    """One mail listing the first of ``total`` new pending comments for a moderator."""
    listed = [
        DigestEntry(
            comment=comment,
            thread=thread,
            title=_one_line(thread.title),
            why_held=_held_because(comment, texts),
            source=_indented(_excerpt(comment.body_markdown)),
        )
        for comment, thread in entries
    ]
    return _mail(
        texts,
        "digest.txt",
        to,
        MODERATORS,
        entries=listed,
        total=total,
        not_listed=total - len(listed),
        dashboard_url=dashboard_url,
    )


def to_email_message(mail: Mail, sender: str) -> EmailMessage:
    """The ``EmailMessage`` for ``mail``, UTF-8 throughout.

    :raises ValueError: when an address or header cannot be written, e.g. a
        newline smuggled into it.
    """
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    # Tells vacation responders and the like not to answer.
    message["Auto-Submitted"] = "auto-generated"
    for name, value in mail.raw_headers:
        if "\r" in value or "\n" in value:
            raise ValueError(f"{name} may not contain a line break")
        message.set_raw(name, value)
    message.set_content(mail.body, charset="utf-8")
    return message


def mask_email(email: str) -> str:
    """``m***@example.org``: enough for its owner to recognise, little for anyone else."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"
