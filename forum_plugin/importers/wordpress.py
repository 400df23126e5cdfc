"""Read a WordPress export (WXR, "WordPress eXtended RSS", versions 1.0 to 1.2).

A WXR file is an RSS feed whose ``<item>`` elements are the site's posts,
pages, attachments, menu entries and so on, each carrying its comments as
``<wp:comment>`` children. Posts and pages become threads; everything else
is left out. Pure: imports no Flask.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import BinaryIO
from urllib.parse import unquote

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

#: Every WXR version so far lives under ``http://wordpress.org/export/``, but so
#: does the excerpt namespace (``.../export/1.2/excerpt/``), hence the version.
WXR_NAMESPACE = re.compile(r"http://wordpress\.org/export/[0-9.]+/")

THREAD_TYPES = frozenset({"post", "page"})
NOT_COMMENTS = frozenset({"pingback", "trackback"})
STATUSES = {"1": Status.APPROVED, "0": Status.PENDING, "spam": Status.SPAM, "trash": Status.DELETED}

#: What WordPress writes as the GMT date of comments it never dated in GMT.
NO_DATE = "0000-00-00 00:00:00"


def parse(source: BinaryIO, progress: Progress | None = None) -> ParsedExport:
    """Read every post and page and their comments from a WXR file.

    ``progress``, if given, is called now and then with the bytes read so far.
    Raises :class:`ImportFileError` for malformed XML, a file that is not WXR,
    or a comment that cannot be read.
    """
    stream = XmlStream(source, root_tag="rss", record_depth=2, format_name="WordPress WXR export", progress=progress)
    result = ParsedExport()
    namespace: str | None = None
    site_url = blog_url = ""
    has_channel = False
    for element, depth in stream:
        if depth == 1:
            has_channel = has_channel or element.tag == "channel"
        if depth != 2:
            continue
        if namespace is None:
            namespace = wxr_namespace(stream.namespaces)
        if element.tag == "item":
            read_item(element, namespace, (site_url or blog_url).rstrip("/"), result)
        elif element.tag == f"{{{namespace}}}base_site_url":
            site_url = (element.text or "").strip()
        elif element.tag == f"{{{namespace}}}base_blog_url":
            blog_url = (element.text or "").strip()
    if not has_channel:
        raise ImportFileError("not a WordPress WXR export: <rss> has no <channel>")
    if namespace is None:  # an empty channel must still be WXR's
        wxr_namespace(stream.namespaces)
    return result


def wxr_namespace(declared: list[str]) -> str:
    """The WXR namespace of whichever version wrote the file."""
    for uri in declared:
        if WXR_NAMESPACE.fullmatch(uri):
            return uri
    raise ImportFileError("not a WordPress WXR export: no http://wordpress.org/export/<version>/ namespace is declared")


def read_item(item: ET.Element, namespace: str, base_url: str, result: ParsedExport) -> None:
    """Add a post or page and its comments to ``result``; count other items' comments as skipped."""
    wp_fields, rss_fields = Fields(item, namespace), Fields(item)
    comments = item.findall(f"{{{namespace}}}comment")
    if wp_fields.text("post_type") not in THREAD_TYPES:
        result.skipped += len(comments)
        return
    post_id = wp_fields.text("post_id")
    link = rss_fields.text("link")
    if not post_id:
        raise ImportFileError(f"WordPress item {link or '(no link)'}: no wp:post_id")
    result.threads[post_id] = ImportedThread(
        source_id=post_id,
        title=rss_fields.text("title"),
        url=link,
        # WordPress stores non-Latin post names percent-encoded.
        slug=unquote(wp_fields.text("post_name")) or slug_from_url(link),
        identifier=None,
    )
    for comment in comments:
        comment_fields = Fields(comment, namespace)
        if comment_fields.text("comment_type") in NOT_COMMENTS:
            result.skipped += 1
        else:
            result.comments.append(read_comment(comment_fields, post_id, base_url))


def read_comment(fields: Fields, post_id: str, base_url: str) -> ImportedComment:
    """One ``<wp:comment>``; ``base_url`` makes its id unique across sites."""
    comment_id = fields.text("comment_id")
    if not comment_id:
        raise ImportFileError(f"WordPress post {post_id}: a comment has no wp:comment_id")
    gmt = fields.text("comment_date_gmt")
    # Without a GMT date, the local one is the best there is.
    date = gmt if gmt and gmt != NO_DATE else fields.text("comment_date")
    parent_id = fields.text("comment_parent")
    return ImportedComment(
        origin=f"wordpress:{base_url}:{comment_id}",
        thread_source_id=post_id,
        parent_origin=f"wordpress:{base_url}:{parent_id}" if parent_id not in ("", "0") else None,
        status=STATUSES.get(fields.text("comment_approved"), Status.PENDING),
        author_name=fields.text("comment_author") or "Anonymous",
        author_email=fields.text("comment_author_email") or None,
        ip=fields.text("comment_author_IP") or None,
        created_at=utc_datetime(date, f"WordPress comment {comment_id} on post {post_id}"),
        html=fields.raw("comment_content"),
    )
