"""The 0004 migration, which keeps the parser that read the English reason
lines of release 0003 (and the forum until reason codes), loaded for tests."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from forum_plugin.reasons import decode
from forum_plugin.resources import resource_folder


def _load() -> ModuleType:
    path = resource_folder("migrations") / "versions" / "0004_reason_codes.py"
    spec = importlib.util.spec_from_file_location("forum_migration_0004_reason_codes", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


migration = _load()


def as_migrated(line: str):
    """The reasons a row with the English ``line`` has after the migration."""
    return decode(migration.reason_data(line), line)
