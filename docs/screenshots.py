"""Full-page screenshots of the demo's thread page and moderation dashboard,
as the README shows them: ``python docs/screenshots.py`` from a clone, after
``pip install -e '.[test]'`` and with Debian's Chromium installed.

The demo is served on 127.0.0.1 with a temporary SQLite database; the
moderator adds a nested reply and a reader leaves a comment in the queue, so
that both pages have something to show. Each picture is written to
``docs/screenshots/`` (or the folder given) as ``<page>-<width>.png``, and the
run fails when a page scrolls sideways or a picture comes out blank.
"""

from __future__ import annotations

import argparse
import base64
import logging
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the demo site and the browser helpers live in tests/

import pytest  # noqa: E402  (after the path above)

from tests.browser import chromium  # noqa: E402
from tests.demo_site import BUSY_POST, MODERATOR, DemoSite, log_in, serve_demo, submit_comment  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Which pages at which widths: the README shows the thread at both widths
# and the dashboard at the wider one.
SHOTS = (("thread", 360), ("thread", 1280), ("dashboard", 1280))

# Chromium decodes the file and counts its colours: how much of the picture
# is the most common one, and how many there are.
_COLOURS = """async (src) => {
  const image = new Image();
  image.src = src;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = new Uint32Array(context.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
  const counts = new Map();
  for (const pixel of pixels) counts.set(pixel, (counts.get(pixel) || 0) + 1);
  return {colours: counts.size, dominant: Math.max(...counts.values()) / pixels.length};
}"""


def fill_the_thread(site: DemoSite, browser: Browser) -> None:
    """A nested reply from the moderator and a reader's comment waiting in the queue."""
    moderator = site.context(browser, java_script_enabled=False)
    page = log_in(moderator, site, *MODERATOR)
    page.goto(site.post_url(BUSY_POST), wait_until="load")
    with page.expect_navigation(wait_until="load"):
        page.locator("[data-forum-reply]").last.click()
    submit_comment(page, "The list is on the shelter's noticeboard and in **this week's newsletter**.")
    moderator.close()
    reader = site.context(browser, java_script_enabled=False)
    page = reader.new_page()
    page.goto(site.post_url(BUSY_POST), wait_until="load")
    submit_comment(page, "We can bring two boxes of school books on Saturday.", "Dara")
    reader.close()


def capture(page: Page, path: Path) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        raise SystemExit(f"{path.name}: the page scrolls sideways by {overflow}px")
    page.screenshot(path=str(path), full_page=True, animations="disabled")


def check_not_blank(browser: Browser, path: Path) -> None:
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>check</title>")
        source = "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
        measure = page.evaluate(_COLOURS, source)
    finally:
        page.close()
    if measure["colours"] < 32 or measure["dominant"] >= 0.97:
        raise SystemExit(f"{path.name} looks blank: {measure}")


def take(site: DemoSite, browser: Browser, name: str, width: int, out: Path) -> Path:
    context = site.context(browser, viewport={"width": width, "height": 800}, color_scheme="light")
    try:
        if name == "dashboard":
            page = log_in(context, site, *MODERATOR)
        else:
            page = context.new_page()
            page.goto(site.post_url(BUSY_POST))
        page.wait_for_load_state("networkidle")
        path = out / f"{name}-{width}.png"
        capture(page, path)
    finally:
        context.close()
    check_not_blank(browser, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the pictures")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    try:
        with tempfile.TemporaryDirectory() as folder, chromium() as browser:
            database = f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
            with serve_demo(Path(folder), database) as site:
                fill_the_thread(site, browser)
                for name, width in SHOTS:
                    print(take(site, browser, name, width, out))
    except (pytest.skip.Exception, pytest.fail.Exception) as missing:  # tests.browser: no usable Chromium
        raise SystemExit(f"cannot take screenshots: {missing.msg}") from None


if __name__ == "__main__":
    main()
