"""Atom feeds (RFC 4287) of approved comments, built as XML with ElementTree.

ElementTree escapes every text and attribute, so a title holding ``<`` or
``&`` and the comments' HTML (sent escaped, as ``type="html"`` asks) cannot
break the document. Entries carry the author's name and nothing else about
them: the rows given here never hold an email. Imports no Flask; the view
passes the site's address in, and each entry links to its thread's page
only when that page is on the site (:func:`forum_plugin.site_url.page_url`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Sequence
from urllib.parse import urlsplit

from . import site_url
from .activity import ListedComment
from .threads import permalink

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
MAX_ENTRIES = 50
# The date in tag: URIs (RFC 4151) only has to be one at which the site
# owned its name; a fixed one keeps every id the same for ever.
TAG_DATE = "2026"

# Characters XML 1.0 cannot carry at all, even escaped; a feed reader
# refuses the whole feed over one of them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Entry:
    """One approved comment as a feed shows it."""

    comment_id: int
    author: str
    thread_title: str
    link: str
    html: str
    published: datetime
    updated: datetime


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    self_url: str
    alternate_url: str
    # When the feed last changed if it has no entries to say so.
    updated_if_empty: datetime
    entries: Sequence[Entry]


def tag_host(host_url: str) -> str:
    """The site's host name for tag: URIs, without port (RFC 4151 wants a DNS name)."""
    return (urlsplit(host_url).hostname or "localhost").lower()


def tag_uri(host: str, specific: str) -> str:
    return f"tag:{host},{TAG_DATE}:{specific}"


def comment_id_uri(host: str, comment_id: int) -> str:
    """A comment's entry id: stable even when its thread's URL changes."""
    return tag_uri(host, f"forum-comment-{comment_id}")


def rfc3339(moment: datetime) -> str:
    """A stored time (UTC, naive) as RFC 3339, e.g. ``2026-05-01T09:30:00Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def entries_from(rows: Iterable[ListedComment], base: str, forum_page: Callable[[ListedComment], str]) -> list[Entry]:
    """Entries for rows of :func:`forum_plugin.activity.latest_approved`,
    linking to each comment in place on its thread's page on the site at
    ``base``; ``forum_page(row)`` gives the forum's own page of a thread
    whose URL is elsewhere."""
    return [
        Entry(
            comment_id=row.id,
            author=row.author_name,
            thread_title=row.thread_title,
            link=permalink(site_url.page_url(base, row.thread_url) or forum_page(row), row.id),
            html=row.body_html,
            published=row.created_at,
            updated=max(row.created_at, row.updated_at or row.created_at),
        )
        for row in rows
    ]


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _child(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {name: _xml_text(value) for name, value in attributes.items()})
    if text is not None:
        element.text = _xml_text(text)
    return element


def render(feed: Feed, host: str) -> bytes:
    """The feed as a UTF-8 Atom document, entries in the order given."""
    root = ET.Element("feed", {"xmlns": ATOM_NAMESPACE})
    _child(root, "id", feed.id)
    _child(root, "title", feed.title)
    updated = max((entry.updated for entry in feed.entries), default=feed.updated_if_empty)
    _child(root, "updated", rfc3339(updated))
    _child(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    _child(root, "link", rel="alternate", type="text/html", href=feed.alternate_url)
    _child(root, "generator", "forum_plugin")
    for entry in feed.entries:
        element = _child(root, "entry")
        _child(element, "id", comment_id_uri(host, entry.comment_id))
        _child(element, "title", f"{entry.author} on {entry.thread_title}")
        author = _child(element, "author")
        _child(author, "name", entry.author)
        _child(element, "published", rfc3339(entry.published))
        _child(element, "updated", rfc3339(entry.updated))
        _child(element, "link", rel="alternate", type="text/html", href=entry.link)
        _child(element, "content", entry.html, type="html")
    # Bytes for any encoding but "unicode" (typeshed says Any for a str).
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
