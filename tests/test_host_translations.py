"""A host's own forum catalogs (FORUM_TRANSLATION_DIRECTORIES): a language
the forum does not ship, one string of a shipped language changed, both
from the site's folder; the host's ``messages`` domain stays its own, and a
folder that cannot serve gives a clear error when the forum is set up."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import flask_babel
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, render_template_string, request
from flask_babel import Babel

from forum_plugin import Forum, i18n

from .conftest import form_fields, text_of

SPANISH = """\
msgid ""
msgstr ""
"Language: es\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Leave a comment"
msgstr "Deja un comentario"

msgid "Post comment"
msgstr "Publicar comentario"

msgid "Please write a comment before posting."
msgstr "Escribe un comentario antes de publicarlo."

msgid "%(num)d comment"
msgid_plural "%(num)d comments"
msgstr[0] "%(num)d comentario"
msgstr[1] "%(num)d comentarios"

msgid "Link not valid"
msgstr "Enlace no válido"
"""

# One Thai string changed; the rest of the forum's Thai stays.
THAI_OVERRIDE = """\
msgid ""
msgstr ""
"Language: th\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Post comment"
msgstr "โพสต์เลย"
"""

# The host's own catalog, domain "messages", with a string the forum also uses.
HOST_MESSAGES = """\
msgid ""
msgstr ""
"Language: es\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Welcome"
msgstr "Bienvenida"

msgid "Post comment"
msgstr "Enviar (texto del sitio)"
"""


def compile_catalog(folder: Path, lang: str, po_text: str, domain: str = "forum") -> Path:
    """What ``pybabel compile`` leaves: <folder>/<lang>/LC_MESSAGES/<domain>.mo."""
    catalog = read_po(BytesIO(po_text.encode()), locale=lang)
    target = folder / lang / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / f"{domain}.mo", "wb") as mo:
        write_mo(mo, catalog)
    return folder


def pick_language():
    return request.args.get("lang") or "en"


def babel(app):
    Babel(app, locale_selector=pick_language)
    return app


def post_page(client, lang: str) -> str:
    page = client.get(f"/posts/first-report?lang={lang}")
    assert page.status_code == 200
    return page.text


@pytest.fixture
def spanish(tmp_path):
    return compile_catalog(tmp_path / "site-translations", "es", SPANISH)


def test_a_language_the_forum_does_not_ship_comes_from_the_hosts_folder(make_app, spanish):
    app = babel(make_app(FORUM_TRANSLATION_DIRECTORIES=str(spanish)))
    client = app.test_client()
    page = post_page(client, "es")
    shown = text_of(page)
    assert "Deja un comentario" in shown and "Publicar comentario" in shown
    assert "Leave a comment" not in shown and "Post comment" not in shown
    # Spanish plural rule, from the host's catalog: zero takes the plural.
    assert "0 comentarios" in shown
    # What the host did not translate stays English.
    assert "Name" in shown
    assert '<html lang="es">' in client.get("/forum/threads/first-report?lang=es").text

    refused = client.post(
        "/forum/threads/first-report/comments?lang=es",
        data={**form_fields(page), "author_name": "Lucía", "body": ""},
    )
    assert refused.status_code == 400
    assert "Escribe un comentario antes de publicarlo." in refused.text
    # Other languages are untouched: Thai still comes from the forum.
    assert "แสดงความคิดเห็น" in text_of(post_page(client, "th"))


def test_the_host_changes_one_thai_string(make_app, tmp_path):
    folder = compile_catalog(tmp_path / "site", "th", THAI_OVERRIDE)
    app = babel(make_app(FORUM_TRANSLATION_DIRECTORIES=[str(folder)]))
    shown = text_of(post_page(app.test_client(), "th"))
    assert "โพสต์เลย" in shown and "ส่งความคิดเห็น" not in shown
    # Every other string is still the forum's Thai.
    assert "แสดงความคิดเห็น" in shown and "ชื่อ" in shown
    assert "0 ความคิดเห็น" in shown

    # Another app in the same process, without the folder, keeps the forum's Thai.
    plain = babel(make_app())
    shown = text_of(post_page(plain.test_client(), "th"))
    assert "ส่งความคิดเห็น" in shown and "โพสต์เลย" not in shown


def test_the_first_folder_wins_and_relative_folders_are_the_apps(tmp_path):
    """Two folders: a string in both is the first's. A relative path is
    taken from the app's root_path, not the working directory; Flask-Babel
    set up before the forum."""
    root = tmp_path / "site"
    compile_catalog(root / "overrides", "es", SPANISH.replace('"Enlace no válido"', '"Este enlace no sirve"'))
    compile_catalog(root / "translations", "es", SPANISH)
    app = Flask(__name__, root_path=str(root))
    app.config.update(
        SECRET_KEY="host secret",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        FORUM_TRANSLATION_DIRECTORIES=("overrides", "translations"),
    )
    babel(app)
    Forum(app)
    page = app.test_client().get("/forum/unsubscribe/not-a-token?lang=es")
    assert page.status_code == 400
    assert "Este enlace no sirve" in page.text and "Enlace no válido" not in page.text
    assert '<html lang="es">' in page.text


def test_the_hosts_messages_domain_is_left_alone(make_app, tmp_path):
    """The host keeps its catalogs and the forum's in one folder: each domain reads its own."""
    folder = compile_catalog(tmp_path / "translations", "es", SPANISH)
    compile_catalog(folder, "es", HOST_MESSAGES, domain="messages")
    app = make_app(FORUM_TRANSLATION_DIRECTORIES=str(folder))
    Babel(app, locale_selector=pick_language, default_translation_directories=str(folder))
    with app.test_request_context("/?lang=es"):
        # The host's gettext and its Jinja `_`: the host's text, never the forum's.
        assert flask_babel.gettext("Welcome") == "Bienvenida"
        assert flask_babel.gettext("Post comment") == "Enviar (texto del sitio)"
        assert flask_babel.gettext("Leave a comment") == "Leave a comment"
        assert render_template_string("{{ _('Post comment') }}") == "Enviar (texto del sitio)"
        # The forum's strings: the forum's catalog, never the host's messages.
        assert i18n.gettext("Post comment") == "Publicar comentario"
        assert i18n.gettext("Welcome") == "Welcome"
    shown = text_of(post_page(app.test_client(), "es"))
    assert "Publicar comentario" in shown and "Enviar (texto del sitio)" not in shown


