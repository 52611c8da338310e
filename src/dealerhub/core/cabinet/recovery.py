"""Before login, by e-mail: a forgotten password (request a link, set a new password) and an
invitation (choose the first password). The links carry single-use, expiring tokens
(core/accounts/tokens.py); the pages sit under /cabinet/login/ where the login's CSRF cookie is."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from dealerhub.core.accounts import (
    InvalidUserData,
    TokenInvalid,
    accept_invitation,
    invited_user,
    request_password_reset,
    reset_password,
    tokens,
)
from dealerhub.core.accounts.models import User
from dealerhub.core.cabinet.auth import LOGIN_PATH, login_context, login_page
from dealerhub.core.cabinet.matrix import public
from dealerhub.core.partners.models import Partner
from dealerhub.shared import clock
from dealerhub.web import account_mail
from dealerhub.web.csrf import verify_login_csrf
from dealerhub.web.deps import Form, ReadSession, WriteSession
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_

FORGOT_TEMPLATE = "cabinet/auth/forgot.html"
NEW_PASSWORD_TEMPLATE = "cabinet/auth/new_password.html"
LINK_TEMPLATE = "cabinet/auth/link_invalid.html"
PASSWORDS_DIFFER = N_("The passwords differ.")
# One reset mail per user in this time at most (the same answer is shown either way).
RESET_MIN_INTERVAL = timedelta(minutes=2)

public_router = APIRouter()


@public_router.get("/login/forgot")
@public
def forgot_form(request: Request) -> Response:
    return login_page(request, FORGOT_TEMPLATE, {"sent": False})


@public_router.post("/login/forgot", dependencies=[Depends(verify_login_csrf)])
@public
def forgot(request: Request, form: Form, s: WriteSession) -> Response:
    """Send a reset link when the login or e-mail is a dealer's user's. The answer is the same
    whether it is or not, so the form tells no one which accounts exist."""
    reader = FormReader(form)
    key = reader.text("login", required=True, max_length=200)
    if not reader.ok:
        raise reader.rejected(FORGOT_TEMPLATE, login_context(request, sent=False))
    settings = request.app.state.settings
    lifetime = timedelta(minutes=settings.password_reset_lifetime_minutes)
    found = request_password_reset(
        s, key or "", lifetime=lifetime, min_interval=RESET_MIN_INTERVAL, dealers_only=True
    )
    if found is not None:
        user, token = found
        account_mail.send_password_reset(request, user, token=token, expires_at=clock.now() + lifetime)
    return login_page(request, FORGOT_TEMPLATE, {"sent": True})


def _link_invalid(request: Request, error: TokenInvalid) -> Response:
    return login_page(request, LINK_TEMPLATE, {"message": error.message}, status_code=410)


@public_router.get("/login/reset/{token}")
@public
def reset_form(request: Request, token: str, s: ReadSession) -> Response:
    try:
        user = s.get(User, tokens.peek_token(s, token, tokens.PASSWORD_RESET))
    except TokenInvalid as error:
        return _link_invalid(request, error)
    return login_page(request, NEW_PASSWORD_TEMPLATE, _new_password_context(user, "reset", token))


@public_router.post("/login/reset/{token}", dependencies=[Depends(verify_login_csrf)])
@public
def reset(request: Request, token: str, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    password = _new_password(reader)
    try:
        user = s.get(User, tokens.peek_token(s, token, tokens.PASSWORD_RESET))
    except TokenInvalid as error:
        return _link_invalid(request, error)
    context = login_context(request, **_new_password_context(user, "reset", token))
    if password is None:
        raise reader.rejected(NEW_PASSWORD_TEMPLATE, context)
    try:
        reset_password(s, token, new=password)
    except InvalidUserData as error:
        raise reader.refused(NEW_PASSWORD_TEMPLATE, context, error) from None
    except TokenInvalid as error:  # used by a concurrent request a moment ago
        return _link_invalid(request, error)
    return RedirectResponse(f"{LOGIN_PATH}?notice=password_set", status_code=303)


@public_router.get("/login/invitation/{token}")
@public
def invitation_form(request: Request, token: str, s: ReadSession) -> Response:
    try:
        user = invited_user(s, token)
    except TokenInvalid as error:
        return _link_invalid(request, error)
    context = _new_password_context(user, "invitation", token)
    context["company"] = s.get(Partner, user.partner_id).name if user.partner_id else ""
    return login_page(request, NEW_PASSWORD_TEMPLATE, context)


@public_router.post("/login/invitation/{token}", dependencies=[Depends(verify_login_csrf)])
@public
def invitation(request: Request, token: str, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    password = _new_password(reader)
    try:
        user = invited_user(s, token)
    except TokenInvalid as error:
        return _link_invalid(request, error)
    context = login_context(request, **_new_password_context(user, "invitation", token))
    context["company"] = s.get(Partner, user.partner_id).name if user.partner_id else ""
    if password is None:
        raise reader.rejected(NEW_PASSWORD_TEMPLATE, context)
    try:
        accept_invitation(s, token, password=password)
    except InvalidUserData as error:
        raise reader.refused(NEW_PASSWORD_TEMPLATE, context, error, aliases={"password": "new_password"}) from None
    except TokenInvalid as error:
        return _link_invalid(request, error)
    return RedirectResponse(f"{LOGIN_PATH}?notice=password_set", status_code=303)


def _new_password_context(user: User | None, kind: str, token: str) -> dict[str, object]:
    return {
        "kind": kind,
        "token": token,
        "login_name": user.login if user else "",
        "full_name": user.full_name if user else "",
        "company": "",
    }


def _new_password(reader: FormReader) -> str | None:
    """The new password typed twice, or None with the error beside the field."""
    first, second = reader.form.get("new_password"), reader.form.get("new_password_repeat")
    if not isinstance(first, str) or not first:
        reader.errors["new_password"] = N_("This field is required.")
        return None
    if first != second:
        reader.errors["new_password_repeat"] = PASSWORDS_DIFFER
        return None
    return first
