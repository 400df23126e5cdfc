"""axe-core audits of the demo's thread page, a comment form showing its
errors, and the moderation dashboard: no serious or critical violations, in
the light and the dark colour scheme.

axe-core's script comes from the ``axe-playwright-python`` package (in the
``test`` extra), which ships it; it is injected into the page under test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import skip_or_fail
from .demo_site import (
    BUSY_POST,
    MODERATOR,
    log_in,
    submit_comment,
)

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
SCHEMES = ["light", "dark"]


def _axe_script() -> str:
    try:
        import axe_playwright_python
    except ImportError as error:
        skip_or_fail(f"axe-playwright-python (which ships axe-core) is not installed: {error}")
    path = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    if not path.is_file():
        skip_or_fail(f"axe-core's script is missing: {path}")
    return path.read_text(encoding="utf-8")


def audit(page) -> list[dict]:
    """axe-core's violations on the page as it is now (WCAG 2.x A/AA and best practice rules)."""
    page.evaluate(_axe_script())
    results = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
            resultTypes: ["violations"],
        })"""
    )
    assert results["testEngine"]["name"] == "axe-core"
    return results["violations"]


def assert_no_blocking(violations: list[dict], where: str) -> None:
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    report = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [
                {"target": n["target"], "html": n["html"][:200], "summary": n.get("failureSummary")} for n in v["nodes"]
            ],
        }
        for v in blocking
    ]
    if report:
        print(f"axe violations on {where}:\n{json.dumps(report, indent=2, ensure_ascii=False)}")
    assert not report, f"{len(report)} serious or critical axe violations on {where}: {[v['id'] for v in report]}"
    minor = sorted({f"{v['id']} ({v['impact']})" for v in violations if v["impact"] not in BLOCKING})
    if minor:
        print(f"minor axe findings on {where}: {minor}")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_thread_page_has_no_serious_violations(site, browser, scheme):
    context = site.context(browser, color_scheme=scheme)
    page = context.new_page()
    page.goto(site.post_url(BUSY_POST), wait_until="load")
    submit_comment(page, "A comment of my own, *still waiting*.", "Hnin", inline=True)  # a pending notice too
    page.locator("article.forum-comment-pending").first.wait_for()
    page.reload(wait_until="load")
    assert page.locator(".forum-notice").count() >= 1
    page.locator("details.forum-report").first.locator("summary").click()  # an open report form
    assert_no_blocking(audit(page), f"the thread page ({scheme})")
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_comment_form_showing_errors_has_no_serious_violations(site, browser, scheme):
    # As with scripts off: forum.js never loads, so the form posts as a page and the server
    # renders the errors. (Scripts stay on in the context: axe-core needs them to run.)
    context = site.context(browser, color_scheme=scheme)
    context.route("**/forum/static/forum.js", lambda route: route.abort())
    page = context.new_page()
    page.goto(site.post_url(BUSY_POST), wait_until="load")
    with page.expect_navigation(wait_until="load"):
        page.click("#comment-form button[type=submit]")  # nothing filled in
    assert page.locator(".forum-field-invalid").count() >= 1
    assert page.locator("#body[aria-invalid=true]").count() == 1
    assert_no_blocking(audit(page), f"the comment form with errors ({scheme})")
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_moderation_dashboard_has_no_serious_violations(site, browser, scheme):
    context = site.context(browser, color_scheme=scheme)
    queue = log_in(context, site, *MODERATOR)
    assert queue.locator(".forum-queue-item").count() >= 2  # the demo's seeded pending comments
    queue.locator("details.forum-ban").first.locator("summary").click()
    assert_no_blocking(audit(queue), f"the moderation dashboard ({scheme})")
    context.close()
