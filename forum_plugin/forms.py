"""The extension's forms (Flask-WTF, so each carries its CSRF token)."""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    StringField,
    TextAreaField,
)
from wtforms import IntegerField as _IntegerField
from wtforms import SelectField as _SelectField
from wtforms.form import BaseForm
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from .i18n import gettext
from .i18n import lazy_gettext as _lazy_text
from .inputs import strip_invisible
from .paging import MAX_ID  # the largest id every supported database's integer column holds
from .vocabulary import N_, BanKind


def lazy_gettext(string: str) -> str:
    """:func:`forum_plugin.i18n.lazy_gettext`, typed as the ``str`` that
    types-WTForms asks labels and messages to be: WTForms only turns them
    into text (``str()``, ``%``), which a lazy string does in the reader's
    language at that moment."""
    return cast(str, _lazy_text(string))


try:
    # types-WTForms describes WTForms 3.2, which has no SelectChoice.
    from wtforms import SelectChoice  # type: ignore[attr-defined,unused-ignore]
except ImportError:  # WTForms < 3.3 takes (value, label) pairs, which 3.3 deprecates

    def SelectChoice(value: str, label: str) -> tuple[str, str]:  # noqa: N802 (stands in for the class)
        return (value, label)


if TYPE_CHECKING or "invalid_choice_message" not in inspect.signature(_SelectField.__init__).parameters:
    # WTForms < 3.3 words these refusals itself; these take the forum's message as 3.3 does.
    # (The type checker reads these: types-WTForms describes 3.2.)

    class SelectField(_SelectField):
        def __init__(self, *args: Any, invalid_choice_message: str | None = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.invalid_choice_message = invalid_choice_message

        def pre_validate(self, form: BaseForm) -> None:
            try:
                super().pre_validate(form)
            except ValidationError as refused:
                if self.invalid_choice_message is None:
                    raise
                raise ValidationError(self.invalid_choice_message) from refused

    class IntegerField(_IntegerField):
        def __init__(self, *args: Any, invalid_value_message: str | None = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.invalid_value_message = invalid_value_message

        def process_formdata(self, valuelist: list[Any]) -> None:
            try:
                super().process_formdata(valuelist)
            except ValueError as refused:
                if self.invalid_value_message is None:
                    raise
                raise ValueError(self.invalid_value_message) from refused

else:
    SelectField, IntegerField = _SelectField, _IntegerField


# ASCII digits only: str.isdigit() and int() also take "²" or "٣".
_ID_TEXT = re.compile(r"[0-9]{1,10}")


def parse_id(text: object) -> int | None:
    """The row id ``text`` spells in ASCII digits, if it is one every database can hold."""
    if not isinstance(text, str) or not _ID_TEXT.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


# WTForms' own English messages, in the forum's catalog so that every
# language the forum ships has them.
TOO_LONG = lazy_gettext("Field cannot be longer than %(max)d characters.")
REQUIRED = lazy_gettext("This field is required.")
NOT_A_NUMBER = lazy_gettext("Not a valid integer value.")
NOT_A_CHOICE = lazy_gettext("Not a valid choice.")


def too_long_message(length: int, limit: int) -> str:
    """What a reader is told when their comment is over the limit."""
    return gettext(
        "Your comment has %(length)s characters; the limit is %(limit)s.", length=f"{length:,}", limit=f"{limit:,}"
    )


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class IdField(IntegerField):
    """A hidden field naming a row by its id, in ASCII digits within 1..MAX_ID."""

    widget = HiddenInput()

    def __init__(self, *args: Any, message: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.message = message

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not valuelist[0]:
            self.data = None
            return
        self.data = parse_id(valuelist[0])
        if self.data is None:
            raise ValueError(self.message)


class ForumForm(FlaskForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Flask-WTF's FlaskForm has no annotations; the forum's forms do.
        super().__init__(*args, **kwargs)

    @property
    def csrf_failed(self) -> bool:
        """The form was refused for its CSRF token, not for what the reader typed."""
        return "csrf_token" in self.errors

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """Validate, then turn every message into plain text in the reader's
        language: messages defined at import time are lazy, and errors end
        up in sessions, JSON and ``" ".join``."""
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.errors, (list, tuple)):
                field.errors = [str(message) for message in field.errors]
        self.form_errors = [str(message) for message in self.form_errors]
        return valid


class CommentForm(ForumForm):
    """A new comment or reply.

    :param max_length: characters allowed in the body.
    :param name_required: whether the reader must give a name (anonymous
        readers do; logged-in readers post under their account).
    """

    body = TextAreaField(
        lazy_gettext("Comment"),
        validators=[DataRequired(message=lazy_gettext("Please write a comment before posting."))],
    )
    author_name = StringField(
        lazy_gettext("Name"), filters=[strip_invisible], validators=[Length(max=100, message=TOO_LONG)]
    )
    author_email = EmailField(
        lazy_gettext("Email (optional, never shown)"),
        filters=[_strip],
        validators=[
            Optional(),
            Email(message=lazy_gettext("That does not look like an email address.")),
            Length(max=254, message=TOO_LONG),
        ],
    )
    notify = BooleanField(lazy_gettext("Email me when my comment is published or answered"))
    # Hidden from people (CSS and aria-hidden); robots that fill every field fill it.
    website = StringField(lazy_gettext("Leave this empty"))
    parent_id = IdField(message=lazy_gettext("That reply target is not a valid comment."), validators=[Optional()])
    # What the page said and when it was served, signed (see tickets.py).
    forum_ticket = HiddenField()

    def __init__(self, *args: Any, max_length: int, name_required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_length = max_length
        self.name_required = name_required

    def validate_body(self, field: TextAreaField) -> None:
        if field.data and len(field.data) > self.max_length:
            raise ValidationError(too_long_message(len(field.data), self.max_length))

    def validate_author_name(self, field: StringField) -> None:
        if self.name_required and not field.data:
            raise ValidationError(gettext("Please give a name to show with your comment."))


class ActionForm(ForumForm):
    """A button that changes state: only its CSRF token is posted."""


# Shown in the reader's language; stored with the report in English.
REPORT_REASONS = (
    ("spam", N_("Spam or advertising")),
    ("abuse", N_("Abusive or hateful")),
    ("private", N_("Reveals someone's personal details")),
    ("other", N_("Something else")),
)


class ReportForm(ForumForm):
    reason = SelectField(
        lazy_gettext("Why should a moderator look at this?"),
        choices=[SelectChoice(value, lazy_gettext(label)) for value, label in REPORT_REASONS],
        validators=[DataRequired(message=REQUIRED)],
        invalid_choice_message=NOT_A_CHOICE,
    )
    details = StringField(
        lazy_gettext("Details (optional)"), filters=[_strip], validators=[Length(max=150, message=TOO_LONG)]
    )

    def reason_text(self) -> str:
        label = dict(REPORT_REASONS)[self.reason.data]
        return f"{label}: {self.details.data}" if self.details.data else label


class EditForm(ForumForm):
    body = TextAreaField(
        lazy_gettext("Text"), validators=[DataRequired(message=lazy_gettext("The text cannot be empty."))]
    )


class BulkForm(ForumForm):
    """The action for the comments whose ``ids`` (a repeated field, read by the view) are ticked."""

    action = StringField(validators=[DataRequired(message=lazy_gettext("Choose an action."))])


class BanForm(ForumForm):
    kind = SelectField(
        lazy_gettext("Ban by"),
        choices=[SelectChoice(kind.value, lazy_gettext(kind.form_label)) for kind in BanKind],
        invalid_choice_message=NOT_A_CHOICE,
    )
    value = StringField(lazy_gettext("Value"), filters=[_strip], validators=[Length(max=254, message=TOO_LONG)])
    reason = StringField(lazy_gettext("Reason"), filters=[_strip], validators=[Length(max=500, message=TOO_LONG)])
    days = IntegerField(
        lazy_gettext("Days (empty: no end)"),
        invalid_value_message=NOT_A_NUMBER,
        validators=[Optional(), NumberRange(min=1, max=36500, message=lazy_gettext("Between 1 and 36,500 days."))],
    )


class WordForm(ForumForm):
    list = SelectField(
        lazy_gettext("List"),
        choices=[
            SelectChoice("banned", lazy_gettext("Banned: reject")),
            SelectChoice("suspect", lazy_gettext("Suspect: hold")),
        ],
        invalid_choice_message=NOT_A_CHOICE,
    )
    word = StringField(
        lazy_gettext("Word or phrase"),
        filters=[_strip],
        validators=[DataRequired(message=REQUIRED), Length(max=100, message=TOO_LONG)],
    )
