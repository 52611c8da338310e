"""The dealers' login (password, then the one-time code when the user has the second factor on),
logout and the interface language. Apart from the staff's login: only a dealer company's user
with a dealer role may log in here. Failed logins are throttled (web/login_guard.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core.accounts import (
    DEALER_ROLES,
    InvalidCredentials,
    InvalidSecondFactor,
    LoginThrottled,
    TokenInvalid,
    close_session,
    open_session,
    set_user_language,
    tokens,
    totp,
)
from dealerhub.core.accounts.models import User
from dealerhub.core.cabinet.deps import CurrentDealer
from dealerhub.core.cabinet.matrix import public, scoped
from dealerhub.core.partners.models import Partner
from dealerhub.web import login_guard
from dealerhub.web.csrf import LOGIN_COOKIE, login_token, new_login_nonce, verify_login_csrf
from dealerhub.web.deps import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    Form,
    WriteSession,
    get_db,
    optional_user,
    session_token,
)
from dealerhub.web.forms import GENERAL, REQUIRED, FormReader, FormRejected
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

HOME = "/cabinet/"
LOGIN_PATH = "/cabinet/login"
CODE_PATH = "/cabinet/login/code"
LOGIN_TEMPLATE = "cabinet/auth/login.html"
CODE_TEMPLATE = "cabinet/auth/code.html"
# Between the password and the code: the second step's token, only under /cabinet/login.
SECOND_STEP_COOKIE = "dh_login_step"
SECOND_STEP_LIFETIME = timedelta(minutes=5)
WRONG_CREDENTIALS = N_("Wrong login or password.")
WRONG_CODE = N_("The code is wrong or has expired. Enter the current code from your app.")

public_router = APIRouter()
router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path inside the cabinet may follow a login (no open redirects)."""
    if not target or not target.startswith("/cabinet") or "//" in target or "\\" in target:
        return HOME
    if target.startswith(LOGIN_PATH):
        return HOME
    return target


def cookie_options(request: Request) -> dict[str, Any]:
    return {"httponly": True, "samesite": "lax", "secure": request.app.state.settings.secure_cookies}


def login_context(request: Request, **context: Any) -> dict[str, Any]:
    """What a pre-login form needs: the signed token of the login nonce cookie (set by login_page)."""
    nonce = request.cookies.get(LOGIN_COOKIE) or ""
    return {"login_csrf": login_token(request.app.state.csrf_secret, nonce), **context}


def login_page(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """Render a pre-login form (login, code, forgotten password, invitation, reset) with the CSRF
    pair: the nonce cookie (valid under /cabinet/login) and its signature in the form."""
    nonce = request.cookies.get(LOGIN_COOKIE) or new_login_nonce()
    full = {"login_csrf": login_token(request.app.state.csrf_secret, nonce), **context}
    response = render(request, template, full, status_code=status_code)
    response.set_cookie(LOGIN_COOKIE, nonce, max_age=2 * 3600, path=LOGIN_PATH, **cookie_options(request))
    return response


@public_router.get("/login")
@public
def login_form(request: Request, next: str = HOME, lang: str | None = None) -> Response:
    user = optional_user(request)
    if user is not None and user.partner_id is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    response = login_page(request, LOGIN_TEMPLATE, {"next_path": safe_next(next)})
    if lang in request.app.state.i18n.languages:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, **cookie_options(request))
    return response


