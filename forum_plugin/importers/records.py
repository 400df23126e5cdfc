"""What an importer reads out of another system's export, before any database work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class ImportFileError(ValueError):
    """The export file cannot be read; the message names the line when it can."""


@dataclass(frozen=True)
class ImportedThread:
    """A post or page of the old system.

    :ivar source_id: the old system's id of the thread (WordPress post id,
        Disqus thread dsq:id), unique within one file.
    :ivar slug: the last meaningful part of the page's address, or WordPress's
        post_name.
    :ivar identifier: a host-chosen identifier if the old system kept one
        (Disqus thread ``<id>``), else None.
    """

    source_id: str
    title: str
    url: str
    slug: str
    identifier: str | None


@dataclass(frozen=True)
class ImportedComment:
    """One comment. ``origin`` is unique across every import ever made."""

    origin: str
    thread_source_id: str
    parent_origin: str | None
    status: str  # one of forum_plugin.models.Status values
    author_name: str
    author_email: str | None
    ip: str | None
    created_at: datetime  # UTC, naive
    html: str  # the old system's HTML or text; sanitized on import
