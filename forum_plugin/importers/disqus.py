"""Read a Disqus comment export (``<disqus xmlns="http://disqus.com">``).

The export is flat: ``<category>``, ``<thread>`` (a page) and ``<post>`` (a
comment) elements side by side under the root, linked by ``dsq:id``
attributes. Threads are meant to come first but do not always, so posts are
matched to threads only once the whole file is read. Pure: imports no Flask.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import BinaryIO

from ..vocabulary import Status
from .parsing import (
    Fields,
    ParsedExport,
    Progress,
    XmlStream,
    slug_from_url,
    utc_datetime,
)
from .records import ImportedComment, ImportedThread, ImportFileError

NAMESPACE = "http://disqus.com"
INTERNALS = "http://disqus.com/disqus-internals"
DSQ_ID = f"{{{INTERNALS}}}id"


def parse(source: BinaryIO, progress: Progress | None = None) -> ParsedExport:
    """Read every thread and post from a Disqus export.

    ``progress``, if given, is called now and then with the bytes read so far.
    Raises :class:`ImportFileError` for malformed XML, a file that is not a
    Disqus export, or a post that cannot be read. Posts whose thread is not
    in the file are counted as skipped.
    """
    stream = XmlStream(
        source,
        root_tag=f"{{{NAMESPACE}}}disqus",
        record_depth=1,
        format_name="Disqus export",
        progress=progress,
    )
    result = ParsedExport()
    for element, depth in stream:
        if depth != 1:
            continue
        if element.tag == f"{{{NAMESPACE}}}post":
            result.comments.append(read_post(element, len(result.comments) + 1))
        elif element.tag == f"{{{NAMESPACE}}}thread":
            thread = read_thread(element)
            result.threads[thread.source_id] = thread
    # Real exports hold posts of threads Disqus has since dropped: there is
    # no page to put them on, so they are counted, not imported.
    kept = [comment for comment in result.comments if comment.thread_source_id in result.threads]
    result.skipped += len(result.comments) - len(kept)
    result.comments = kept
    return result


def reference(element: ET.Element, tag: str) -> str:
    """The ``dsq:id`` of a child such as ``<thread dsq:id="…"/>``, "" if there is none."""
    child = element.find(f"{{{NAMESPACE}}}{tag}")
    return "" if child is None else child.get(DSQ_ID, "").strip()


def is_true(text: str) -> bool:
    """Disqus writes its flags as ``true``/``false``."""
    return text.lower() == "true"


def read_thread(element: ET.Element) -> ImportedThread:
    """One ``<thread>``; its ``<id>`` is the page's own identifier, often empty."""
    fields = Fields(element, NAMESPACE)
    thread_id = element.get(DSQ_ID, "").strip()
    if not thread_id:
        raise ImportFileError(f"a Disqus <thread> ({fields.text('link') or 'no link'}) has no dsq:id")
    return ImportedThread(
        source_id=thread_id,
        title=fields.text("title"),
        url=fields.text("link"),
        slug=slug_from_url(fields.text("link")),
        identifier=fields.text("id") or None,
    )


def read_post(element: ET.Element, number: int) -> ImportedComment:
    """One ``<post>``; ``number`` (its position among posts) names it when it has no id."""
    post_id = element.get(DSQ_ID, "").strip()
    if not post_id:
        raise ImportFileError(f"Disqus post number {number} in the file has no dsq:id")
    thread_id = reference(element, "thread")
    if not thread_id:
        raise ImportFileError(f"Disqus post {post_id}: no <thread dsq:id>")
    parent_id = reference(element, "parent")
    fields = Fields(element, NAMESPACE)
    author = Fields(element.find(f"{{{NAMESPACE}}}author"), NAMESPACE)
    if is_true(fields.text("isSpam")):
        status = Status.SPAM
    elif is_true(fields.text("isDeleted")):
        status = Status.DELETED
    else:
        status = Status.APPROVED
    return ImportedComment(
        origin=f"disqus:{post_id}",
        thread_source_id=thread_id,
        parent_origin=f"disqus:{parent_id}" if parent_id else None,
        status=status,
        author_name=author.text("name") or "Anonymous",
        author_email=author.text("email") or None,
        ip=fields.text("ipAddress") or None,
        created_at=utc_datetime(fields.text("createdAt"), f"Disqus post {post_id}"),
        html=fields.raw("message"),
    )
