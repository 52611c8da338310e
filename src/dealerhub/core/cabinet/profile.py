"""My profile: name and phone, language, password, the TOTP second factor."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from dealerhub.core.accounts import (
    InvalidSecondFactor,
    InvalidUserData,
    change_password,
    set_profile,
    totp,
)
from dealerhub.core.accounts.models import User
from dealerhub.core.cabinet.deps import CurrentDealer
from dealerhub.core.cabinet.matrix import scoped
from dealerhub.core.cabinet.views import user_view
from dealerhub.web.deps import Form, ReadSession, WriteSession, session_token
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()
TEMPLATE = "cabinet/profile/profile.html"
TOTP_TEMPLATE = "cabinet/profile/totp.html"
PASSWORDS_DIFFER = N_("The passwords differ.")


def _context(user: User, **extra: Any) -> dict[str, Any]:
    return {
        "me": user_view(user),
        "values": {"full_name": user.full_name, "phone": user.phone or ""},
        **extra,
    }


@router.get("/profile")
@scoped()
def profile(request: Request, dealer: CurrentDealer, s: ReadSession) -> Response:
    return render(request, TEMPLATE, _context(s.get(User, dealer.user_id)))


@router.post("/profile")
@scoped()
def save_profile(request: Request, dealer: CurrentDealer, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    full_name = reader.text("full_name", required=True, max_length=200)
    phone = reader.text("phone", max_length=50)
    user = s.get(User, dealer.user_id)
    if not reader.ok:
        raise reader.rejected(TEMPLATE, {"me": user_view(user)})
    try:
        set_profile(s, dealer.user_id, full_name=full_name or "", phone=phone)
    except InvalidUserData as error:
        raise reader.refused(TEMPLATE, {"me": user_view(user)}, error) from None
    return RedirectResponse("/cabinet/profile?notice=saved", status_code=303)


@router.post("/profile/password")
@scoped()
def save_password(request: Request, dealer: CurrentDealer, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    user = s.get(User, dealer.user_id)
    current, new, repeat = (form.get(k) for k in ("current_password", "new_password", "new_password_repeat"))
    for name, value in (("current_password", current), ("new_password", new)):
        if not isinstance(value, str) or not value:
            reader.errors[name] = N_("This field is required.")
    if reader.ok and new != repeat:
        reader.errors["new_password_repeat"] = PASSWORDS_DIFFER
    context = _context(user)
    reader.values = {**context["values"], **reader.values}
    if not reader.ok:
        raise reader.rejected(TEMPLATE, context)
    try:
        change_password(
            s, dealer.user_id, current=current, new=new, keep_session=session_token(request)  # type: ignore[arg-type]
        )
    except InvalidUserData as error:
        raise reader.refused(TEMPLATE, context, error) from None
    return RedirectResponse("/cabinet/profile?notice=saved", status_code=303)


@router.post("/profile/totp/start")
@scoped()
def totp_start(dealer: CurrentDealer, s: WriteSession) -> Response:
    user = s.get(User, dealer.user_id)
    totp.start_enrolment(s, user)
    return RedirectResponse("/cabinet/profile/totp", status_code=303)


def _totp_context(user: User) -> dict[str, Any]:
    uri = totp.provisioning_uri(user.totp_secret or "", user.login)
    secret = user.totp_secret or ""
    return {
        "qr_svg": totp.qr_svg(uri),
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "uri": uri,
    }


@router.get("/profile/totp")
@scoped()
def totp_page(request: Request, dealer: CurrentDealer, s: ReadSession) -> Response:
    user = s.get(User, dealer.user_id)
    if user.totp_enabled or not user.totp_secret:
        return RedirectResponse("/cabinet/profile", status_code=303)
    return render(request, TOTP_TEMPLATE, _totp_context(user))


@router.post("/profile/totp/confirm")
@scoped()
def totp_confirm(request: Request, dealer: CurrentDealer, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    code = reader.text("code", required=True, max_length=10)
    user = s.get(User, dealer.user_id)
    if user.totp_enabled or not user.totp_secret:
        return RedirectResponse("/cabinet/profile", status_code=303)
    if not reader.ok:
        raise reader.rejected(TOTP_TEMPLATE, _totp_context(user))
    try:
        totp.confirm_enrolment(s, user, code or "")
    except InvalidSecondFactor as error:
        raise reader.refused(TOTP_TEMPLATE, _totp_context(user), error, default_field="code") from None
    return RedirectResponse("/cabinet/profile?notice=saved", status_code=303)


@router.post("/profile/totp/disable")
@scoped()
def totp_disable(request: Request, dealer: CurrentDealer, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    user = s.get(User, dealer.user_id)
    password = form.get("password")
    reader.values = {**_context(user)["values"], **reader.values}
    try:
        totp.disable(s, user, password=password if isinstance(password, str) else "")
    except InvalidSecondFactor as error:
        raise reader.refused(TEMPLATE, _context(user), error, aliases={"password": "totp_password"}) from None
    return RedirectResponse("/cabinet/profile?notice=saved", status_code=303)
