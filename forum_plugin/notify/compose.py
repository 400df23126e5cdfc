"""Composing mails: pure. Turns comments, threads and ready-made links into
plain-text mails; knows nothing of Flask, databases or sockets."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Sequence

from .. import reasons
from ..models import Comment, Thread

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


def _unsubscribe_footer(unsubscribe_url: str) -> str:
    return (
        "\n-- \n"
        'You get this because you ticked "Email me when my comment is published or answered".\n'
        "To stop all such emails, open:\n"
        f"{unsubscribe_url}\n"
    )


def _why_held(comment: Comment) -> str:
    return reasons.why_held(comment.moderation_reason) or "(no reason recorded)"


def pending_mail(comment: Comment, thread: Thread, dashboard_url: str, to: str) -> Mail:
    """Tell a moderator that ``comment`` waits for a decision, with all they need to make it."""
    title = _one_line(thread.title)
    reply = f"In reply to: comment #{comment.parent_id}\n" if comment.parent_id else ""
    body = (
        f'A new comment is waiting for moderation on "{title}".\n\n'
        f"Author: {comment.author_name}\n"
        f"Email: {comment.author_email or '(none given)'}\n"
        f"Thread: {title}\n"
        f"{reply}"
        f"Why held: {_why_held(comment)}\n"
        "\nWhat they wrote (Markdown source, not yet published):\n\n"
        f"{_indented(comment.body_markdown)}\n\n"
        "Approve or reject it on the moderation dashboard:\n"
        f"{dashboard_url}\n"
    )
    return Mail(to=to, subject=f'New comment to moderate on "{title}"', body=body)


def _to_reader(to: str, subject: str, body: str, unsubscribe_url: str) -> Mail:
    """A mail to a reader, who can always stop them: a footer and a List-Unsubscribe header."""
    return Mail(
        to=to,
        subject=subject,
        body=body + _unsubscribe_footer(unsubscribe_url),
        raw_headers=(("List-Unsubscribe", f"<{unsubscribe_url}>"),),
        audience=READERS,
    )


def confirmation_mail(to: str, site: str, confirm_url: str) -> Mail:
    """Ask the owner of ``to`` whether they want the forum's mails.

    Anyone can type any address into a comment form, so this mail holds
    nothing the person who typed it chose: no name, no comment, no page
    title; only the site's host name (``site``) and the link.
    """
    body = (
        f"Someone, probably you, asked {site} to email this address when a comment\n"
        "written under it is published or answered.\n\n"
        "To confirm that you want these emails, open this link and press the button on the page:\n"
        f"{confirm_url}\n\n"
        "If it was not you, ignore this email: nothing more is sent to this address\n"
        "unless the link is used.\n"
    )
    return Mail(to=to, subject=f"Confirm email notifications from {site}", body=body, audience=READERS)


def published_mail(comment: Comment, thread: Thread, comment_url: str, unsubscribe_url: str) -> Mail:
    """Tell an author that their comment is now public."""
    assert comment.author_email, "only authors with an address are mailed"
    title = _one_line(thread.title)
    body = f'Hello {comment.author_name},\n\nYour comment on "{title}" has been published:\n{comment_url}\n'
    return _to_reader(comment.author_email, f'Your comment on "{title}" was published', body, unsubscribe_url)


def reply_mail(reply: Comment, parent: Comment, thread: Thread, reply_url: str, unsubscribe_url: str) -> Mail:
    """Tell the author of ``parent`` that an approved ``reply`` answers them."""
    assert parent.author_email, "only authors with an address are mailed"
    title = _one_line(thread.title)
    body = (
        f"Hello {parent.author_name},\n\n"
        f'{reply.author_name} replied to your comment on "{title}":\n\n'
        f"{_indented(reply.body_markdown)}\n\n"
        "Read it and answer:\n"
        f"{reply_url}\n"
    )
    return _to_reader(parent.author_email, f'New reply to your comment on "{title}"', body, unsubscribe_url)


def digest_mail(entries: Sequence[tuple[Comment, Thread]], total: int, dashboard_url: str, to: str) -> Mail:
    """One mail listing the first of ``total`` new pending comments for a moderator."""
    noun = "comment" if total == 1 else "comments"
    parts = [f"{total} new {noun} waiting for moderation since the last digest.\n"]
    for comment, thread in entries:
        parts.append(
            f"#{comment.id} by {comment.author_name} <{comment.author_email or 'no email'}>"
            f' on "{_one_line(thread.title)}"\n'
            f"Why held: {_why_held(comment)}\n\n"
            f"{_indented(_excerpt(comment.body_markdown))}\n"
        )
    if total > len(entries):
        parts.append(f"… and {total - len(entries)} more.\n")
    parts.append(f"Approve or reject them on the moderation dashboard:\n{dashboard_url}\n")
    return Mail(to=to, subject=f"{total} new {noun} to moderate", body="\n".join(parts))


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
