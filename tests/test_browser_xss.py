"""The XSS corpus, posted through the real form, approved, and opened in Chromium.

The corpus tests prove the stored HTML stays inside the allowlist; this one
proves what a reader and a moderator actually get is inert: no dialog, no
call to ``alert``/``confirm``/``prompt``/``print``, no inline or foreign
script, no ``on*`` attribute, no link that is not http(s) or mailto, on the
host's post page, the forum's thread pages and the moderation pages. Author
names, emails and a thread title are hostile too, and must show as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import pytest

from .browser import ScriptWatch, chromium, copy_session_cookie, keep_on_origin, live_server
from .conftest import add_users, comment_id_from, csrf_token, issue_ticket, log_in, post_comment
from .xss import check_safe, load_payloads

pytestmark = pytest.mark.browser

# Rotated over the comments. Every one is a valid name for the form.
NAMES = (
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</title><script>alert(1)</script>",
    "javascript:alert(1)",
    "'-alert(1)-'",
    "</textarea><script>print()</script>{{7*7}}",
)
# Valid addresses per WTForms' Email (no quotes or parentheses allowed), but
# still able to break out of a badly quoted attribute; None: no email given.
EMAILS = (
    "x'onfocus=alert`1`'autofocus@example.org",
    "'onmouseover=alert`1`//@example.org",
    None,
    "x'/onmouseover='alert`1`@example.org",
    "{{7*7}}@example.org",
)
# Posted to through the forum's own route, so the thread's title is the key.
HOSTILE_KEY = '"><svg onload=alert(1)></title><script>alert(1)</script>'
HOSTILE_PATH = quote(HOSTILE_KEY, safe="")
HOST_SLUG = "first-report"
HOST_TITLE = "First field report"

# Everything a check needs from one loaded page, in one round trip.
PAGE_FACTS = """() => {
  const where = (el) => {
    const holder = el.closest('[id^="comment-"], [id^="queue-"]');
    return holder ? holder.id : el.tagName.toLowerCase();
  };
  const facts = {title: document.title, text: document.body ? document.body.textContent : "",
                 scripts: [], handlers: [], links: [], frames: [], bodies: [], authors: {}, emails: {},
                 threads: {}, forms: []};
  for (const s of document.querySelectorAll("script")) {
    facts.scripts.push({src: s.src, inline: s.textContent.trim().slice(0, 120), where: where(s)});
  }
  for (const el of document.querySelectorAll("*")) {
    for (const name of el.getAttributeNames()) {
      if (name.toLowerCase().startsWith("on")) {
        facts.handlers.push(`<${el.tagName.toLowerCase()} ${name}=${JSON.stringify(el.getAttribute(name))}> in ${where(el)}`);
      }
    }
  }
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    facts.links.push({href: a.href, raw: a.getAttribute("href"), protocol: a.protocol, where: where(a)});
  }
  for (const f of document.querySelectorAll("form")) {
    facts.forms.push({action: f.action, protocol: new URL(f.action, document.baseURI).protocol});
  }
  for (const el of document.querySelectorAll("iframe, frame, object, embed, base, meta[http-equiv]")) {
    facts.frames.push(`${el.outerHTML.slice(0, 120)} in ${where(el)}`);
  }
  for (const body of document.querySelectorAll(".forum-body")) {
    facts.bodies.push({html: body.innerHTML, where: where(body)});
  }
  for (const el of document.querySelectorAll("article[id^='comment-'] > .forum-meta > .forum-author")) {
    facts.authors[el.closest("article").id.slice("comment-".length)] = el.textContent;
  }
  for (const item of document.querySelectorAll(".forum-queue-item")) {
    const id = item.id.slice("queue-".length);
    facts.authors[id] = item.querySelector(".forum-author").textContent;
    const email = item.querySelector(".forum-email");
    facts.emails[id] = email ? email.textContent : null;
    facts.threads[id] = item.querySelector("p.forum-meta a").textContent;
  }
  return facts;
}"""


@dataclass(frozen=True)
class Posted:
    thread: str
    name: str
    email: str | None
    body: str


def post(
    client, posted: dict[int, Posted], thread: str, body: str, name: str, email: str | None, **extra
) -> int | None:
    """Post through the form; only a blank comment, or one holding a NUL character
    (which no database text column may store), may be refused (None)."""
    if thread != HOST_SLUG:  # no host page renders the hostile thread: sign its form as one would
        extra.setdefault("forum_ticket", issue_ticket(client.application, thread))
    response = post_comment(
        client,
        HOST_SLUG if thread == HOST_SLUG else HOSTILE_PATH,
        page=f"/posts/{HOST_SLUG}",
        body=body,
        author_name=name,
        author_email=email,
        **extra,
    )
    if response.status_code == 400 and (not body.strip() or "\x00" in body):
        return None  # refused with a message: nothing stored, nothing to render
    assert response.status_code == 303, f"comment {body!r} by {name!r} <{email}> refused: {response.status_code}"
    comment_id = comment_id_from(response)
    posted[comment_id] = Posted(thread, name, email, body)
    return comment_id


def approve_all(moderator, ids: list[int]) -> None:
    """Approve through the dashboard's bulk form, at most 500 ids a request."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        token = csrf_token(moderator.get("/forum/moderation/").text)
        response = moderator.post(
            "/forum/moderation/bulk", data={"csrf_token": token, "action": "approve", "ids": [str(i) for i in chunk]}
        )
        assert response.status_code == 303
        done = moderator.get(response.headers["Location"]).text
        assert f"Approved: {len(chunk)} of {len(chunk)} comment{'' if len(chunk) == 1 else 's'}." in done


