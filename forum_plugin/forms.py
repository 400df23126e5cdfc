"""The extension's forms (Flask-WTF, so each carries its CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

# The largest id every supported database's integer column holds.
MAX_ID = 2**31 - 1


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class CommentForm(FlaskForm):
    """A new comment or reply.

    :param max_length: characters allowed in the body.
    :param name_required: whether the reader must give a name (anonymous
        readers do; logged-in readers post under their account).
    """

    body = TextAreaField(
        "Comment",
        validators=[DataRequired(message="Please write a comment before posting.")],
    )
    author_name = StringField("Name", filters=[_strip], validators=[Length(max=100)])
    author_email = EmailField(
        "Email (optional, never shown)",
        filters=[_strip],
        validators=[Optional(), Email(message="That does not look like an email address."), Length(max=254)],
    )
    parent_id = IntegerField(
        widget=HiddenInput(),
        validators=[Optional(), NumberRange(min=1, max=MAX_ID, message="That reply target is not a valid comment.")],
    )

    def __init__(self, *args, max_length: int, name_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length
        self.name_required = name_required

    def validate_body(self, field: TextAreaField) -> None:
        if field.data and len(field.data) > self.max_length:
            raise ValidationError(
                f"Your comment has {len(field.data):,} characters; the limit is {self.max_length:,}."
            )

    def validate_author_name(self, field: StringField) -> None:
        if self.name_required and not field.data:
            raise ValidationError("Please give a name to show with your comment.")

    @property
    def csrf_failed(self) -> bool:
        return "csrf_token" in self.errors


class ActionForm(FlaskForm):
    """A button that changes state: only its CSRF token is posted."""
