"""Probing for comments one may not see, and what holds: to a reader who is
not a moderator, every hidden comment answers exactly like one that does
not exist.

- Replying to a pending, rejected, spam, deleted, report-hidden or missing
  comment, or to one of another page: one 400 and one message, text kept.
- Reporting a pending, rejected, spam, deleted, report-hidden or missing
  comment: the same 404 "There is no comment #N.".
- Opening the edit form of, editing or deleting someone else's pending,
  rejected, spam, deleted, report-hidden or missing comment: the same 404.
- Typing a banned person's email address (or an address of a banned
  domain) into the form to learn whether they are banned: the answer is
  the usual "awaiting moderation", in the page and in the script's JSON.
"""

from __future__ import annotations

import re

import pytest

from forum_plugin.vocabulary import Action, Status

from ..conftest import (
    add_users,
    comment_id_from,
    csrf_token,
    form_fields,
    log_in,
    moderate,
    post_comment,
    report,
    status_of,
    stored_comments,
)

NOT_AVAILABLE = "The comment you are replying to is not available."
# Every status a stranger may not see, and comments hidden another way.
UNPUBLISHED = [status.value for status in Status if status != Status.APPROVED]
HIDDEN = [*UNPUBLISHED, "report-hidden", "missing"]
# The moderator's action that puts a pending comment in each status.
LEADS_TO = {action.target.value: action.value for action in Action if action.target}


@pytest.fixture
def ids(app, users) -> dict[str, int]:
    """A comment of every kind a stranger may not see on "first-report", an
    approved one on "second-report", and an id nobody has."""
    author, moderator = app.test_client(), app.test_client()
    log_in(moderator, users["moderator"])
    made = {
        kind: comment_id_from(post_comment(author, body=f"a comment that ends {kind}"))
        for kind in [*UNPUBLISHED, "report-hidden"]
    }
    # Posted comments wait; every other kind is a moderator's doing (reports
    # then send an approved one back).
    decided = {kind: LEADS_TO[kind] for kind in UNPUBLISHED if kind != Status.PENDING}
    for kind, action in {**decided, "report-hidden": LEADS_TO[Status.APPROVED]}.items():
        assert moderate(moderator, made[kind], action).status_code == 303
    for n in range(3):
        assert report(app.test_client(), made["report-hidden"], address=f"198.51.100.{n + 1}").status_code == 200
    assert status_of(app, made["report-hidden"]) == "pending"
    made["other page"] = comment_id_from(post_comment(moderator, "second-report", body="on the second report"))
    made["missing"] = 987654
    return made


def form_errors(html: str) -> list[str]:
    return re.findall(r'<p class="forum-form-error" role="alert">([^<]*)</p>', html)


def same_answer(answers: dict[str, object], ids: dict[str, int]) -> set[tuple[int, str]]:
    """The distinct (status, page) answers, each comment's id written as N."""
    return {(answer.status_code, answer.text.replace(f"#{ids[kind]}", "#N")) for kind, answer in answers.items()}


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_replying_to_a_hidden_comment_looks_like_replying_to_none(app, ids, accept):
    stranger = app.test_client()
    before = stored_comments(app)
    for kind in [*HIDDEN, "other page"]:
        page = stranger.get("/posts/first-report").text
        answer = stranger.post(
            "/forum/threads/first-report/comments",
            headers={"Accept": accept},
            data={**form_fields(page), "author_name": "Probe", "body": "my reply text", "parent_id": str(ids[kind])},
        )
        assert answer.status_code == 400, kind
        if accept == "application/json":
            assert answer.get_json()["errors"] == {"parent_id": [NOT_AVAILABLE]}, kind
        else:
            assert form_errors(answer.text) == [NOT_AVAILABLE], kind
            assert "my reply text" in answer.text
    assert stored_comments(app) == before


def test_reporting_a_hidden_comment_looks_like_reporting_none(app, ids):
    answers = {kind: report(app.test_client(), ids[kind], address="192.0.2.50") for kind in HIDDEN}
    [(status, text)] = same_answer(answers, ids)
    assert status == 404 and "There is no comment #N." in text


def test_editing_or_deleting_someone_elses_hidden_comment_looks_like_none(app, ids):
    stranger = app.test_client()
    token = csrf_token(stranger.get("/posts/first-report").text)
    for ask in ("open", "edit", "delete"):
        answers = {}
        for kind in HIDDEN:
            if ask == "open":
                answers[kind] = stranger.get(f"/forum/comments/{ids[kind]}/edit")
            else:
                answers[kind] = stranger.post(
                    f"/forum/comments/{ids[kind]}/{ask}", data={"csrf_token": token, "body": "vandalised"}
                )
        [(status, text)] = same_answer(answers, ids)
        assert status == 404 and "There is no comment #N." in text, ask
    for kind in ("pending", "rejected", "spam", "report-hidden"):
        assert status_of(app, ids[kind]) == kind.replace("report-hidden", "pending")


@pytest.mark.parametrize("kind, value", [("email", "victim@example.org"), ("domain", "example.org")])
def test_typing_a_banned_address_does_not_tell_whether_it_is_banned(make_app, kind, value):
    app = make_app(csrf_protect=True)
    moderator = app.test_client()
    log_in(moderator, add_users(app)["moderator"])
    token = csrf_token(moderator.get("/forum/moderation/bans").text)
    banned = moderator.post(
        "/forum/moderation/bans", data={"csrf_token": token, "kind": kind, "value": value, "reason": "harassment"}
    )
    assert banned.status_code == 303

    def attempt(email: str, body: str, accept: str = "text/html"):
        client = app.test_client()
        page = client.get("/posts/first-report").text
        answer = client.post(
            "/forum/threads/first-report/comments",
            headers={"Accept": accept},
            data={**form_fields(page), "author_name": "Probe", "author_email": email, "body": body},
        )
        return client, answer

    for accept in ("text/html", "application/json"):
        victim, as_victim = attempt("victim@example.org", f"is she banned? {accept}", accept)
        control, as_anyone = attempt("someone@unbanned.example", f"is anyone banned? {accept}", accept)
        assert as_victim.status_code == as_anyone.status_code
        assert "not accepted" not in as_victim.text
        if accept == "application/json":
            shown = [
                {k: v for k, v in answer.get_json().items() if k not in ("id", "created_at", "html", "ticket")}
                for answer in (as_victim, as_anyone)
            ]
            assert shown[0] == shown[1] and "awaiting moderation" in shown[0]["notice"]
        else:
            assert as_victim.status_code == 303
            assert "awaiting moderation" in victim.get(as_victim.headers["Location"]).text
            assert "awaiting moderation" in control.get(as_anyone.headers["Location"]).text
            assert status_of(app, comment_id_from(as_victim)) == "spam"
            assert status_of(app, comment_id_from(as_anyone)) == "pending"
