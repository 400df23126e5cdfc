"""Moderators' views: the dashboard, actions on comments, bans, word lists, the audit log.

* :mod:`.guard`: who may see them, who is acting, form checks, the way back
* :mod:`.queue`: the dashboard and the actions taken from it
* :mod:`.comment_page`: one comment's page and a moderator's edit
* :mod:`.bans`: banning authors, the ban list, lifting bans
* :mod:`.words`: the word lists
* :mod:`.log`: the audit log

Their routes and endpoint names are listed in ``views.MODERATION_ROUTES``.
"""

from __future__ import annotations

from .bans import ban_author, ban_list, lift_ban
from .comment_page import comment_detail, edit
from .guard import moderators_only
from .log import log
from .queue import act, bulk, dashboard, settle_edit
from .words import remove_word, word_list

__all__ = [
    "act",
    "ban_author",
    "ban_list",
    "bulk",
    "comment_detail",
    "dashboard",
    "edit",
    "lift_ban",
    "log",
    "moderators_only",
    "remove_word",
    "settle_edit",
    "word_list",
]
