"""Running a document's action from its page: the use case in a savepoint, so that a refusal
changes nothing and the page is shown again with the reason (and, for missing stock, what is short)
on top; and the POST routes of the document buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core.accounts import SessionUser
from dealerhub.core.backoffice.documents_common import (
    DOCUMENT_TEMPLATE,
    PREFIX,
    STATUS_CONTEXT,
    DocumentView,
    ListSpec,
    Refusal,
    list_page,
    show_document,
)
from dealerhub.core.backoffice.documents_registers import shortage_table
from dealerhub.core.stock import InsufficientStock
from dealerhub.shared.errors import DomainError
from dealerhub.web.deps import (
    Form,
    OptionalInt,
    ReadSession,
    StaffUser,
    WriteSession,
    request_language,
    require,
)
from dealerhub.web.errors import answer_for
from dealerhub.web.forms import FormRejected


def run_action(
    request: Request,
    s: Session,
    action: Callable[[], Any],
    view: Callable[[], DocumentView],
    done: str | Callable[[Any], str],
) -> RedirectResponse:
    """Run a use case in a savepoint. Done: on to `done` (a path, or a path made from what the use
    case returned). Refused: the savepoint is rolled back, the document page is built again with
    the reason on top, and FormRejected rolls back the request's transaction too: nothing of the
    action stays."""
    try:
        with s.begin_nested():
            result = action()
    except DomainError as error:
        # change_status sets the status as committed state: forget everything the session holds.
        s.expire_all()
        raise refused(s, view(), error, request_language(request)) from None
    return RedirectResponse(done if isinstance(done, str) else done(result), status_code=303)


def refused(s: Session, view: DocumentView, error: DomainError, lang: str) -> FormRejected:
    answer = answer_for(error)
    shortages = shortage_table(s, error.shortages, lang) if isinstance(error, InsufficientStock) else None
    refusal = Refusal(answer.title, error.message, shortages)
    context = {**STATUS_CONTEXT, "doc": view, "refusal": refusal}
    return FormRejected(DOCUMENT_TEMPLATE, context, status_code=answer.status)


# A use case behind a document button: (session, document id, user id, reason typed or None).
UseCase = Callable[[Session, int, "int | None", "str | None"], object]
ViewBuilder = Callable[[Session, int, SessionUser, str], DocumentView]


def plain(use_case: Callable[..., object]) -> UseCase:
    """A use case that takes no reason."""
    return lambda s, doc_id, user_id, _reason: use_case(s, doc_id, user_id=user_id)


def with_reason(use_case: Callable[..., object]) -> UseCase:
    return lambda s, doc_id, user_id, reason: use_case(s, doc_id, user_id=user_id, reason=reason)


def add_action(
    router: APIRouter, page: str, key: str, permission: str, use_case: UseCase, view: ViewBuilder
) -> None:
    """POST <page>/{id}/<key>: run the use case for a user whose role holds the permission; back to
    the document with a notice, or the document again with the refusal on top."""

    def handle(
        request: Request,
        doc_id: int,
        s: WriteSession,
        form: Form,
        user: SessionUser = Depends(require(permission)),  # noqa: B008 - FastAPI's dependency idiom
    ) -> Response:
        typed = form.get("reason")
        reason = typed.strip() or None if isinstance(typed, str) else None
        return run_action(
            request,
            s,
            lambda: use_case(s, doc_id, user.user_id, reason),
            lambda: view(s, doc_id, user, request_language(request)),
            f"{PREFIX}{page}/{doc_id}?notice={key}",
        )

    handle.__name__ = f"{key}_{page.strip('/').replace('/', '_').replace('-', '_')}"
    router.post(f"{page}/{{doc_id:int}}/{key}")(handle)


def add_pages(router: APIRouter, spec: ListSpec, view: ViewBuilder, names: tuple[str, str]) -> None:
    """GET <page>: the list `spec` declares; GET <page>/{id}: the document `view` builds; both for
    every staff user. `names`: the names of the two routes (list, document)."""

    def list_handler(
        request: Request, user: StaffUser, s: ReadSession, status: str | None = None, page: OptionalInt = None
    ) -> Response:
        return list_page(request, s, spec, user, status, page)

    def document_handler(request: Request, doc_id: int, user: StaffUser, s: ReadSession) -> Response:
        return show_document(request, view(s, doc_id, user, request_language(request)))

    list_handler.__name__, document_handler.__name__ = names
    router.get(spec.page)(list_handler)
    router.get(f"{spec.page}/{{doc_id:int}}")(document_handler)
