"""Login (the WMS's own storekeepers), logout and the language switch."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T
from dealerhub.web.i18n import N_
from dealerhub.wms.layout.models import Warehouse
from dealerhub.wms.staff.service import authenticate
from dealerhub.wms.web.forms import form_of, safe_next, text
from dealerhub.wms.web.rendering import render
from dealerhub.wms.web.session import (
    LANGUAGE_COOKIE,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    WAREHOUSE_COOKIE,
    CsrfRejected,
    CurrentKeeper,
    DbSession,
    ReadDb,
    login_token,
    new_nonce,
    optional_keeper,
    session_cookie,
    tokens_match,
)

router = APIRouter()
WRONG_LOGIN = N_("Wrong login or password.")
NO_WAREHOUSE = N_("Choose the warehouse you work on.")


def _cookie_options(request: Request) -> dict:
    return {"httponly": True, "samesite": "lax", "secure": request.app.state.settings.secure_cookies,
            "path": request.scope.get("root_path", "") or "/"}


def _warehouses(s) -> list[Warehouse]:
    return list(s.scalars(select(Warehouse).where(Warehouse.active.is_(True)).order_by(Warehouse.code)))


def _login_page(request: Request, s, nonce: str, *, error: str | None = None, values: dict | None = None,
                status_code: int = 200) -> Response:
    return render(request, "wms/login.html", {
        "login_csrf": login_token(request.app.state.secret, nonce), "warehouses": _warehouses(s),
        "next_path": request.query_params.get("next", ""), "error": error, "values": values or {},
    }, status_code=status_code)


@router.get("/")
def home(request: Request) -> Response:
    base = request.scope.get("root_path", "")
    keeper = optional_keeper(request)
    if keeper is None:
        return RedirectResponse(f"{base}/login", status_code=303)
    return RedirectResponse(f"{base}/tasks", status_code=303)


@router.get("/login")
def login_form(request: Request, s: ReadDb, lang: str | None = None) -> Response:
    if lang is not None:  # the language links under the form: remember it, show the form again
        response = RedirectResponse(f"{request.scope.get('root_path', '')}/login", status_code=303)
        if lang in request.app.state.i18n.languages:
            response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, **_cookie_options(request))
        return response
    nonce = new_nonce()
    # A terminal stays in one warehouse: the form offers the one it was last logged in to.
    response = _login_page(request, s, nonce, values={"warehouse": request.cookies.get(WAREHOUSE_COOKIE, "")})
    response.set_cookie(LOGIN_COOKIE, nonce, max_age=2 * 3600, **_cookie_options(request))
    return response


@router.post("/login")
async def login(request: Request, s: DbSession) -> Response:
    form = await form_of(request)
    nonce = request.cookies.get(LOGIN_COOKIE) or ""
    secret = request.app.state.secret
    if not tokens_match(login_token(secret, nonce) if nonce else None, text(form, "csrf_token")):
        raise CsrfRejected(T("the login form expired: reload the page and try again"))
    values = {"login": text(form, "login", 64), "warehouse": text(form, "warehouse", 32)}
    warehouses = {w.code: w for w in _warehouses(s)}
    warehouse = warehouses.get(values["warehouse"]) or (next(iter(warehouses.values())) if len(warehouses) == 1 else None)
    try:
        user = authenticate(s, login=values["login"], password=form.get("password") or "")
    except DomainError:
        return _login_page(request, s, nonce, error=WRONG_LOGIN, values=values, status_code=401)
    if warehouse is None:
        return _login_page(request, s, nonce, error=NO_WAREHOUSE, values=values, status_code=422)
    base = request.scope.get("root_path", "")
    response = RedirectResponse(safe_next(text(form, "next", 500), base), status_code=303)
    response.set_cookie(SESSION_COOKIE, session_cookie(secret, user, warehouse.id),
                        max_age=request.app.state.settings.session_lifetime_hours * 3600, **_cookie_options(request))
    response.set_cookie(LANGUAGE_COOKIE, user.language, max_age=365 * 86400, **_cookie_options(request))
    response.set_cookie(WAREHOUSE_COOKIE, warehouse.code, max_age=365 * 86400, **_cookie_options(request))
    response.delete_cookie(LOGIN_COOKIE, path=_cookie_options(request)["path"])
    return response


@router.post("/logout")
def logout(request: Request, _keeper: CurrentKeeper) -> Response:
    base = request.scope.get("root_path", "")
    response = RedirectResponse(f"{base}/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=_cookie_options(request)["path"])
    return response


@router.post("/language")
async def change_language(request: Request, _keeper: CurrentKeeper) -> Response:
    form = await form_of(request)
    language = request.app.state.i18n.pick(text(form, "language", 8))
    base = request.scope.get("root_path", "")
    response = RedirectResponse(safe_next(text(form, "next"), base), status_code=303)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, **_cookie_options(request))
    return response
