"""Arrange a thread's comments for display, without recursion.

A thread can be thousands of replies deep, so the tree is walked with an
explicit stack and handed to the template as a flat list. Each item says how
many list levels to close before it and whether it opens a new one, which
lets one flat Jinja loop emit properly nested ``<ol>``/``<li>`` markup.
Pure: imports no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar


class TreeNode(Protocol):
    """What the tree needs of a comment (a model row or a page's lighter row)."""

    @property
    def id(self) -> int: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def depth(self) -> int: ...
    @property
    def author_name(self) -> str: ...


NodeT = TypeVar("NodeT", bound=TreeNode)


# Slots and no dict: a page makes a thousand. (A generic NamedTuple would
# do too, but Python 3.10 has none.)
@dataclass(frozen=True, slots=True)
class TreeItem(Generic[NodeT]):
    """One comment in display order, of whatever type the caller gave.

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

    comment: NodeT
    level: int
    opens_list: bool
    ends_previous: bool
    closes: int
    reply_to: str | None
    removed: bool = False


def _children_by_parent(comments: Iterable[NodeT]) -> tuple[list[NodeT], dict[int, list[NodeT]]]:
    roots: list[NodeT] = []
    children: dict[int, list[NodeT]] = {}
    for comment in comments:
        if comment.parent_id is None:
            roots.append(comment)
        else:
            children.setdefault(comment.parent_id, []).append(comment)
    return roots, children


def build(comments: Sequence[NodeT], max_depth: int, removed: AbstractSet[int] = frozenset()) -> list[TreeItem[NodeT]]:
    """Order ``comments`` depth-first, each reply after its parent.

    ``comments`` must come in creation order; siblings keep that order. A
    reply whose parent is not among ``comments`` is not shown, since there
    is nothing to hang it under.
    """
    author_of = {comment.id: comment.author_name for comment in comments}
    roots, children = _children_by_parent(comments)
    items: list[TreeItem[NodeT]] = []
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
        if depth > max_depth and comment.parent_id is not None and comment.parent_id not in removed:
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


def trailing_closes(items: Sequence[TreeItem[NodeT]]) -> int:
    """List levels still open after the last item."""
    return items[-1].level if items else 0
