"""WMS errors become pages: a refused operation (wms.errors, all DomainErrors) shows its message with
its status; no session goes to the login form (htmx gets HX-Redirect)."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from dealerhub.shared.errors import DomainError
from dealerhub.web.i18n import N_
from dealerhub.wms.web.rendering import render
from dealerhub.wms.web.session import NotLoggedIn

log = logging.getLogger("dealerhub.wms.web")

TITLES = {
    401: N_("Please log in"),
    403: N_("Access denied"),
    404: N_("Not found"),
    405: N_("This action is not allowed here"),
    409: N_("The data has changed meanwhile"),
    422: N_("The operation was refused"),
    500: N_("Something went wrong on our side"),
}


def status_of(error: DomainError) -> int:
    return getattr(error, "http_status", 422) or 422


def _page(request: Request, status: int, message: str | None) -> Response:
    return render(request, "wms/error.html", {"status": status, "title": TITLES.get(status, TITLES[422]),
                                              "message": message}, status_code=status)


async def domain_error(request: Request, error: DomainError) -> Response:
    log.info("%s %s refused: %s: %s", request.method, request.url.path, error.code, error.message)
    return _page(request, status_of(error), error.message)


async def not_logged_in(request: Request, _exc: NotLoggedIn) -> Response:
    base = request.scope.get("root_path", "")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = f"{base}/login?next={quote(target, safe='')}"
    if request.headers.get("HX-Request"):
        return Response(status_code=401, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    return _page(request, exc.status_code, None)


async def validation_error(request: Request, _exc: RequestValidationError) -> Response:
    return _page(request, 404, None)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("%s %s failed", request.method, request.url.path, exc_info=exc)
    return _page(request, 500, None)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(NotLoggedIn, not_logged_in)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, unexpected_error)
