"""The site's own address, from configuration, and the absolute links built
on it: pure, no Flask.

Links that leave the request (mail, feeds) must not be built from the
request's ``Host`` header, which whoever sends the request chooses. They
start from the address the site owner configured (``FORUM_SITE_URL``, else
``SERVER_NAME``), and a thread's URL is used only when it points there.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# What a browser or a mail client could read differently from urllib
# (WHATWG parsers turn "\\" into "/"), or what would cut a link in a mail.
_AMBIGUOUS = re.compile(r"[\\\s\x00-\x1f\x7f]")
# Characters left as they are when a path is made safe to print in a mail:
# RFC 3986's reserved and unreserved ones, and "%" so escapes survive.
_URL_SAFE = "/?#[]@!$&'()*+,;=:-._~%"
EXAMPLE = "https://example.org/blog"


def check_site_url(value: object) -> str:
    """``value`` as the site's base URL, without a trailing slash.

    :raises ValueError: unless it is an http or https URL with a host and
        no user name, query or fragment, saying what is wrong.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"FORUM_SITE_URL must be a URL such as {EXAMPLE!r}, not {value!r}")
    value = value.strip()
    if _AMBIGUOUS.search(value):
        raise ValueError(f"FORUM_SITE_URL may not contain spaces, backslashes or control characters: {value!r}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"FORUM_SITE_URL must start with https:// or http://, as in {EXAMPLE!r}: {value!r}")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not parts.hostname or port == -1 or "@" in parts.netloc:
        raise ValueError(f"FORUM_SITE_URL must name the site's host (and port, if any) and nothing else: {value!r}")
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        raise ValueError(f"FORUM_SITE_URL may hold a path but no query or fragment: {value!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def from_server_name(server_name: str | None, scheme: str | None, application_root: str | None) -> str | None:
    """The base URL Flask itself would use outside a request, or None
    without a ``SERVER_NAME``."""
    if not server_name:
        return None
    root = (application_root or "/").rstrip("/")
    return f"{scheme or 'http'}://{server_name.lower()}{root}"


def host_of(base: str) -> str:
    """The host name of a base URL, for mail subjects and tag: URIs."""
    return (urlsplit(base).hostname or "localhost").lower()


def join(base: str, path: str) -> str:
    """``base`` followed by ``path``, a path of the app (one ``url_map``
    builds, starting with "/")."""
    return base + quote(path, safe=_URL_SAFE)


def page_url(base: str, url: str) -> str | None:
    """The absolute address of a host page the forum was told about
    (a thread's URL), or None when it is not on the site at ``base``.

    A path is read from the site's root; one that already starts with the
    site's own path (``url_for`` adds it) is not given it twice. A full URL
    is kept only when its host is the site's.
    """
    if not url or _AMBIGUOUS.search(url):
        return None
    parts = urlsplit(url)
    site = urlsplit(base)
    if parts.scheme or parts.netloc:
        if parts.scheme in ("http", "https") and parts.hostname and parts.hostname == site.hostname:
            return url if "@" not in parts.netloc else None
        return None
    if not url.startswith("/"):
        return None
    if site.path and (url == site.path or url.startswith(site.path + "/")):
        return join(f"{site.scheme}://{site.netloc}", url)
    return join(base, url)
