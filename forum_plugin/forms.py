"""The extension's forms (Flask-WTF, so each carries its CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from .inputs import strip_invisible

# The largest id every supported database's integer column holds.
MAX_ID = 2**31 - 1


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class ForumForm(FlaskForm):
    @property
    def csrf_failed(self) -> bool:
        """The form was refused for its CSRF token, not for what the reader typed."""
        return "csrf_token" in self.errors


class CommentForm(ForumForm):
    """A new comment or reply.

    :param max_length: characters allowed in the body.
    :param name_required: whether the reader must give a name (anonymous
        readers do; logged-in readers post under their account).
    """

    body = TextAreaField(
        "Comment",
        validators=[DataRequired(message="Please write a comment before posting.")],
    )
    author_name = StringField("Name", filters=[strip_invisible], validators=[Length(max=100)])
    author_email = EmailField(
        "Email (optional, never shown)",
        filters=[_strip],
        validators=[Optional(), Email(message="That does not look like an email address."), Length(max=254)],
    )
    notify = BooleanField("Email me when my comment is published or answered")
    # Hidden from people (CSS and aria-hidden); robots that fill every field fill it.
    website = StringField("Leave this empty")
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



class ActionForm(ForumForm):
    """A button that changes state: only its CSRF token is posted."""


REPORT_REASONS = (
    ("spam", "Spam or advertising"),
    ("abuse", "Abusive or hateful"),
    ("private", "Reveals someone's personal details"),
    ("other", "Something else"),
)


class ReportForm(ForumForm):
    reason = SelectField(
        "Why should a moderator look at this?",
        choices=[SelectChoice(value, label) for value, label in REPORT_REASONS],
        validators=[DataRequired()],
    )
    details = StringField("Details (optional)", filters=[_strip], validators=[Length(max=150)])

    def reason_text(self) -> str:
        label = dict(REPORT_REASONS)[self.reason.data]
        return f"{label}: {self.details.data}" if self.details.data else label


class EditForm(ForumForm):
    body = TextAreaField("Text", validators=[DataRequired(message="The text cannot be empty.")])


class BulkForm(ForumForm):
    """The action for the comments whose ``ids`` (a repeated field, read by the view) are ticked."""

    action = StringField(validators=[DataRequired(message="Choose an action.")])


BAN_KINDS = (("email", "Email address"), ("domain", "Email domain"), ("account", "Account"), ("ip", "IP address"))


class BanForm(ForumForm):
    kind = SelectField("Ban by", choices=[SelectChoice(value, label) for value, label in BAN_KINDS])
    value = StringField("Value", filters=[_strip], validators=[Length(max=254)])
    reason = StringField("Reason", filters=[_strip], validators=[Length(max=500)])
    days = IntegerField(
        "Days (empty: no end)",
        validators=[Optional(), NumberRange(min=1, max=36500, message="Between 1 and 36,500 days.")],
    )


class WordForm(ForumForm):
    list = SelectField(
        "List", choices=[SelectChoice("banned", "Banned: reject"), SelectChoice("suspect", "Suspect: hold")]
    )
    word = StringField("Word or phrase", filters=[_strip], validators=[DataRequired(), Length(max=100)])
