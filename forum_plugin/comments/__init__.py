"""The write side: posting, moderating, editing and reporting comments.

Each public function is one transaction: it changes the comments, keeps the
threads' counts, appends audit events, commits, and only then sends its
signals, so receivers never see work that could still roll back. Nothing
ever cascades: removing a comment leaves its replies where they are.

The modules, each importing only those listed before it:

* :mod:`.counts`: the per-status counts kept on each thread's row
* :mod:`.signalling`: signals sent once a change is committed
* :mod:`.unrendered`: the escaped text of a comment refused before rendering
* :mod:`.threads`: making and updating threads' rows
* :mod:`.posting`: a new comment, judged by the policy
* :mod:`.moderation`: moderators' decisions, one comment or many
* :mod:`.reports`: readers' reports
* :mod:`.edits`: new text, by a moderator or by the author

Audit rows and who acts (:class:`Actor`) come from :mod:`forum_plugin.audit`.
Everything a view, the CLI, an importer or a host uses is importable from
here: ``from forum_plugin import comments; comments.post(...)``.
"""

from __future__ import annotations

from ..audit import POLICY, READERS, Actor
from .counts import recount_threads
from .edits import (
    AUTHOR_CHANGEABLE,
    accept_edit,
    author_edit,
    authors_may_change,
    edit,
    may_author_change,
    refuse_edit,
)
from .moderation import ACTIONS, REMOVED, approve, moderate, reject
from .posting import (
    PARENT_NOT_AVAILABLE,
    FormUsed,
    ParentError,
    Posted,
    find_parent,
    form_used,
    judge,
    policy_context,
    post,
    shared_address,
)
from .reports import ReportError, report
from .threads import ensure_thread, thread_for_post
from .unrendered import unrendered_html

__all__ = [
    "ACTIONS",
    "AUTHOR_CHANGEABLE",
    "PARENT_NOT_AVAILABLE",
    "POLICY",
    "READERS",
    "REMOVED",
    "Actor",
    "FormUsed",
    "ParentError",
    "Posted",
    "ReportError",
    "accept_edit",
    "approve",
    "author_edit",
    "authors_may_change",
    "edit",
    "ensure_thread",
    "find_parent",
    "form_used",
    "judge",
    "may_author_change",
    "moderate",
    "policy_context",
    "post",
    "recount_threads",
    "refuse_edit",
    "reject",
    "report",
    "shared_address",
    "thread_for_post",
    "unrendered_html",
]