def test_without_flask_babel_the_hosts_folder_changes_nothing(make_app, spanish):
    app = make_app(FORUM_TRANSLATION_DIRECTORIES=str(spanish))
    shown = text_of(post_page(app.test_client(), "es"))
    assert "Leave a comment" in shown and "Post comment" in shown and "0 comments" in shown
    assert "Deja un comentario" not in shown
    assert '<html lang="en">' in app.test_client().get("/forum/threads/first-report?lang=es").text


def set_up_with(tmp_path, value):
    app = Flask(__name__, root_path=str(tmp_path))
    app.config.update(SECRET_KEY="host secret", FORUM_TRANSLATION_DIRECTORIES=value)
    Forum(app)


def test_a_missing_folder_is_named_when_the_forum_is_set_up(tmp_path):
    named = r"FORUM_TRANSLATION_DIRECTORIES: 'no-such-folder' \(/.*/no-such-folder\) is not a folder"
    with pytest.raises(ValueError, match=named):
        set_up_with(tmp_path, ["no-such-folder"])
    (tmp_path / "forum.mo").write_bytes(b"")
    with pytest.raises(ValueError, match="is not a folder"):
        set_up_with(tmp_path, str(tmp_path / "forum.mo"))


def test_a_folder_without_compiled_catalogs_says_how_to_compile(tmp_path):
    sources = tmp_path / "translations" / "es" / "LC_MESSAGES"
    sources.mkdir(parents=True)
    (sources / "forum.po").write_text(SPANISH)
    hint = r"holds no compiled forum catalog .*pybabel compile -d /.*/translations -D forum"
    with pytest.raises(ValueError, match=hint):
        set_up_with(tmp_path, "translations")


@pytest.mark.parametrize("value", [42, [None], [""]])
def test_a_value_that_is_no_path_is_refused(tmp_path, value):
    with pytest.raises(ValueError, match="FORUM_TRANSLATION_DIRECTORIES must be a folder's path or a list of them"):
        set_up_with(tmp_path, value)


def test_an_unreadable_folder_is_named(tmp_path, spanish, monkeypatch):
    if os.geteuid() == 0:  # root reads any folder: refuse this one as the system would refuse a site's user
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != spanish and real_access(path, mode))
    spanish.chmod(0)
    try:
        with pytest.raises(ValueError, match=r"FORUM_TRANSLATION_DIRECTORIES: .*site-translations.* cannot be read"):
            set_up_with(tmp_path, str(spanish))
    finally:
        spanish.chmod(0o755)
