"""The text of a comment the policy refused before rendering it.

Such a comment is stored with its text as typed, escaped, so that
moderators can read it; it is rendered only if a moderator brings it back.
"""

from __future__ import annotations

from html import escape

from .. import markup
from ..models import Comment
from ..state import get_state

# Marks the HTML of a comment the policy refused before its text was
# rendered; the sanitizer keeps no class attribute, so rendered text never has it.
_UNRENDERED = '<p class="forum-unrendered">'


def unrendered_html(text: str) -> str:
    """A refused comment's text as typed, escaped, for moderators to read:
    neither Markdown nor the sanitizer runs for a comment nobody will see."""
    return _UNRENDERED + escape(text).replace("\n", "<br>\n") + "</p>"


def render_if_unrendered(comment: Comment) -> None:
    """Render a refused comment's text now that a moderator brings it back."""
    if comment.body_html.startswith(_UNRENDERED):
        comment.body_html = markup.render(comment.body_markdown, get_state().settings.sanitizer)
