"""What the export parsers share: the streaming XML loop, field access, dates, slugs.

Exports can run to hundreds of megabytes, so files are read with
``iterparse`` and every record is dropped once it has been read; only the
small records this module's callers build are kept. Pure: imports no Flask.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import BinaryIO, Protocol
from urllib.parse import unquote, urlsplit

from .records import ImportedComment, ImportedThread, ImportFileError

Progress = Callable[[int], None]

#: End tags between two progress reports: often enough for a smooth bar,
#: rare enough that ``tell()`` costs nothing.
PROGRESS_EVERY = 200


@dataclass
class ParsedExport:
    """Everything one export file holds, before any database work.

    :ivar threads: by ``source_id``.
    :ivar comments: in file order, so parents written before replies stay so.
    :ivar skipped: comments in the file left out on purpose (pingbacks,
        trackbacks, comments on attachments), so a report can account for them.
    """

    threads: dict[str, ImportedThread] = field(default_factory=dict)
    comments: list[ImportedComment] = field(default_factory=list)
    skipped: int = 0


class Parser(Protocol):
    """An export format's reader (``wordpress.parse``, ``disqus.parse``)."""

    def __call__(self, source: BinaryIO, progress: Progress | None = None) -> ParsedExport: ...


class XmlStream:
    """Walk one export file, yielding ``(element, depth)`` as elements end.

    Only elements at most ``record_depth`` deep are yielded (the root is at
    depth 0); deeper ones are read through their record. Once the caller is
    done with an element at ``record_depth`` it is cleared and unhooked from
    its parent, which keeps memory flat however long the file. The root must
    be ``root_tag``, checked as soon as it opens so a wrong file fails at once.
    ``namespaces`` lists the namespace URIs declared so far.
    """

    def __init__(
        self,
        source: BinaryIO,
        *,
        root_tag: str,
        record_depth: int,
        format_name: str,
        progress: Progress | None = None,
    ) -> None:
        self.source = source
        self.root_tag = root_tag
        self.record_depth = record_depth
        self.format_name = format_name
        self.progress = progress
        self.namespaces: list[str] = []

    def __iter__(self) -> Iterator[tuple[ET.Element, int]]:
        open_elements: list[ET.Element] = []
        ended = 0
        try:
            for event, payload in ET.iterparse(self.source, events=("start-ns", "start", "end")):
                if event == "start-ns":
                    self.namespaces.append(payload[1])
                elif event == "start":
                    if not open_elements and payload.tag != self.root_tag:
                        raise ImportFileError(
                            f"not a {self.format_name}: the root element is <{payload.tag}>, expected <{self.root_tag}>"
                        )
                    open_elements.append(payload)
                else:
                    open_elements.pop()
                    depth = len(open_elements)
                    if depth <= self.record_depth:
                        yield payload, depth
                    if depth == self.record_depth:
                        payload.clear()
                        open_elements[-1].remove(payload)
                    ended += 1
                    if self.progress is not None and ended % PROGRESS_EVERY == 0:
                        self.progress(self.source.tell())
        except ET.ParseError as error:
            raise ImportFileError(describe_parse_error(error)) from None
        if self.progress is not None:
            self.progress(self.source.tell())


def describe_parse_error(error: ET.ParseError) -> str:
    """``"line 12, column 4: mismatched tag"``: where first, as people look for it first.

    The column is expat's, counted from 0.
    """
    line, column = error.position
    reason = str(error).rsplit(": line ", 1)[0]
    return f"line {line}, column {column}: {reason}"


class Fields:
    """A record's direct children by local name, read once instead of searched per field.

    A missing element reads as having no children, since optional parts
    (a Disqus post's ``<author>``) are simply absent from some exports.
    """

    def __init__(self, element: ET.Element | None, namespace: str = "") -> None:
        self._prefix = f"{{{namespace}}}" if namespace else ""
        self._texts = {} if element is None else {child.tag: child.text or "" for child in element}

    def raw(self, name: str) -> str:
        """The text exactly as written (content keeps its whitespace), "" if absent."""
        return self._texts.get(self._prefix + name, "")

    def text(self, name: str) -> str:
        """The text without surrounding whitespace, "" if absent."""
        return self.raw(name).strip()


def utc_datetime(text: str, context: str) -> datetime:
    """Read an ISO 8601 or ``YYYY-MM-DD HH:MM:SS`` timestamp as naive UTC.

    An offset is converted to UTC; a timestamp without one is taken to be UTC
    already, which is what both export formats write. ``context`` names the
    record in the error, since a bad date is useless without knowing where.
    """
    value = text.strip()
    if not value:
        raise ImportFileError(f"{context}: no date")
    if value[-1] in "Zz":  # fromisoformat only learned "Z" in Python 3.11
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ImportFileError(f"{context}: unreadable date {text.strip()!r}") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def slug_from_url(url: str) -> str:
    """The last non-empty path segment, percent-decoded; "" for an address like ``/?p=4``.

    Decoded because non-Latin slugs travel percent-encoded in addresses but
    hosts keep them as text.
    """
    segments = [segment for segment in urlsplit(url).path.split("/") if segment]
    return unquote(segments[-1]) if segments else ""
