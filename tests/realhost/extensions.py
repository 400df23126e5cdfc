"""The blog's extensions, made once and set up on each app by ``create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from forum_plugin import Forum

db = SQLAlchemy()
migrate = Migrate()
login = LoginManager()
login.login_view = "blog.login"
babel = Babel()
mail = Mail()
csrf = CSRFProtect()
# Its defaults and storage come from the blog's RATELIMIT_* settings.
limiter = Limiter(get_remote_address)
forum = Forum()


@forum.moderator_check
def is_editor(user) -> bool:
    return user.is_authenticated and user.role == "editor"
