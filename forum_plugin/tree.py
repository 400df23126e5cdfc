"""Arrange a thread's comments for display, without recursion.

A thread can be thousands of replies deep, so the tree is walked with an
explicit stack and handed to the template as a flat list. Each item says how
many list levels to close before it and whether it opens a new one, which
lets one flat Jinja loop emit properly nested ``<ol>``/``<li>`` markup.
Pure: imports no Flask.
"""

from __future__ import annotations

from typing import AbstractSet as Set
from typing import Iterable, NamedTuple, Protocol, Sequence


class TreeNode(Protocol):
    id: int
    parent_id: int | None
    depth: int
    author_name: str


class TreeItem(NamedTuple):
    """One comment in display order (a tuple: a page makes a thousand).

    :ivar level: indentation shown, the true depth capped at the maximum.
    :ivar opens_list: this item is the first reply of the item before it.
    :ivar ends_previous: the item before it is closed first: true for every
        item but the first and those that open a list.
    :ivar closes: list levels to close before this item (after closing the
        item before it); 0 unless ``ends_previous`` is true.
    :ivar reply_to: the parent's author, shown when the indentation no
        longer makes the parent plain to see.
    :ivar removed: shown as a placeholder, only to keep its replies in place.
    """

    comment: TreeNode
    level: int
    opens_list: bool
    ends_previous: bool
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
    author_of = {comment.id: comment.author_name for comment in comments}
    roots, children = _children_by_parent(comments)
    items: list[TreeItem] = []
    previous_level = 0
    stack = [iter(roots)]
    while stack:
        comment = next(stack[-1], None)
        if comment is None:
            stack.pop()
            continue
        depth = comment.depth
        level = depth if depth < max_depth else max_depth
        reply_to = None
        if depth > max_depth and comment.parent_id not in removed:
            reply_to = author_of.get(comment.parent_id)
        opens_list = bool(items) and level > previous_level
        ends_previous = bool(items) and not opens_list
        closes = previous_level - level if ends_previous else 0
        items.append(TreeItem(comment, level, opens_list, ends_previous, closes, reply_to, comment.id in removed))
        previous_level = level
        replies = children.get(comment.id)
        if replies:
            stack.append(iter(replies))
    return items


def trailing_closes(items: Sequence[TreeItem]) -> int:
    """List levels still open after the last item."""
    return items[-1].level if items else 0
