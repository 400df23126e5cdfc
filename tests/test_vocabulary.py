"""The vocabulary (statuses, actions, ban kinds, audit actions) is defined
once, and what is derived from it stays in step: the README's tables, the
catalogs, the count columns, the values already stored in databases."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from forum_plugin import vocabulary
from forum_plugin.models import Thread
from forum_plugin.vocabulary import Action, AuditAction, BanKind, Phrase, Status

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "forum_plugin" / "translations"


def test_the_readme_tables_are_the_vocabularys() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- vocabulary tables: start -->\n(.*?)\n<!-- vocabulary tables: end -->", readme, re.S)
    assert found, "README.md lost its vocabulary markers"
    assert found.group(1) == vocabulary.readme_tables(), "paste `python -m forum_plugin.vocabulary` into README.md"


def test_stored_values_stay_what_databases_hold() -> None:
    """Rows written by earlier versions are read with these values."""
    assert [s.value for s in Status] == ["pending", "approved", "rejected", "spam", "deleted"]
    assert [a.value for a in Action] == ["approve", "reject", "spam", "delete", "restore"]
    assert [k.value for k in BanKind] == ["email", "domain", "account", "ip"]
    assert {a.value for a in AuditAction} == {
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
    }
    stored: str = "spam"  # a column's value, as the database gives it back
    assert Status.SPAM == stored and str(Action.RESTORE) == "restore" and f"{BanKind.IP}" == "ip"


def test_every_status_has_its_count_column() -> None:
    for status in Status:
        assert status.count_column in Thread.__table__.c, f"add {status.count_column} to Thread and a migration"
        assert Thread.count_column(status.value) == status.count_column


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
    for kind in (Status, Action, BanKind, AuditAction):
        for member in kind:
            for name, value in vars(member).items():
                if name.startswith("_") or name in {"meaning", "comment_field"}:
                    continue
                if isinstance(value, Phrase):
                    found.add((value.context, value.text))
                elif isinstance(value, str):
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
