"""The dashboard's word lists: banned and suspect words added and removed
by moderators, shown beside those the configuration sets."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ... import bans
from ...forms import ActionForm, WordForm
from ...i18n import gettext
from ...models import WordList
from ...state import db_session, get_state
from .guard import acting_moderator, checked, moderators_only, valid_or_shown


@moderators_only
def word_list() -> ResponseReturnValue:
    session = db_session()
    settings = get_state().settings
    form = WordForm(formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and not valid_or_shown(form):
        status = 400
    elif request.method == "POST":
        try:
            moderator = acting_moderator()
            added = bans.add_word(
                session, WordList(form.list.data), form.word.data or "", by_name=moderator.name, by_id=moderator.id
            )
        except bans.BanError as error:
            form.word.errors = [str(error)]
            status = 400
        else:
            word = repr(form.word.data)
            flash(
                gettext("Added %(word)s.", word=word)
                if added
                else gettext("%(word)s is already on that list.", word=word),
                "forum",
            )
            return redirect(url_for("forum.word_list"), code=303)
    return render_template(
        "forum/moderation/words.html",
        words=bans.dashboard_words(session),
        configured={"banned": settings.banned_words, "suspect": settings.suspect_words},
        form=form,
        action_form=ActionForm(formdata=None),
    ), status


@moderators_only
def remove_word(word_id: int) -> ResponseReturnValue:
    checked(ActionForm())
    moderator = acting_moderator()
    if not bans.remove_word(db_session(), word_id, by_name=moderator.name, by_id=moderator.id):
        abort(404, gettext("There is no word #%(id)s on the lists.", id=word_id))
    flash(gettext("Removed the word."), "forum")
    return redirect(url_for("forum.word_list"), code=303)
