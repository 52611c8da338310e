"""Logging in and out, and the interface language."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core.accounts import (
    STAFF_ROLES,
    InvalidCredentials,
    LoginThrottled,
    clear_failures,
    close_session,
    open_session,
    set_user_language,
)
from dealerhub.core.accounts.models import User
from dealerhub.web import login_guard
from dealerhub.web.csrf import LOGIN_COOKIE, login_token, new_login_nonce, verify_login_csrf
from dealerhub.web.deps import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    Form,
    StaffUser,
    WriteSession,
    optional_user,
    session_token,
)
from dealerhub.web.forms import GENERAL, REQUIRED, FormReader, FormRejected
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

HOME = "/backoffice/"
LOGIN_TEMPLATE = "backoffice/auth/login.html"
WRONG_CREDENTIALS = N_("Wrong login or password.")

public_router = APIRouter()
router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path inside the back office may follow a login (no open redirects)."""
    if not target or not target.startswith("/backoffice") or "//" in target or "\\" in target:
        return HOME
    return target


def _cookie_options(request: Request) -> dict[str, object]:
    return {"httponly": True, "samesite": "lax", "secure": request.app.state.settings.secure_cookies}


@public_router.get("/login")
def login_form(request: Request, next: str = HOME, lang: str | None = None) -> Response:
    user = optional_user(request)
    if user is not None and user.is_staff:
        return RedirectResponse(safe_next(next), status_code=303)
    nonce = request.cookies.get(LOGIN_COOKIE) or new_login_nonce()
    context = {"login_csrf": login_token(request.app.state.csrf_secret, nonce), "next_path": safe_next(next)}
    response = render(request, LOGIN_TEMPLATE, context)
    response.set_cookie(
        LOGIN_COOKIE, nonce, max_age=2 * 3600, path="/backoffice/login", **_cookie_options(request)
    )
    if lang in request.app.state.i18n.languages:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, **_cookie_options(request))
    return response


@public_router.post("/login", dependencies=[Depends(verify_login_csrf)])
def login(request: Request, form: Form) -> Response:
    reader = FormReader(form)
    login_name = reader.text("login", required=True, max_length=100)
    password = form.get("password")
    next_path = safe_next(reader.text("next"))
    if not isinstance(password, str) or not password:
        reader.errors["password"] = REQUIRED
    if not reader.ok:
        raise _login_rejected(request, reader, next_path)

    def let_in(s: Session, user: User) -> Response:
        if user.partner_id is not None or user.role not in STAFF_ROLES:
            reader.errors[GENERAL] = WRONG_CREDENTIALS
            raise _login_rejected(request, reader, next_path)
        clear_failures(s, login=user.login)
        settings = request.app.state.settings
        token = open_session(s, user.id, lifetime_hours=settings.session_lifetime_hours)
        response = RedirectResponse(next_path, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=settings.session_lifetime_hours * 3600,
            path="/",
            **_cookie_options(request),
        )
        response.set_cookie(LANGUAGE_COOKIE, user.language, max_age=365 * 86400, **_cookie_options(request))
        response.delete_cookie(LOGIN_COOKIE, path="/backoffice/login")
        return response

    # Throttled per login and per address, like the dealers' login (web/login_guard.py).
    try:
        return login_guard.log_in(request, login_name or "", password, let_in)  # type: ignore[arg-type]
    except LoginThrottled as error:
        nonce = request.cookies.get(LOGIN_COOKIE) or ""
        context = {"login_csrf": login_token(request.app.state.csrf_secret, nonce), "next_path": next_path}
        raise login_guard.throttled_form(reader, error, LOGIN_TEMPLATE, context) from None
    except InvalidCredentials:
        reader.errors[GENERAL] = WRONG_CREDENTIALS
        raise _login_rejected(request, reader, next_path) from None


def _login_rejected(request: Request, reader: FormReader, next_path: str) -> FormRejected:
    nonce = request.cookies.get(LOGIN_COOKIE) or ""
    context = {"login_csrf": login_token(request.app.state.csrf_secret, nonce), "next_path": next_path}
    return reader.rejected(LOGIN_TEMPLATE, context)


@router.post("/logout")
def logout(request: Request, _user: StaffUser, s: WriteSession) -> Response:
    close_session(s, session_token(request))
    response = RedirectResponse("/backoffice/login?notice=logged_out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
def change_language(request: Request, user: StaffUser, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    language = request.app.state.i18n.pick(reader.text("language"))
    set_user_language(s, user.user_id, user_id=user.user_id, language=language)
    response = RedirectResponse(safe_next(reader.text("next")), status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, **_cookie_options(request))
    return response
