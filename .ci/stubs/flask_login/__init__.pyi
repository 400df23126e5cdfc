from collections.abc import Callable
from typing import Any, TypeVar

from blinker import NamedSignal
from flask import Flask
from werkzeug.local import LocalProxy

_Loader = TypeVar("_Loader", bound=Callable[[str], object])

# The signed-in user, or the login manager's anonymous user.
current_user: LocalProxy[Any]
user_logged_out: NamedSignal

class UserMixin:
    @property
    def is_active(self) -> bool: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_anonymous(self) -> bool: ...
    def get_id(self) -> str: ...

class LoginManager:
    login_view: str | None
    login_message: str
    def __init__(self, app: Flask | None = None, add_context_processor: bool = True) -> None: ...
    def init_app(self, app: Flask, add_context_processor: bool = True) -> None: ...
    def user_loader(self, callback: _Loader) -> _Loader: ...

def login_user(
    user: object, remember: bool = False, duration: Any = None, force: bool = False, fresh: bool = True
) -> bool: ...
def logout_user() -> bool: ...
