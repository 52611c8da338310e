"""Request dependencies: the database unit of work, the user behind the session, the language.

The web tier keeps no state in the process: the database comes from app.state, the user from the
session row named by the cookie, the language from the user's setting (or, before login, from a
cookie or the browser's Accept-Language).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from pydantic import BeforeValidator
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from dealerhub.core.accounts import STAFF_ROLES, SessionUser, can, load_session
from dealerhub.shared.db import Database
from dealerhub.shared.errors import PermissionDenied
from dealerhub.shared.texts import T

SESSION_COOKIE = "dh_session"
LANGUAGE_COOKIE = "dh_lang"


_UNKNOWN = object()


class NotAuthenticated(Exception):
    """No live session: pages redirect to the login form, /api answers 401."""


def get_db(request: Request) -> Database:
    return request.app.state.db


def read_session(request: Request) -> Iterator[Session]:
    """A reading session for a GET page (rolled back at the end)."""
    with get_db(request).session() as session:
        yield session


def write_session(request: Request) -> Iterator[Session]:
    """The request's one unit of work: commits once after the handler returned, before the answer
    is sent; on any exception nothing of it stays."""
    with get_db(request).transaction() as session:
        yield session


# scope="function": the commit happens before the response goes out, so a redirect after a POST
# never arrives ahead of the data it points to, and a failing commit still becomes an error answer.
ReadSession = Annotated[Session, Depends(read_session, scope="function")]
WriteSession = Annotated[Session, Depends(write_session, scope="function")]


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


def optional_user(request: Request, s: Session | None = None) -> SessionUser | None:
    """The user of a live session, or None. Read in `s` when given (the cabinet reads it in the
    page's own session, core/cabinet/deps.py), else in its own short session."""
    cached = getattr(request.state, "user", _UNKNOWN)
    if cached is not _UNKNOWN:
        return cached
    token = session_token(request)
    user = None
    if token and s is not None:
        user = load_session(s, token)
    elif token:
        with get_db(request).session() as session:
            user = load_session(session, token)
    request.state.user = user
    return user


def current_user(request: Request) -> SessionUser:
    user = optional_user(request)
    if user is None:
        raise NotAuthenticated()
    return user


CurrentUser = Annotated[SessionUser, Depends(current_user)]


def staff_user(user: CurrentUser) -> SessionUser:
    """A logged-in member of the distributor's staff (a dealer's user never enters the back office)."""
    if not user.is_staff or user.role not in STAFF_ROLES:
        raise PermissionDenied(T("the back office is for the distributor's staff"))
    return user


StaffUser = Annotated[SessionUser, Depends(staff_user)]


def require(permission: str) -> Callable[[SessionUser], SessionUser]:
    """A dependency that lets through a staff user whose role holds the permission, else 403."""

    def check(user: StaffUser) -> SessionUser:
        if not can(user.role, permission):
            raise PermissionDenied(T("your role may not do this"), permission=permission)
        return user

    check.__name__ = f"require_{permission.replace('.', '_')}"
    return check


def request_language(request: Request) -> str:
    """The user's language; before login a ?lang= choice, the language cookie or Accept-Language."""
    translations = request.app.state.i18n
    user = getattr(request.state, "user", None)
    if user is not None:
        return translations.pick(user.language)
    chosen = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in translations.languages:
        return chosen
    return translations.negotiate(request.headers.get("accept-language"))


async def form_data(request: Request) -> FormData:
    """The submitted form (parsed once per request; the CSRF check reads the same copy)."""
    return await request.form()


Form = Annotated[FormData, Depends(form_data)]


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


# A number in the query string that a form may send empty (an unchosen filter: ?brand=).
OptionalInt = Annotated[int | None, BeforeValidator(_blank_is_none)]
