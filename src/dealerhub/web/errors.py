"""The one place where errors become HTTP answers.

A DomainError gets its status and a translatable title from ANSWERS, looked up along the error's
class hierarchy (the nearest class that is listed, or that sets its own `http_status`, wins).
Pages get an HTML error page; paths under /api get JSON:
    {"error": {"code": "InsufficientStock", "message": "...", "details": {...}}}
No request body is ever logged (passwords travel in one).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from dealerhub.core.accounts import InvalidCredentials
from dealerhub.core.documents import DocumentNotDraft, DocumentNotInStatus, InvalidDocument, UnknownItem
from dealerhub.core.partners.rules import InvalidIdentifier
from dealerhub.core.stock import InsufficientStock, WarehouseClosedForSale
from dealerhub.shared.errors import Conflict, DomainError, NotFound, PermissionDenied
from dealerhub.shared.texts import T
from dealerhub.web.csrf import CsrfRejected
from dealerhub.web.deps import NotAuthenticated
from dealerhub.web.forms import FormRejected
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

log = logging.getLogger("dealerhub.web")

LOGIN_PATH = "/backoffice/login"
CABINET_LOGIN_PATH = "/cabinet/login"


@dataclass(frozen=True)
class Answer:
    status: int
    title: str


ANSWERS: dict[type[DomainError], Answer] = {
    DomainError: Answer(422, N_("The operation was refused")),
    NotFound: Answer(404, N_("Not found")),
    Conflict: Answer(409, N_("The data has changed meanwhile")),
    PermissionDenied: Answer(403, N_("Access denied")),
    CsrfRejected: Answer(403, N_("The form has expired")),
    InvalidCredentials: Answer(401, N_("Wrong login or password")),
    InvalidIdentifier: Answer(422, N_("Invalid identifier")),
    InsufficientStock: Answer(409, N_("Not enough free stock")),
    WarehouseClosedForSale: Answer(409, N_("The warehouse is closed for sale")),
    DocumentNotInStatus: Answer(409, N_("The document is not in a status that allows this")),
    DocumentNotDraft: Answer(409, N_("A posted document cannot be edited")),
    InvalidDocument: Answer(422, N_("The document is not valid")),
    UnknownItem: Answer(422, N_("Unknown item")),
}

_STATUS_TITLES = {
    400: N_("Bad request"),
    401: N_("Please log in"),
    403: N_("Access denied"),
    404: N_("Not found"),
    405: N_("This action is not allowed here"),
    409: N_("The data has changed meanwhile"),
    410: N_("The link is no longer valid"),
    422: N_("The operation was refused"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong on our side"),
    503: N_("The service is unavailable for a moment"),
}


def answer_for(error: DomainError) -> Answer:
    for cls in type(error).__mro__:
        if cls in ANSWERS:
            return ANSWERS[cls]
        if "http_status" in cls.__dict__:
            return Answer(cls.http_status, _STATUS_TITLES.get(cls.http_status, _STATUS_TITLES[422]))
    return ANSWERS[DomainError]


def is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def _json(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message, "details": _jsonable(details or {})}}, status
    )


def _page(request: Request, status: int, title: str, message: str | None) -> Response:
    return render(
        request, "error.html", {"status": status, "title": title, "message": message}, status_code=status
    )


async def domain_error(request: Request, error: DomainError) -> Response:
    answer = answer_for(error)
    log.info("%s %s refused: %s: %s", request.method, request.url.path, error.code, error.message)
    if is_api(request):
        return _json(answer.status, error.code, error.message, error.details)
    return _page(request, answer.status, answer.title, error.message)


async def form_rejected(request: Request, rejection: FormRejected) -> Response:
    response = render(request, rejection.template, rejection.context, status_code=rejection.status_code)
    response.headers.update(rejection.headers)
    return response


async def not_authenticated(request: Request, _exc: NotAuthenticated) -> Response:
    if is_api(request):
        return _json(401, "NotAuthenticated", "log in first")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login_path = CABINET_LOGIN_PATH if request.url.path.startswith("/cabinet") else LOGIN_PATH
    location = f"{login_path}?next={quote(target, safe='')}"
    if request.headers.get("HX-Request"):
        return Response(status_code=401, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    title = _STATUS_TITLES.get(exc.status_code, _STATUS_TITLES[400])
    if is_api(request):
        return _json(exc.status_code, "HTTPError", str(exc.detail))
    return _page(request, exc.status_code, title, None)


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    if is_api(request):
        return _json(422, "ValidationError", "the request is not valid", {"errors": exc.errors()})
    # A page address with a malformed part (/items/abc): there is no such page.
    return _page(request, 404, _STATUS_TITLES[404], None)


async def integrity_error(request: Request, exc: IntegrityError) -> Response:
    """A uniqueness the use case had checked was taken by a concurrent request before the commit
    (two people adding the same barcode at once). The transaction is rolled back: nothing stays."""
    log.warning("%s %s lost a race: %s", request.method, request.url.path, str(exc.orig).splitlines()[0])
    message = T("someone saved a conflicting change at the same moment; nothing was changed, try again")
    if is_api(request):
        return _json(409, "ConcurrentConflict", message)
    return _page(request, 409, _STATUS_TITLES[409], message)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("%s %s failed", request.method, request.url.path, exc_info=exc)
    if is_api(request):
        return _json(500, "InternalError", "internal error")
    return _page(request, 500, _STATUS_TITLES[500], None)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(FormRejected, form_rejected)  # type: ignore[arg-type]
    app.add_exception_handler(NotAuthenticated, not_authenticated)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(IntegrityError, integrity_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, unexpected_error)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "__dataclass_fields__"):
        return {k: _jsonable(getattr(value, k)) for k in value.__dataclass_fields__}
    return str(value)
