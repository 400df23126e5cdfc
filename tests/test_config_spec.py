"""The configuration spec is the one list of keys: the README's table is
generated from it, and this test fails when the two part ways.

After changing a key, rewrite the table with ``python -m tests.test_config_spec``.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from forum_plugin import config
from forum_plugin.policy import Context

README = Path(__file__).resolve().parent.parent / "README.md"
TABLE_HEADER = "| key | default | meaning |"


def readme_table(text: str) -> tuple[int, int]:
    """Where the configuration table is in the README's ``text``: from its
    header row to the end of its last row."""
    start = text.index(TABLE_HEADER)
    end = text.find("\n\n", start)
    return start, (len(text) if end < 0 else end + 1)


def readme_with_spec_table(text: str) -> str:
    start, end = readme_table(text)
    return text[:start] + config.markdown_table() + text[end:]


def test_readme_table_is_the_spec() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = readme_table(text)
    assert text[start:end] == config.markdown_table(), (
        "README.md's configuration table differs from forum_plugin.config.Settings; "
        "rewrite it with: python -m tests.test_config_spec"
    )


def test_every_key_has_a_default_and_a_line_of_documentation() -> None:
    for spec in fields(config.Settings):
        assert spec.metadata["doc"].strip(), spec.name
        assert "|" not in spec.metadata["doc"] and "\n" not in spec.metadata["doc"], spec.name


def test_defaults_fill_only_missing_keys() -> None:
    app_config = {"FORUM_MAX_LINKS": 5}
    config.apply_defaults(app_config)
    assert app_config["FORUM_MAX_LINKS"] == 5
    assert app_config["FORUM_MODERATION"] == "pre"
    assert set(app_config) == {config.key(spec.name) for spec in fields(config.Settings)}


def test_the_policy_context_defaults_are_the_configured_ones() -> None:
    context = Context()
    assert context.mode == config.DEFAULT_SETTINGS.moderation
    assert context.max_links == config.DEFAULT_SETTINGS.max_links
    assert context.trust_after == config.DEFAULT_SETTINGS.trust_after
    assert context.ban_silent == config.DEFAULT_SETTINGS.ban_silent


@pytest.mark.parametrize(
    ("key", "value"),
    [("FORUM_MODERATION", "later"), ("FORUM_SANITIZER", "none"), ("FORUM_AVATARS", "robots"), ("FORUM_PER_PAGE", 0)],
)
def test_a_value_out_of_range_names_its_key(key: str, value: object) -> None:
    app_config: dict[str, object] = {key: value}
    config.apply_defaults(app_config)
    with pytest.raises(ValueError, match=key):
        config.Settings.from_config(app_config)


if __name__ == "__main__":
    README.write_text(readme_with_spec_table(README.read_text(encoding="utf-8")), encoding="utf-8")
