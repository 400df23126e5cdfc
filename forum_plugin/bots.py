"""Telling people from scripts on the comment form: a honeypot field, and
how long the form was open.

The form's age is its ticket's signing time (tickets.py): every form has
one, so every post by a reader who is not a moderator is timed, whether the
CSRF token came in the form, in an ``X-CSRFToken`` header, or not at all.
"""

from __future__ import annotations

from .i18n import gettext, lazy_gettext


def timing_problem(age: float, minimum: float, maximum: float) -> str | None:
    """What to tell a reader whose form was sent too soon or too late, if anything."""
    if age < minimum:
        return gettext(
            "That was quick: to keep out robots, a comment can be sent %(seconds)s seconds after "
            "the page opened at the earliest. Your text is still here; please post it again.",
            seconds=f"{minimum:g}",
        )
    if age > maximum:
        return gettext(
            "This page was opened more than %(hours)s hours ago. Your text is still here; please post it again.",
            hours=f"{maximum / 3600:g}",
        )
    return None


HONEYPOT_MESSAGE = lazy_gettext("Your comment looks automated, so it was not posted.")
