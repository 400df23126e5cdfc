"""Full-page screenshots of the demo's thread page and moderation dashboard at
360 and 1280 px, written to tests/artifacts/ (git-ignored) and checked to be
real pictures, not blank ones.

With FORUM_UPDATE_SCREENSHOTS=1 the run also refreshes the copies the README
shows, in docs/screenshots/.
"""

from __future__ import annotations

import base64
import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from .demo_site import (
    BUSY_POST,
    MODERATOR,
    log_in,
    submit_comment,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS = ROOT / "docs" / "screenshots"
WIDTHS = (360, 1280)
FOR_THE_README = ("thread-360.png", "thread-1280.png", "dashboard-1280.png")


def capture(page, name: str, width: int) -> Path:
    """Screenshot ``page`` as ``<name>-<width>.png``, after checking that
    nothing runs off the side of the screen."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the {name} page scrolls sideways by {overflow}px at {width}px"
    path = ARTIFACTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def png_header(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the inflated image data of a PNG, read with the standard library.

    Checks the signature, each chunk's CRC and that the data inflates to the
    size the header promises (8-bit RGB or RGBA, as Chromium writes them).
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, width, height, idat = 8, 0, 0, []
    channels = 0
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        offset += 12 + length
    raw = zlib.decompress(b"".join(idat))
    assert len(raw) == height * (1 + width * channels), "the image data does not fill the picture"
    return width, height, raw


# Chromium decodes the file and counts its colours: how much of the picture is
# the most common one, and how many there are.
_PIXELS = """async (src) => {
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


def assert_not_blank(browser, path: Path, width: int) -> None:
    data = path.read_bytes()
    found_width, height, raw = png_header(data)
    assert found_width == width and height >= 600, (found_width, height)
    assert raw.count(raw[:1]) != len(raw), f"{path.name} inflates to one repeated byte"
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>check</title>")
        measure = page.evaluate(_PIXELS, "data:image/png;base64," + base64.b64encode(data).decode())
    finally:
        page.close()
    assert measure["colours"] >= 32 and measure["dominant"] < 0.97, f"{path.name} looks blank: {measure}"


def _thread_with_comments(site, browser) -> None:
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


def test_screenshots_of_the_thread_and_the_dashboard(site, browser):
    _thread_with_comments(site, browser)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    written = []
    for width in WIDTHS:
        viewport = {"width": width, "height": 800}
        reader = site.context(browser, viewport=viewport, color_scheme="light")
        page = reader.new_page()
        page.goto(site.post_url(BUSY_POST), wait_until="networkidle")
        written.append((capture(page, "thread", width), width))
        reader.close()

        moderator = site.context(browser, viewport=viewport, color_scheme="light")
        queue = log_in(moderator, site, *MODERATOR)
        queue.wait_for_load_state("networkidle")
        written.append((capture(queue, "dashboard", width), width))
        moderator.close()

    for path, width in written:
        assert_not_blank(browser, path, width)
    if os.environ.get("FORUM_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        for name in FOR_THE_README:
            shutil.copyfile(ARTIFACTS / name, DOCS / name)


def test_the_png_check_knows_a_blank_picture(tmp_path, browser):
    page = browser.new_page(viewport={"width": 360, "height": 640})
    page.set_content("<!doctype html><title>blank</title><body style='margin:0;background:#fff'></body>")
    path = tmp_path / "blank.png"
    page.screenshot(path=str(path), full_page=True)
    page.close()
    with pytest.raises(AssertionError):
        assert_not_blank(browser, path, 360)
