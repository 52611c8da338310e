"""The dealers' login and logout, and the interface language (apart from the staff's login:
only a dealer company's user with a dealer role may log in here)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from dealerhub.core.accounts import (
    DEALER_ROLES,
    InvalidCredentials,
    authenticate,
    close_session,
    open_session,
    set_user_language,
)
from dealerhub.core.cabinet.deps import CurrentDealer
from dealerhub.core.cabinet.matrix import public, scoped
from dealerhub.core.partners.models import Partner
from dealerhub.web.csrf import LOGIN_COOKIE, login_token, new_login_nonce, verify_login_csrf
from dealerhub.web.deps import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    Form,
    WriteSession,
    optional_user,
    session_token,
)
from dealerhub.web.forms import GENERAL, REQUIRED, FormReader, FormRejected
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

HOME = "/cabinet/"
LOGIN_PATH = "/cabinet/login"
LOGIN_TEMPLATE = "cabinet/auth/login.html"
WRONG_CREDENTIALS = N_("Wrong login or password.")

public_router = APIRouter()
router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path inside the cabinet may follow a login (no open redirects)."""
    if not target or not target.startswith("/cabinet") or "//" in target or "\\" in target:
        return HOME
    return target


def cookie_options(request: Request) -> dict[str, object]:
    return {"httponly": True, "samesite": "lax", "secure": request.app.state.settings.secure_cookies}


def login_context(request: Request, next_path: str) -> dict[str, object]:
    nonce = request.cookies.get(LOGIN_COOKIE) or ""
    return {"login_csrf": login_token(request.app.state.csrf_secret, nonce), "next_path": next_path}


@public_router.get("/login")
@public
def login_form(request: Request, next: str = HOME, lang: str | None = None) -> Response:
    user = optional_user(request)
    if user is not None and user.partner_id is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    nonce = request.cookies.get(LOGIN_COOKIE) or new_login_nonce()
    context = {"login_csrf": login_token(request.app.state.csrf_secret, nonce), "next_path": safe_next(next)}
    response = render(request, LOGIN_TEMPLATE, context)
    response.set_cookie(LOGIN_COOKIE, nonce, max_age=2 * 3600, path=LOGIN_PATH, **cookie_options(request))
    if lang in request.app.state.i18n.languages:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, **cookie_options(request))
    return response


@public_router.post("/login", dependencies=[Depends(verify_login_csrf)])
@public
def login(request: Request, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    login_name = reader.text("login", required=True, max_length=100)
    password = form.get("password")
    next_path = safe_next(reader.text("next"))
    if not isinstance(password, str) or not password:
        reader.errors["password"] = REQUIRED
    if not reader.ok:
        raise reader.rejected(LOGIN_TEMPLATE, login_context(request, next_path))
    try:
        user = authenticate(s, login=login_name or "", password=password)  # type: ignore[arg-type]
    except InvalidCredentials:
        raise _wrong_credentials(request, reader, next_path) from None
    partner = s.get(Partner, user.partner_id) if user.partner_id is not None else None
    if user.role not in DEALER_ROLES or partner is None or not partner.is_active or not partner.is_dealer:
        raise _wrong_credentials(request, reader, next_path)
    return start_session(request, s, user.id, user.language, next_path)


def start_session(request: Request, s: WriteSession, user_id: int, language: str, target: str) -> Response:
    """Open the session, set its cookie and go on to `target`."""
    settings = request.app.state.settings
    token = open_session(s, user_id, lifetime_hours=settings.session_lifetime_hours)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=settings.session_lifetime_hours * 3600, path="/", **cookie_options(request)
    )
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, **cookie_options(request))
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN_PATH)
    return response


def _wrong_credentials(request: Request, reader: FormReader, next_path: str) -> FormRejected:
    reader.errors[GENERAL] = WRONG_CREDENTIALS
    return reader.rejected(LOGIN_TEMPLATE, login_context(request, next_path))


@router.post("/logout")
@scoped()
def logout(request: Request, _dealer: CurrentDealer, s: WriteSession) -> Response:
    close_session(s, session_token(request))
    response = RedirectResponse(f"{LOGIN_PATH}?notice=logged_out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
@scoped()
def change_language(request: Request, dealer: CurrentDealer, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    language = request.app.state.i18n.pick(reader.text("language"))
    set_user_language(s, dealer.user_id, user_id=dealer.user_id, language=language)
    response = RedirectResponse(safe_next(reader.text("next")), status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, **cookie_options(request))
    return response
