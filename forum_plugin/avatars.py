"""Optional pictures beside authors' names: identicons made here, or Gravatar.

Identicons are drawn from a keyed hash, so they cannot be traced back to an
email or matched with the same person's on other sites. Gravatar sends each
reader's browser to gravatar.com with the MD5 of the author's address:
convenient, but it tells Gravatar who read the page and lets anyone with a
list of addresses recognise an author. Pure: imports no Flask.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import quote

from .privacy import keyed_digest

IDENTICON = "identicon"
GRAVATAR = "gravatar"
# The values of FORUM_AVATARS that draw pictures; None draws none.
DRAWN = (IDENTICON, GRAVATAR)
MODES = (None, *DRAWN)
GRAVATAR_ORIGIN = "https://www.gravatar.com"
_GRID = 5


@lru_cache(maxsize=4096)
def _identicon_for(digest: str) -> str:
    """A symmetric 5 x 5 pattern in one colour, as an SVG data URI."""
    bits = int(digest[:16], 16)
    hue = int(digest[16:20], 16) % 360
    cells = []
    for row in range(_GRID):
        for column in range((_GRID + 1) // 2):
            if bits >> (row * 3 + column) & 1:
                for x in {column, _GRID - 1 - column}:
                    cells.append(f'<rect x="{x}" y="{row}" width="1" height="1"/>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-0.5 -0.5 6 6">'
        f'<rect x="-0.5" y="-0.5" width="6" height="6" fill="hsl({hue},30%,92%)"/>'
        f'<g fill="hsl({hue},45%,45%)">{"".join(cells)}</g></svg>'
    )
    return "data:image/svg+xml," + quote(svg)


def identicon(secret: str | bytes, author_key: str) -> str:
    return _identicon_for(keyed_digest(secret, "forum-avatar", author_key))


def gravatar(email: str, size: int = 64) -> str:
    digest = hashlib.md5(email.strip().lower().encode(), usedforsecurity=False).hexdigest()
    return f"{GRAVATAR_ORIGIN}/avatar/{digest}?s={size}&d=identicon"


def avatar_url(mode: str | None, secret: str | bytes, *, author_key: str, email: str | None) -> str | None:
    """The picture for an author, or None when avatars are off."""
    if mode == GRAVATAR and email:
        return gravatar(email)
    if mode in DRAWN:
        return identicon(secret, author_key)
    return None
