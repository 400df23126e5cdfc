"""Mail texts are templates under forum/email/: a host overrides one like a
page, they are plain text (nothing HTML-escaped, the subject on one line),
they are written in the site's language rather than the language of the
request that caused them, and each app mails only about its own comments."""

from __future__ import annotations

from flask_babel import Babel
from jinja2 import DictLoader

from forum_plugin.models import Comment, Thread
from forum_plugin.notify import compose

from . import mailbox
from .conftest import comment_id_from, post_comment
from .mailbox import MODERATORS

# The mail fixtures, found by pytest under these names.
inbox, mail_app, smtp_server = mailbox.inbox, mailbox.mail_app, mailbox.smtp_server

HOST_PENDING = """\
{% block subject %}[{{ title }}]
  needs you{% endblock %}
{% block body %}{{ comment.author_name }} wrote on {{ title }}: {{ comment.body_markdown }}
{{ dashboard_url }}
{% endblock %}
"""


def test_a_host_overrides_a_mail_like_a_page_and_nothing_is_escaped(mail_app, inbox):
    app = mail_app()
    app.jinja_loader = DictLoader({"forum/email/pending.txt": HOST_PENDING})
    comment_id_from(post_comment(app.test_client(), author_name="Tom & <Jerry>", body='Say "hi" & bye'))
    mail = inbox.to(MODERATORS[0])[0]
    assert mail.subject.startswith("[") and mail.subject.endswith("] needs you")
    assert mail.body.startswith("Tom & <Jerry> wrote on ") and 'Say "hi" & bye' in mail.body


def test_mail_is_in_the_sites_language_not_the_requests(mail_app, inbox):
    thai_site = mail_app()
    Babel(thai_site, default_locale="th", locale_selector=lambda: "en")
    comment_id_from(post_comment(thai_site.test_client()))
    mail = inbox.to(MODERATORS[0])[0]
    assert mail.subject.startswith("ความคิดเห็นใหม่รอตรวจใน")
    assert "ผู้เขียน: Mali" in mail.body
    # Why it waits, in the site's language too.
    assert "เหตุที่รอตรวจ: ทุกความคิดเห็นต้องผ่านการตรวจก่อนเผยแพร่" in mail.body

    inbox.clear()
    english_site = mail_app()
    Babel(english_site, locale_selector=lambda: "th")
    comment_id_from(post_comment(english_site.test_client()))
    mail = inbox.to(MODERATORS[0])[0]
    assert mail.subject.startswith("New comment to moderate on")
    assert "Author: Mali" in mail.body
    assert "Why held: every comment is reviewed first" in mail.body


def test_each_app_mails_only_about_its_own_comments(mail_app, inbox):
    first = mail_app()
    second = mail_app(FORUM_MODERATOR_EMAILS=("second-mod@example.org",))
    comment_id_from(post_comment(first.test_client(), body="To the first site."))
    assert {m.recipients[0] for m in inbox.messages} == set(MODERATORS)
    inbox.clear()
    comment_id_from(post_comment(second.test_client(), body="To the second site."))
    assert [m.recipients[0] for m in inbox.messages] == ["second-mod@example.org"]


def test_the_forums_own_texts_need_no_app():
    comment = Comment(id=3, author_name="A", author_email=None, body_markdown="hi", moderation_reason="", parent_id=2)
    mail = compose.pending_mail(comment, Thread(title="T", url="/t"), "https://example.org/forum/moderation/", "m@x")
    assert mail.subject == 'New comment to moderate on "T"'
    assert "In reply to: comment #2\nWhy held: (no reason recorded)\n" in mail.body
    assert mail.body.endswith("dashboard:\nhttps://example.org/forum/moderation/\n")


def test_a_mail_template_the_host_compiled_with_autoescaping_is_not_reused(mail_app, inbox):
    app = mail_app()
    app.jinja_env.autoescape = True
    app.jinja_env.get_template("forum/email/pending.txt")  # now in the host's template cache, escaping
    comment_id_from(post_comment(app.test_client(), author_name="Tom & <Jerry>"))
    mail = inbox.to(MODERATORS[0])[0]
    assert "Author: Tom & <Jerry>" in mail.body
