"""Arrange a thread's comments for display, without recursion.

A thread can be thousands of replies deep, so the tree is walked with an
explicit stack and handed to the template as a flat list. Each item says how
many list levels to close before it and whether it opens a new one, which
lets one flat Jinja loop emit properly nested ``<ol>``/``<li>`` markup.
Pure: imports no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import AbstractSet as Set
from typing import Iterable, Protocol, Sequence


class TreeNode(Protocol):
    id: int
    parent_id: int | None
    depth: int
    author_name: str


@dataclass(frozen=True)
class TreeItem:
    """One comment in display order.

    :ivar level: indentation shown, the true depth capped at the maximum.
    :ivar opens_list: this item is the first reply of the item before it.
    :ivar closes: list levels to close before this item (after closing the
        item before it); ignored when ``opens_list`` is true.
    :ivar reply_to: the parent's author, shown when the indentation no
        longer makes the parent plain to see.
    :ivar removed: shown as a placeholder, only to keep its replies in place.
    """

    comment: TreeNode
    level: int
    opens_list: bool
    closes: int
    reply_to: str | None
    removed: bool = False


def _children_by_parent(comments: Iterable[TreeNode]) -> tuple[list[TreeNode], dict[int, list[TreeNode]]]:
    roots: list[TreeNode] = []
    children: dict[int, list[TreeNode]] = {}
    for comment in comments:
        if comment.parent_id is None:
            roots.append(comment)
        else:
            children.setdefault(comment.parent_id, []).append(comment)
    return roots, children


def build(comments: Sequence[TreeNode], max_depth: int, removed: Set[int] = frozenset()) -> list[TreeItem]:
    """Order ``comments`` depth-first, each reply after its parent.

    ``comments`` must come in creation order; siblings keep that order. A
    reply whose parent is not among ``comments`` is not shown, since there
    is nothing to hang it under.
    """
    by_id = {comment.id: comment for comment in comments}
    roots, children = _children_by_parent(comments)
    items: list[TreeItem] = []
    previous_level = 0
    stack = [iter(roots)]
    while stack:
        comment = next(stack[-1], None)
        if comment is None:
            stack.pop()
            continue
        level = min(comment.depth, max_depth)
        reply_to = None
        parent = by_id.get(comment.parent_id) if comment.parent_id is not None else None
        if comment.depth > max_depth and parent is not None and parent.id not in removed:
            reply_to = parent.author_name
        opens_list = bool(items) and level > previous_level
        closes = 0 if opens_list or not items else previous_level - level
        items.append(TreeItem(comment, level, opens_list, closes, reply_to, comment.id in removed))
        previous_level = level
        if comment.id in children:
            stack.append(iter(children[comment.id]))
    return items


def trailing_closes(items: Sequence[TreeItem]) -> int:
    """List levels still open after the last item."""
    return items[-1].level if items else 0