def checked(facts: dict, origin: str) -> list[str]:
    """The generic checks every page must pass; an empty list when it does."""
    problems = []
    for script in facts["scripts"]:
        parts = urlsplit(script["src"])
        own = (
            f"{parts.scheme}://{parts.netloc}" == origin
            and parts.path.startswith("/forum/static/")
            and parts.path.endswith(".js")
        )
        if not own or script["inline"]:
            problems.append(f"script element {script}")
    problems += [f"event handler attribute {h}" for h in facts["handlers"]]
    problems += [f"frame/object/base/meta element {f}" for f in facts["frames"]]
    for link in facts["links"]:
        if link["protocol"] not in ("http:", "https:", "mailto:"):
            problems.append(f"link with protocol {link['protocol']!r}: href={link['raw']!r} in {link['where']}")
    for form in facts["forms"]:
        if form["protocol"] not in ("http:", "https:"):
            problems.append(f"form action {form['action']!r}")
    for body in facts["bodies"]:
        problems += [f"{problem} in .forum-body of {body['where']}" for problem in check_safe(body["html"])]
    return problems


def test_corpus_is_inert_in_chromium(make_app):
    with chromium() as chrome:  # first, so a missing browser skips before the slow part
        check_in_chromium(chrome, make_app)


def check_in_chromium(chrome, make_app) -> None:
    """Post, approve, then load every page; all problems are listed at the end, not just the first."""
    app = make_app(FORUM_PER_PAGE=1000, FORUM_MAX_LINKS=1000, FORUM_MAX_LENGTH=20000, FORUM_MAX_DEPTH=1)
    users = add_users(app)
    reader = app.test_client()
    posted: dict[int, Posted] = {}

    # 1. Every payload through the host page's form, as an anonymous reader.
    payloads = load_payloads()
    refused = [
        payload
        for n, payload in enumerate(payloads)
        if post(reader, posted, HOST_SLUG, payload, NAMES[n % len(NAMES)], EMAILS[n % len(EMAILS)]) is None
    ]
    assert len(posted) >= 0.95 * len(payloads), f"only {len(posted)} of {len(payloads)} payloads were accepted"

    # 2. A thread whose key, hence title, is hostile, with hostile authors.
    hostile = [
        post(
            reader,
            posted,
            HOSTILE_KEY,
            f"In the hostile thread, {n}: {payloads[n * 90 % len(payloads)]}",
            NAMES[n % len(NAMES)],
            EMAILS[n % len(EMAILS)],
        )
        for n in range(5)
    ]

    moderator = app.test_client()
    log_in(moderator, users["moderator"])
    approve_all(moderator, sorted(posted))

    # 3. Replies deeper than FORUM_MAX_DEPTH are marked "in reply to NAME".
    first = hostile[0]
    assert first is not None and None not in hostile
    middle = post(reader, posted, HOSTILE_KEY, "a reply", NAMES[1], EMAILS[0], parent_id=str(first))
    assert middle is not None
    approve_all(moderator, [middle])
    deepest = post(reader, posted, HOSTILE_KEY, "a reply to the reply", NAMES[2], EMAILS[1], parent_id=str(middle))
    assert deepest is not None
    approve_all(moderator, [deepest])

    in_host = {i: p for i, p in posted.items() if p.thread == HOST_SLUG}
    in_hostile = {i: p for i, p in posted.items() if p.thread == HOSTILE_KEY}
    problems: list[str] = []
    loads = 0

    with live_server(app) as server:
        context = chrome.new_context(base_url=server.url)
        left_origin = keep_on_origin(context, server)
        watch = ScriptWatch(context)
        page = watch.new_page()

        def visit(path: str) -> dict:
            """Load ``path``, let deferred handlers run, and check what every page must satisfy."""
            nonlocal loads
            loads += 1
            response = page.goto(path, wait_until="load")
            assert response is not None and response.status == 200, f"{path}: {response and response.status}"
            page.wait_for_timeout(200)
            facts = page.evaluate(PAGE_FACTS)
            found = watch.take(page).problems() + checked(facts, server.url)
            found += [f"request left the site: {url}" for url in left_origin]
            left_origin.clear()
            problems.extend(f"{path}: {problem}" for problem in found)
            return facts

        def expect(path: str, what: str, actual, wanted) -> None:
            if actual != wanted:
                problems.append(f"{path}: {what}: {actual!r}, expected {wanted!r}")

        def expect_authors(path: str, facts: dict, comments: dict[int, Posted]) -> None:
            """Each comment's hostile name shows as text: escaped, not dropped."""
            expect(path, "comments shown", sorted(map(int, facts["authors"])), sorted(comments))
            for key, name in facts["authors"].items():
                expect(path, f"author of #{key}", name, comments[int(key)].name)

        def expect_no_emails(path: str, facts: dict) -> None:
            """Public pages never show an email address, hostile or not."""
            html = page.content()
            for email in {p.email for p in posted.values() if p.email}:
                if email in facts["text"] or email in html:
                    problems.append(f"{path}: email {email!r} is on a public page")

        # The host's post page and the forum's own page of the same thread.
        for path in (f"/posts/{HOST_SLUG}", f"/forum/threads/{HOST_SLUG}"):
            facts = visit(path)
            expect_authors(path, facts, in_host)
            expect_no_emails(path, facts)

        # The hostile thread's own page, replying to its first comment.
        path = f"/forum/threads/{HOSTILE_PATH}?reply_to={first}"
        facts = visit(path)
        expect_authors(path, facts, in_hostile)
        expect_no_emails(path, facts)
        expect(path, "document title", facts["title"], f"Comments on {HOSTILE_KEY}")
        expect(path, "heading", page.locator("h1.forum-page-title a").text_content(), HOSTILE_KEY)
        expect(path, "form title", page.locator(".forum-form-title").text_content(), f"Reply to {posted[first].name}")
        expect(path, "replying to", page.locator(".forum-replying a").first.text_content(), posted[first].name)
        expect(
            path,
            "in reply to",
            page.locator(f"#comment-{deepest} .forum-reply-to").text_content(),
            f"in reply to {posted[middle].name}",
        )
        action = page.locator("#comment-form").evaluate("form => form.action")
        expect(path, "form action", unquote(urlsplit(action).path), f"/forum/threads/{HOSTILE_KEY}/comments")

        # The moderator's pages, with the moderator's session.
        copy_session_cookie(moderator, context, server)
        seen: dict[int, str] = {}
        path = "/forum/moderation/?status=approved"
        for _ in range(len(posted) // 50 + 2):  # pages of 50; a pager that loops stops here
            if path is None:
                break
            facts = visit(path)
            for key, name in facts["authors"].items():
                comment = posted[int(key)]
                seen[int(key)] = name
                expect(path, f"author of #{key}", name, comment.name)
                expect(path, f"email of #{key}", facts["emails"][key], comment.email)
                expect(
                    path,
                    f"thread of #{key}",
                    facts["threads"][key],
                    HOST_TITLE if comment.thread == HOST_SLUG else HOSTILE_KEY,
                )
            following = page.locator(".forum-pager a", has_text="Next page")
            path = following.get_attribute("href") if following.count() else None
        expect("/forum/moderation/?status=approved", "comments listed", sorted(seen), sorted(posted))

        path = f"/forum/moderation/?status=approved&thread={HOSTILE_PATH}"
        facts = visit(path)
        expect(path, "rows", sorted(map(int, facts["authors"])), sorted(in_hostile))
        expect(path, "threads", set(facts["threads"].values()), {HOSTILE_KEY})
        expect(path, "thread filter", page.locator("input[name='thread']").input_value(), HOSTILE_KEY)

        path = f"/forum/moderation/comments/{deepest}"
        facts = visit(path)
        meta = page.locator(".forum-moderation > p.forum-meta").first
        meta_text = meta.text_content() or ""
        for part in (posted[deepest].name, posted[deepest].email or ""):
            if part not in meta_text:
                problems.append(f"{path}: {part!r} missing from {meta_text!r}")
        expect(path, "thread", meta.locator("a").text_content(), HOSTILE_KEY)

        visit("/forum/moderation/log")
        context.close()

    report = "\n".join(problems)
    assert not problems, (
        f"{len(problems)} problems in {loads} page loads ({len(refused)} blank or NUL payloads refused):\n{report}"
    )
