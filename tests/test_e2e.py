"""End to end: the demo blog served for real, driven through Debian's Chromium.

A reader and the demo moderator each have a browser context of their own;
everything happens through the pages (the moderator logs in at /login).
"""

from __future__ import annotations

import pytest

from .demo_site import (
    BUSY_POST,
    MODERATOR,
    PENDING_NOTICE,
    QUIET_POST,
    STEP_MS,
    comment_id_in,
    log_in,
    submit_comment,
)

pytestmark = pytest.mark.browser


def _approve_from_queue(moderator_page, comment_id: int) -> None:
    moderator_page.goto(f"{moderator_page.url.split('/forum/')[0]}/forum/moderation/", wait_until="load")
    row = moderator_page.locator(f"#queue-{comment_id}")
    with moderator_page.expect_navigation(wait_until="load"):
        row.get_by_role("button", name=f"Approve comment #{comment_id}").click()
    assert moderator_page.locator(f"#queue-{comment_id}").count() == 0


def _reader_flow(site, browser, *, javascript: bool) -> None:
    reader = site.context(browser, java_script_enabled=javascript)
    page = reader.new_page()
    page.goto(site.post_url(QUIET_POST), wait_until="load")
    text = f"Could the training notes be shared ({'script' if javascript else 'no script'})?"
    if javascript:
        submit_comment(page, text, "Mya", inline=True)
        posted = page.locator("article.forum-comment-pending", has_text=text)
        posted.wait_for(timeout=STEP_MS)
        comment_id = int(posted.get_attribute("id").removeprefix("comment-"))
        page.reload(wait_until="load")
    else:
        submit_comment(page, text, "Mya")
        comment_id = comment_id_in(page.url)
    mine = page.locator(f"#comment-{comment_id}")
    assert text in mine.inner_text()
    assert PENDING_NOTICE in mine.locator(".forum-notice").inner_text()

    # Someone else sees nothing of it yet.
    stranger = site.context(browser).new_page()
    stranger.goto(site.post_url(QUIET_POST), wait_until="load")
    assert stranger.locator(f"#comment-{comment_id}").count() == 0

    moderator = site.context(browser)
    queue = log_in(moderator, site, *MODERATOR)
    assert text in queue.locator(f"#queue-{comment_id}").inner_text()
    _approve_from_queue(queue, comment_id)

    page.reload(wait_until="load")
    mine = page.locator(f"#comment-{comment_id}")
    assert text in mine.inner_text()
    assert mine.locator(".forum-notice").count() == 0
    assert "forum-comment-pending" not in (mine.get_attribute("class") or "")
    stranger.reload(wait_until="load")
    assert text in stranger.locator(f"#comment-{comment_id}").inner_text()
    for context in (reader, stranger.context, moderator):
        context.close()


def test_a_reader_posts_and_the_moderator_approves_from_the_dashboard(site, browser):
    _reader_flow(site, browser, javascript=True)


def test_the_same_reader_flow_with_javascript_off(site, browser):
    _reader_flow(site, browser, javascript=False)


def test_replies_nest_eight_deep_and_the_indentation_stops_at_max_depth(site, browser):
    max_depth = site.app.config["FORUM_MAX_DEPTH"]
    assert max_depth == 6  # the demo's default, which the positions below rely on
    moderator = site.context(browser, java_script_enabled=False)  # each reply is a plain page load
    page = log_in(moderator, site, *MODERATOR)
    page.goto(site.post_url(QUIET_POST), wait_until="load")
    submit_comment(page, "Level 0: where does the training week start?")  # signed in: no name field
    ids = [comment_id_in(page.url)]
    for depth in range(1, 9):
        with page.expect_navigation(wait_until="load"):
            page.click(f'[data-forum-reply="{ids[-1]}"]')
        assert "reply_to=" in page.url
        submit_comment(page, f"Level {depth}: a reply to level {depth - 1}.")
        ids.append(comment_id_in(page.url))

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site.post_url(QUIET_POST), wait_until="load")
    xs = {}
    for depth, comment_id in enumerate(ids):
        article = page.locator(f"#comment-{comment_id}")
        assert article.get_attribute("data-depth") == str(depth)
        assert f"Level {depth}:" in article.inner_text()
        assert article.locator(".forum-notice").count() == 0  # a moderator's reply is published at once
        box = article.bounding_box()
        assert box is not None and box["width"] > 0
        xs[depth] = box["x"]
    assert [xs[d] for d in range(max_depth + 1)] == sorted(set(xs[d] for d in range(max_depth + 1)))
    assert xs[max_depth - 1] < xs[max_depth] == xs[max_depth + 1] == xs[max_depth + 2], xs
    moderator.close()