@public_router.post("/login", dependencies=[Depends(verify_login_csrf)])
@public
def login(request: Request, form: Form) -> Response:
    reader = FormReader(form)
    login_name = reader.text("login", required=True, max_length=100)
    password = form.get("password")
    next_path = safe_next(reader.text("next"))
    context = login_context(request, next_path=next_path)
    if not isinstance(password, str) or not password:
        reader.errors["password"] = REQUIRED
    if not reader.ok:
        raise reader.rejected(LOGIN_TEMPLATE, context)

    def let_in(s: Session, user: User) -> Response:
        if not _is_dealer(s, user):
            raise _wrong(reader, LOGIN_TEMPLATE, context, WRONG_CREDENTIALS)
        if not user.totp_enabled:
            login_guard.note_success(s, user.login)
            return start_session(request, s, user, next_path)
        step = tokens.issue_token(
            s, purpose=tokens.LOGIN_SECOND_FACTOR, user_id=user.id, lifetime=SECOND_STEP_LIFETIME
        )
        response = RedirectResponse(f"{CODE_PATH}?next={quote(next_path, safe='/')}", status_code=303)
        response.set_cookie(
            SECOND_STEP_COOKIE,
            step,
            max_age=int(SECOND_STEP_LIFETIME.total_seconds()),
            path=LOGIN_PATH,
            **cookie_options(request),
        )
        return response

    try:
        return login_guard.log_in(request, login_name or "", password, let_in)  # type: ignore[arg-type]
    except LoginThrottled as error:
        raise login_guard.throttled_form(reader, error, LOGIN_TEMPLATE, context) from None
    except InvalidCredentials:
        raise _wrong(reader, LOGIN_TEMPLATE, context, WRONG_CREDENTIALS) from None


def _is_dealer(s: Session, user: User) -> bool:
    partner = s.get(Partner, user.partner_id) if user.partner_id is not None else None
    return user.role in DEALER_ROLES and partner is not None and partner.is_active and partner.is_dealer


def _wrong(reader: FormReader, template: str, context: dict[str, Any], message: str) -> FormRejected:
    reader.errors[GENERAL] = message
    return reader.rejected(template, context)


@public_router.get("/login/code")
@public
def code_form(request: Request, next: str = HOME) -> Response:
    if not request.cookies.get(SECOND_STEP_COOKIE):
        return RedirectResponse(LOGIN_PATH, status_code=303)
    return login_page(request, CODE_TEMPLATE, {"next_path": safe_next(next)})


@public_router.post("/login/code", dependencies=[Depends(verify_login_csrf)])
@public
def code(request: Request, form: Form) -> Response:
    """The second step: the one-time code of the user whose password was right a moment ago."""
    reader = FormReader(form)
    next_path = safe_next(reader.text("next"))
    context = login_context(request, next_path=next_path)
    step = request.cookies.get(SECOND_STEP_COOKIE)
    with get_db(request).transaction() as s:
        try:
            user = s.get(User, tokens.peek_token(s, step, tokens.LOGIN_SECOND_FACTOR))
        except TokenInvalid:
            return RedirectResponse(f"{LOGIN_PATH}?notice=login_again", status_code=303)
        if user is None or not user.is_active or not _is_dealer(s, user):
            return RedirectResponse(LOGIN_PATH, status_code=303)
        login_name = user.login
        try:
            login_guard.check_allowed(request, s, login_name)
            totp.check_code(s, user, reader.text("code", required=True) or "")
        except LoginThrottled as error:
            raise login_guard.throttled_form(reader, error, CODE_TEMPLATE, context) from None
        except InvalidSecondFactor:
            pass  # counted below, once this transaction is over
        else:
            tokens.use_token(s, step, tokens.LOGIN_SECOND_FACTOR)
            login_guard.note_success(s, login_name)
            response = start_session(request, s, user, next_path)
            response.delete_cookie(SECOND_STEP_COOKIE, path=LOGIN_PATH)
            return response
    login_guard.note_failure(request, login_name)
    raise _wrong(reader, CODE_TEMPLATE, context, WRONG_CODE)


def start_session(request: Request, s: Session, user: User, target: str) -> Response:
    """Open the session, set its cookie and go on to `target`."""
    settings = request.app.state.settings
    token = open_session(s, user.id, lifetime_hours=settings.session_lifetime_hours)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=settings.session_lifetime_hours * 3600, path="/", **cookie_options(request)
    )
    response.set_cookie(LANGUAGE_COOKIE, user.language, max_age=365 * 86400, **cookie_options(request))
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN_PATH)
    return response


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
