"""Making and updating threads' rows: the write side's part of threads.

Reading threads (:mod:`forum_plugin.threads`) never writes; a thread's row
is made when its first comment is posted, in the same transaction.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Status, Thread
from ..threads import Place, get_thread, page_place


def thread_for_post(session: Session, place: Place) -> Thread:
    """The thread a comment is being posted to, made from ``place`` if it has
    no row yet, its title and URL brought up to date otherwise. Nothing is
    committed: the thread is stored with the comment.

    Two first comments may race to make the row; the one that loses rolls
    back (its transaction has only read so far) and reads the winner's.
    """
    thread = get_thread(session, place.key)
    if thread is None:
        thread = Thread(
            key=place.key, title=place.title, url=place.url, **{status.count_column: 0 for status in Status}
        )
        session.add(thread)
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            thread = get_thread(session, place.key)
            assert thread is not None
    if (thread.title, thread.url) != (place.title, place.url):
        thread.title, thread.url = place.title, place.url
    return thread


def ensure_thread(session: Session, key: str, title: str | None, url: str) -> Thread:
    """The thread named ``key``, made or updated and committed at once: for
    seeding and imports, never while a host's view is rendering."""
    thread = thread_for_post(session, page_place(key, title, url))
    session.commit()
    return thread