def test_bulk_approve_publishes_every_comment_on_the_page(site, browser):
    reader = site.context(browser, java_script_enabled=False)
    page = reader.new_page()
    page.goto(site.post_url(QUIET_POST), wait_until="load")
    texts = [f"Bulk question number {n}." for n in range(1, 4)]
    ids = []
    for text in texts:
        submit_comment(page, text, "Kyaw")
        ids.append(comment_id_in(page.url))

    moderator = site.context(browser)
    queue = log_in(moderator, site, *MODERATOR)
    for comment_id in ids:
        assert queue.locator(f"#queue-{comment_id}").count() == 1
    queue.check("[data-forum-select-all]")
    assert all(box.is_checked() for box in queue.locator('input[name="ids"]').all())  # forum-moderation.js
    queue.select_option('#forum-bulk select[name="action"]', "approve")
    with queue.expect_navigation(wait_until="load"):
        queue.click("#forum-bulk button[type=submit]")
    assert queue.locator(".forum-queue-item").count() == 0
    assert "No pending comments" in queue.locator(".forum-empty").inner_text()

    stranger = site.context(browser).new_page()
    stranger.goto(site.post_url(QUIET_POST), wait_until="load")
    for comment_id, text in zip(ids, texts, strict=True):
        assert text in stranger.locator(f"#comment-{comment_id}").inner_text()
    for context in (reader, moderator, stranger.context):
        context.close()


def test_a_reader_reports_a_comment_and_is_thanked(site, browser):
    reader = site.context(browser)
    page = reader.new_page()
    page.goto(site.post_url(BUSY_POST), wait_until="load")
    target = page.locator("article.forum-comment", has=page.locator(".forum-report")).first
    comment_id = target.get_attribute("id").removeprefix("comment-")
    details = target.locator("details.forum-report")
    details.locator("summary").click()
    assert details.get_attribute("open") is not None
    reason = details.get_by_label("Why should a moderator look at this?")
    choices = [value for value in reason.locator("option").evaluate_all("os => os.map(o => o.value)") if value]
    assert choices, "the report form offers no reason"
    reason.select_option(choices[-1])
    details.get_by_label("Details (optional)").fill("Please check this one.")
    with page.expect_navigation(wait_until="load"):
        details.get_by_role("button", name="Send report").click()
    confirmation = page.locator(".forum-confirmation")
    assert "Thank you" in confirmation.inner_text()
    assert "report was received" in confirmation.inner_text()
    with page.expect_navigation(wait_until="load"):
        confirmation.get_by_role("link", name="Back to the page").click()
    assert f"/posts/{BUSY_POST}" in page.url

    moderator = site.context(browser)
    queue = log_in(moderator, site, *MODERATOR)
    queue.goto(f"{site.url}/forum/moderation/?status=approved", wait_until="load")
    assert "Reported 1 time" in queue.locator(f"#queue-{comment_id}").inner_text()
    reader.close()
    moderator.close()


def test_an_inline_reply_posts_without_a_page_load_and_is_announced(site, browser):
    reader = site.context(browser)
    page = reader.new_page()
    page.goto(site.post_url(BUSY_POST), wait_until="load")
    link = page.locator("[data-forum-reply]").first
    parent = link.get_attribute("data-forum-reply")
    author = link.get_attribute("data-forum-author")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
    link.click()
    assert page.locator("#comment-form").evaluate("form => form.previousElementSibling.id") == f"comment-{parent}"
    assert page.locator(".forum-form-title").inner_text() == f"Reply to {author}"
    submit_comment(page, "Count me in for the **winter drive**.", "Aye", inline=True)
    reply = page.locator(f'article[data-parent="{parent}"]', has_text="winter drive")
    reply.wait_for(timeout=STEP_MS)
    assert navigations == [] and page.url == site.post_url(BUSY_POST)
    assert reply.locator("strong").inner_text() == "winter drive"
    live = page.locator("[data-forum-live]")
    assert PENDING_NOTICE in live.inner_text()
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"
    reader.close()
