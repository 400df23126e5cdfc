"""Threaded, moderated comment sections for Flask sites."""

from __future__ import annotations

from .extension import Forum
from .signals import (
    comment_approved,
    comment_deleted,
    comment_edited,
    comment_flagged,
    comment_posted,
    comment_rejected,
)

__all__ = [
    "Forum",
    "comment_approved",
    "comment_deleted",
    "comment_edited",
    "comment_flagged",
    "comment_posted",
    "comment_rejected",
]
