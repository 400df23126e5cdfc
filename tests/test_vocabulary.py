"""The vocabulary (statuses, actions, ban kinds, audit actions) is defined
once, and what is derived from it stays in step: the README's tables, the
catalogs, the count columns, the signals, the routes, the values already
stored in databases.

After changing the vocabulary, rewrite the README's tables with
``python -m tests.test_vocabulary``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import blinker
import pytest
from babel.messages.pofile import read_po
from flask import Flask

from forum_plugin import signals, vocabulary
from forum_plugin.models import Thread
from forum_plugin.vocabulary import Action, AuditAction, BanKind, Choice, EditVerdict, Phrase, Status

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TRANSLATIONS = ROOT / "forum_plugin" / "translations"
VOCABULARY_BLOCK = re.compile(r"(<!-- vocabulary tables: start -->\n)(.*?)(\n<!-- vocabulary tables: end -->)", re.S)


def readme_with_vocabulary_tables(text: str) -> str:
    assert VOCABULARY_BLOCK.search(text), "README.md lost its vocabulary markers"
    return VOCABULARY_BLOCK.sub(lambda found: found[1] + vocabulary.readme_tables() + found[3], text)


def test_the_readme_tables_are_the_vocabularys() -> None:
    found = VOCABULARY_BLOCK.search(README.read_text(encoding="utf-8"))
    assert found, "README.md lost its vocabulary markers"
    assert found[2] == vocabulary.readme_tables(), (
        "README.md's statuses and actions differ from forum_plugin/vocabulary.py; "
        "rewrite them with: python -m tests.test_vocabulary"
    )


# Values earlier versions stored in databases (and hosts put in URLs): rows
# written then are read with them, so none may change or disappear.
STORED_BEFORE = {
    Status: ["pending", "approved", "rejected", "spam", "deleted"],
    Action: ["approve", "reject", "spam", "delete", "restore"],
    BanKind: ["email", "domain", "account", "ip"],
    AuditAction: [
        "post",
        "author edit",
        "author edit held",
        "author edit refused",
        "edit",
        "accept edit",
        "refuse edit",
        "report",
        "ban",
        "lift ban",
        "add word",
        "remove word",
        "erase",
        "import",
    ],
}


@pytest.mark.parametrize("kind", list(STORED_BEFORE), ids=lambda kind: kind.__name__)
def test_stored_values_stay_what_databases_hold(kind: type[Choice]) -> None:
    """A new member is welcome; an old value renamed or removed would leave
    stored rows that no member reads."""
    current = {member.value for member in kind}
    lost = [value for value in STORED_BEFORE[kind] if value not in current]
    assert not lost, (
        f"{kind.__name__} lost values databases already hold: {lost}. Keep each as a member's value "
        "(a new member gets a new value), or write a migration that rewrites the stored rows"
    )


def test_members_read_as_their_stored_values() -> None:
    stored: str = "spam"  # a column's value, as the database gives it back
    assert Status.SPAM == stored and str(Action.RESTORE) == "restore" and f"{BanKind.IP}" == "ip"


def test_every_status_has_its_count_column() -> None:
    for status in Status:
        assert status.count_column in Thread.__table__.c, f"add {status.count_column} to Thread and a migration"
        assert Thread.count_column(status.value) == status.count_column


def test_every_status_names_a_signal_that_exists() -> None:
    for status in Status:
        if status.signal is not None:
            assert signals.on_reaching(status) is not None
            assert status.signal in {s.name for s in vars(signals).values() if isinstance(s, blinker.NamedSignal)}, (
                f"{status}.signal is {status.signal!r}: declare that signal in forum_plugin/signals.py"
            )


def test_no_action_is_taken_for_a_fixed_route(app: Flask) -> None:
    """Actions share /moderation/comments/<id>/<action> with fixed routes
    (edit, ban, edits/<verdict>, ...): an action named like one of them
    would never be reached."""
    rules = list(app.url_map.iter_rules())
    (moderate,) = [rule.rule for rule in rules if rule.endpoint == "forum.moderate"]
    comment_path = moderate.rsplit("/", 1)[0] + "/"  # .../moderation/comments/<forum_id:comment_id>/
    fixed = {
        rule.rule.removeprefix(comment_path).split("/")[0]
        for rule in rules
        if rule.rule.startswith(comment_path) and rule.endpoint != "forum.moderate"
    }
    assert fixed, f"no fixed routes found under {comment_path}: has the URL scheme changed?"
    taken = sorted(fixed & {action.value for action in Action})
    assert not taken, f"actions {taken} would be shadowed by the fixed routes under {comment_path}: rename them"


def test_actions_lead_somewhere_and_restore_undoes_removals() -> None:
    for action in Action:
        assert action.offered_for, action
        assert action.target not in action.offered_for, f"{action} offered where it changes nothing"
    assert Action.RESTORE.target is None
    assert set(Action.RESTORE.offered_for) == {s for s in Status if s.removed}


def test_the_audit_log_names_every_stored_action() -> None:
    for member in [*Action, *AuditAction]:
        assert vocabulary.logged_as(member.value) == member.logged
    assert vocabulary.logged_as("something older") == Phrase("audit log", "something older")


def _texts() -> set[tuple[str | None, str]]:
    """Every (context, English text) the vocabulary shows people."""
    found: set[tuple[str | None, str]] = set()
    for kind in (Status, Action, BanKind, AuditAction, EditVerdict):
        for member in kind:
            for name, value in vars(member).items():
                if name.startswith("_") or name in {"meaning", "comment_field", "signal"}:
                    continue
                if isinstance(value, Phrase):
                    found.add((value.context, value.text))
                elif isinstance(value, str) and not isinstance(value, Choice):
                    found.add((None, value))
    return found


def test_every_text_is_in_the_template() -> None:
    with open(TRANSLATIONS / "forum.pot", "rb") as pot:
        template = {(m.context, m.id) for m in read_po(pot) if m.id}
    missing = _texts() - template
    assert not missing, f"run pybabel extract (README, Translations) for {sorted(map(str, missing))}"


@pytest.mark.parametrize("lang", ["th", "zh"])
def test_every_text_is_translated(lang: str) -> None:
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "forum.po", "rb") as po:
        catalog = read_po(po, locale=lang)
    for context, text in _texts():
        message = catalog.get(text, context=context)
        assert message is not None and message.string and "fuzzy" not in message.flags, f"{lang}: {text!r}"


def test_the_vocabulary_imports_no_flask() -> None:
    """The policy and the models read it; it stays pure."""
    tree = ast.parse((ROOT / "forum_plugin" / "vocabulary.py").read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "enum", "typing"}, imported


if __name__ == "__main__":
    README.write_text(readme_with_vocabulary_tables(README.read_text(encoding="utf-8")), encoding="utf-8")
