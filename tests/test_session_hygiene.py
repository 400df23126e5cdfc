"""One browser, several accounts: what the forum keeps in the session (the
reader's pending comments and an anonymous author's edit tokens) belongs to
the account that made it and never shows to the next one."""

from __future__ import annotations

import pytest
from flask_login import login_user, logout_user

from forum_plugin.identity import AUTHORSHIP_KEY, SESSION_KEY

from . import hostapp
from .conftest import add_users, comment_id_from, csrf_token, post_comment

PENDING_NOTICE = "Your comment is awaiting moderation"


@pytest.fixture
def site(make_app):
    app = make_app(csrf_protect=True)

    @app.get("/sign-in/<int:user_id>")
    def sign_in(user_id):
        login_user(hostapp.db.session.get(hostapp.User, user_id))
        return "signed in"

    @app.get("/sign-out")
    def sign_out():
        logout_user()
        return "signed out"

    accounts = add_users(app)
    with app.app_context():
        other = hostapp.User(username="second-reader", email="second@example.org")
        hostapp.db.session.add(other)
        hostapp.db.session.commit()
        accounts["other"] = other.id
    return app, accounts


def shows_as_own(client, comment_id: int) -> bool:
    """Whether the post's page shows the comment, a pending notice or an edit link to this browser."""
    page = client.get("/posts/first-report").text
    return (
        f'id="comment-{comment_id}"' in page or PENDING_NOTICE in page or f"/forum/comments/{comment_id}/edit" in page
    )


def may_edit(client, comment_id: int) -> bool:
    form = client.get(f"/forum/comments/{comment_id}/edit")
    if form.status_code != 200:
        return False
    sent = client.post(
        f"/forum/comments/{comment_id}/edit", data={"csrf_token": csrf_token(form.text), "body": "taken over"}
    )
    return sent.status_code == 303


def test_an_account_sees_its_own_pending_comment(site):
    app, accounts = site
    browser = app.test_client()
    browser.get(f"/sign-in/{accounts['reader']}")
    comment_id = comment_id_from(post_comment(browser, body="my own words"))
    assert shows_as_own(browser, comment_id) and "my own words" in browser.get("/posts/first-report").text


def test_after_a_logout_the_next_account_sees_nothing_of_the_previous_ones(site):
    app, accounts = site
    browser = app.test_client()
    browser.get(f"/sign-in/{accounts['reader']}")
    comment_id = comment_id_from(post_comment(browser, body="written by the first account"))
    browser.get("/sign-out")
    with browser.session_transaction() as session:
        assert SESSION_KEY not in session and AUTHORSHIP_KEY not in session
    browser.get(f"/sign-in/{accounts['other']}")
    assert not shows_as_own(browser, comment_id)
    assert "written by the first account" not in browser.get("/posts/first-report").text
    assert not may_edit(browser, comment_id)


def test_switching_accounts_without_a_logout_drops_the_previous_accounts_notices(site):
    app, accounts = site
    browser = app.test_client()
    browser.get(f"/sign-in/{accounts['reader']}")
    comment_id = comment_id_from(post_comment(browser, body="first account again"))
    browser.get(f"/sign-in/{accounts['other']}")
    assert not shows_as_own(browser, comment_id)
    assert not may_edit(browser, comment_id)


def test_an_anonymous_comment_does_not_follow_the_reader_into_an_account(site):
    app, accounts = site
    browser = app.test_client()
    comment_id = comment_id_from(post_comment(browser, author_name="Visitor", body="said before signing in"))
    assert shows_as_own(browser, comment_id)
    browser.get(f"/sign-in/{accounts['other']}")
    assert not shows_as_own(browser, comment_id)
    assert not may_edit(browser, comment_id)


def test_after_signing_out_an_accounts_comments_are_not_the_anonymous_visitors(site):
    app, accounts = site
    browser = app.test_client()
    comment_id = comment_id_from(post_comment(browser, author_name="Visitor", body="anonymous words"))
    browser.get(f"/sign-in/{accounts['reader']}")
    mine = comment_id_from(post_comment(browser, body="account words"))
    browser.get("/sign-out")
    assert not shows_as_own(browser, mine)
    # What the anonymous visitor wrote before signing in was dropped with the account change.
    assert not shows_as_own(browser, comment_id) and not may_edit(browser, comment_id)


def test_an_anonymous_author_keeps_their_edit_link_while_nobody_signs_in(site):
    app, _ = site
    browser = app.test_client()
    comment_id = comment_id_from(post_comment(browser, author_name="Visitor", body="draft one"))
    assert f"/forum/comments/{comment_id}/edit" in browser.get("/posts/first-report").text
    assert may_edit(browser, comment_id)
