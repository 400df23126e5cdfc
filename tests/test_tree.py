"""Arranging comments into a tree, without Flask or a database."""

from __future__ import annotations

from dataclasses import dataclass

from forum_plugin.tree import build, trailing_closes


@dataclass
class Node:
    id: int
    parent_id: int | None
    depth: int
    author_name: str = "someone"


def chain(length: int) -> list[Node]:
    return [Node(i + 1, i or None, i, f"author {i + 1}") for i in range(length)]


def test_replies_follow_their_parent_and_siblings_keep_creation_order():
    comments = [Node(1, None, 0), Node(2, None, 0), Node(3, 1, 1), Node(4, 1, 1), Node(5, 3, 2)]
    assert [item.comment.id for item in build(comments, 6)] == [1, 3, 5, 4, 2]


def test_list_markup_counts_open_and_close_balanced():
    comments = [Node(1, None, 0), Node(2, 1, 1), Node(3, 2, 2), Node(4, None, 0)]
    items = build(comments, 6)
    assert [(item.opens_list, item.ends_previous, item.closes) for item in items] == [
        (False, False, 0),
        (True, False, 0),
        (True, False, 0),
        (False, True, 2),
    ]
    assert trailing_closes(items) == 0
    opened = sum(item.opens_list for item in items)
    assert opened == sum(item.closes for item in items) + trailing_closes(items)


def test_indentation_stops_at_the_cap_and_names_the_parent():
    items = build(chain(5), max_depth=2)
    assert [item.level for item in items] == [0, 1, 2, 2, 2]
    assert [item.reply_to for item in items] == [None, None, None, "author 3", "author 4"]


def test_a_very_deep_chain_builds_without_recursion():
    items = build(chain(5000), max_depth=6)
    assert len(items) == 5000
    assert items[-1].comment.depth == 4999 and items[-1].level == 6
    assert trailing_closes(items) == 6


def test_replies_to_hidden_comments_are_left_out():
    comments = [Node(1, None, 0), Node(3, 2, 1)]
    assert [item.comment.id for item in build(comments, 6)] == [1]
