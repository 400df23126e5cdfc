"""Compiled templates shared by every Flask app the suite builds.

Nearly every test builds a fresh host app, and each app has its own Jinja
environment, so without this each test compiled the forum's templates again:
about 40 ms of a test's 80. Jinja's bytecode cache keeps the compiled code of
a template by its name, file and source, and this one keeps it in memory for
the whole run and also by the environment's compile-time settings
(extensions such as Flask-Babel's i18n, delimiters, whitespace handling), so
two apps set up differently never share code compiled for the other.
A template whose source changes is compiled again (its checksum differs).
"""

from __future__ import annotations

from flask import Flask
from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache


def compile_settings(environment: Environment) -> str:
    """What, besides the source, decides the code Jinja compiles a template to."""
    autoescape = environment.autoescape
    settings = (
        sorted(environment.extensions),
        getattr(environment, "newstyle_gettext", None),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        autoescape if isinstance(autoescape, bool) else getattr(autoescape, "__qualname__", repr(autoescape)),
    )
    return repr(settings)


class SharedTemplateCode(BytecodeCache):
    """Jinja's bytecode cache, in memory, shared across environments."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        key = self.get_cache_key(name, filename) + self.get_cache_key(compile_settings(environment))
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def share_compiled_templates() -> None:
    """Give every Flask app created from now on the shared cache."""
    Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": SharedTemplateCode()}
