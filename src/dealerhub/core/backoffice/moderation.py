"""Moderation of dealers' orders: the queue of submitted orders (oldest first), an order with what
its warehouse can give each line, and the manager's decisions: take it, approve it (the approval
reserves what is free and a picking task is made for what can be picked; nothing free: approved
without a task, and the page says so), change quantities with a reason the dealer reads in the
cabinet, reject with a reason. For administrators and sales managers (sales.documents).

Every decision carries the order's version (its latest audit row) from the page it was made on:
if someone else acted on the order meanwhile, the decision is refused with 409 and nothing changes.
A refused decision shows the order again, as it is now, with the reason on top."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dealerhub.core import pricing, sales
from dealerhub.core.accounts import SessionUser
from dealerhub.core.backoffice import documents_common as dc
from dealerhub.core.backoffice import documents_registers as dr
from dealerhub.core.backoffice.helpers import lang_of
from dealerhub.core.backoffice.moderation_queries import (
    moderation_queue,
    order_availability,
    order_version,
)
from dealerhub.core.documents import InvalidDocument
from dealerhub.core.documents.names import status_name
from dealerhub.core.sales.queries import lock_order
from dealerhub.core.sales.rules import IN_MODERATION
from dealerhub.core.stock import InsufficientStock
from dealerhub.shared.errors import Conflict, DomainError, NotFound
from dealerhub.shared.texts import T
from dealerhub.web.deps import Form, OptionalInt, ReadSession, WriteSession, require
from dealerhub.web.errors import answer_for
from dealerhub.web.forms import FormReader, FormRejected
from dealerhub.web.i18n import N_
from dealerhub.web.paging import Paging
from dealerhub.web.rendering import render

router = APIRouter()
PERMISSION = "sales.documents"
Moderator = Annotated[SessionUser, Depends(require(PERMISSION))]
PAGE = "/moderation"
QUEUE_TEMPLATE = "backoffice/moderation/queue.html"
ORDER_TEMPLATE = "backoffice/moderation/order.html"

# What the order page says after a decision (?done=...): the figures come from the order itself.
DONE = {
    "taken": N_("You have taken the order for moderation."),
    "approved": N_("The order is approved."),
    "changed": N_("The quantities are changed; the dealer sees the change and your reason."),
    "rejected": N_("The order is rejected; the dealer sees your reason."),
}


class StaleModeration(Conflict):
    """The order changed after the page the decision was made on was shown."""


def _path(order_id: int) -> str:
    return f"{dc.PREFIX}{PAGE}/{order_id}"


@router.get(PAGE)
def queue(request: Request, _user: Moderator, s: ReadSession, page: OptionalInt = None) -> Response:
    paging = Paging.start(page)
    rows, total = moderation_queue(s, limit=paging.size, offset=paging.offset)
    context = {
        **dc.STATUS_CONTEXT,
        "rows": rows,
        "paging": paging.with_total(total),
        "warehouses": dr.warehouse_names(s),
        "moderators": dr.user_names(s, (r.moderator_id for r in rows)),
    }
    return render(request, QUEUE_TEMPLATE, context)


@dataclass(frozen=True)
class OrderHead:
    """The order as the page shows it: plain data, so that a refusal can show the page after the
    request's transaction was rolled back (ORM objects are expired then)."""

    id: int
    number: str
    status: str
    partner_id: int
    doc_date: Any
    currency: str
    comment: str | None
    moderation_note: str | None


@dataclass(frozen=True)
class DocLink:
    id: int
    number: str
    status: str


def order_context(s: Session, order_id: int, lang: str) -> dict[str, Any]:
    """Everything the order page shows, read afresh."""
    order = sales.get_customer_order(s, order_id)
    lines = order_availability(s, order)
    people = dr.user_names(s, [order.author_id, order.moderator_id])
    agreement = pricing.get_agreement(s, order.agreement_id) if order.agreement_id else None
    return {
        **dc.STATUS_CONTEXT,
        "order": OrderHead(
            order.id, order.number, order.status, order.partner_id, order.doc_date, order.currency,
            order.comment, order.moderation_note,
        ),
        "version": order_version(s, order.id),
        "in_moderation": order.status in IN_MODERATION,
        "lines": lines,
        "labels": dr.item_labels(s, (ln.item_id for ln in lines), lang),
        "missing": any(ln.missing > 0 for ln in lines),
        "total": sales.order_totals(order).amount,
        "dealer_name": dr.partner_names(s, [order.partner_id]).get(order.partner_id, ""),
        "contractor": dr.contractor_name(s, order.contractor_id),
        "warehouse": dr.warehouse_names(s).get(order.warehouse_id, ""),
        "agreement": DocLink(agreement.id, agreement.number, "") if agreement else None,
        "author": people.get(order.author_id or 0),
        "moderator": people.get(order.moderator_id or 0),
        "tasks": [DocLink(t.id, t.number, t.status) for t in sales.list_picking_tasks(s, order.id)],
        "audit": dr.audit_table(s, "customer_order", order.id),
        "refusal": None,
        "done": None,
    }


@router.get(PAGE + "/{order_id:int}")
def order_page(request: Request, order_id: int, _user: Moderator, s: ReadSession, done: str | None = None) -> Response:
    context = order_context(s, order_id, lang_of(request))
    if done in DONE:
        context["notice"] = DONE[done]
        context["done"] = done
    return render(request, ORDER_TEMPLATE, context)


def _decide(
    request: Request, s: Session, order_id: int, form: Any, decision: Callable[[], object], done: str
) -> RedirectResponse:
    """Run a decision on the locked order if the page it was made on is still what the order is.
    Refused: rolled back, the order shown again as it is now with the reason on top."""
    seen = FormReader(form).integer("version")
    try:
        with s.begin_nested():
            order = lock_order(s, order_id)
            now = order_version(s, order_id)
            if seen != now:
                raise StaleModeration(
                    T(
                        "order %(number)s has changed since your page was shown (it is «%(status)s» now): "
                        "someone else has acted on it; look at it again",
                        number=order.number, status=status_name(order.status),
                    ),
                    number=order.number,
                    status=order.status,
                )
            decision()
    except NotFound:
        raise
    except DomainError as error:
        s.expire_all()  # the use cases set statuses as committed state: forget it all
        raise _refused(request, s, order_id, error) from None
    return RedirectResponse(f"{_path(order_id)}?done={done}", status_code=303)


def _refused(request: Request, s: Session, order_id: int, error: DomainError) -> FormRejected:
    answer = answer_for(error)
    context = order_context(s, order_id, lang_of(request))
    shortages = dr.shortage_table(s, error.shortages, lang_of(request)) if isinstance(error, InsufficientStock) else None
    context["refusal"] = dc.Refusal(answer.title, error.message, shortages)
    return FormRejected(ORDER_TEMPLATE, context, status_code=answer.status)


@router.post(PAGE + "/{order_id:int}/take")
def take(request: Request, order_id: int, user: Moderator, form: Form, s: WriteSession) -> Response:
    return _decide(
        request, s, order_id, form, lambda: sales.take_for_moderation(s, order_id, user_id=user.user_id), "taken"
    )


def approve_and_pick(s: Session, order_id: int, *, user_id: int | None) -> object | None:
    """Approve (reserving what is free), then a draft picking task for what can be picked now;
    None when nothing can be: the order stays approved and waits for stock."""
    sales.approve_customer_order(s, order_id, user_id=user_id)
    try:
        with s.begin_nested():
            return sales.create_picking_task(s, order_id, user_id=user_id)
    except (InsufficientStock, sales.NothingToPick):
        return None


@router.post(PAGE + "/{order_id:int}/approve")
def approve(request: Request, order_id: int, user: Moderator, form: Form, s: WriteSession) -> Response:
    return _decide(
        request, s, order_id, form, lambda: approve_and_pick(s, order_id, user_id=user.user_id), "approved"
    )


def _new_quantities(s: Session, order_id: int, reader: FormReader) -> dict[int, Decimal]:
    """qty_<line id> of each line of the order; a blank field keeps the line as it is."""
    quantities = {}
    for line in sales.get_customer_order(s, order_id).lines:
        name = f"qty_{line.id}"
        value = reader.decimal(name)
        if name in reader.errors:
            raise InvalidDocument(
                T("line %(line)s: '%(value)s' is not a number", line=line.line_no, value=reader.form.get(name)),
                line=line.line_no,
            )
        if value is not None:
            quantities[line.id] = value
    return quantities


REASON_MAX = 1000  # customer_orders.moderation_note


def _reason(reader: FormReader) -> str:
    """The reason typed for the dealer; the use cases refuse a blank one."""
    text = reader.text("reason", max_length=REASON_MAX) or ""
    if "reason" in reader.errors:
        raise InvalidDocument(T("the reason for the dealer is too long: %(max)s characters at most", max=REASON_MAX))
    return text


@router.post(PAGE + "/{order_id:int}/quantities")
def change_quantities(request: Request, order_id: int, user: Moderator, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    return _decide(
        request,
        s,
        order_id,
        form,
        lambda: sales.change_order_quantities(
            s,
            order_id,
            user_id=user.user_id,
            quantities=_new_quantities(s, order_id, reader),
            reason=_reason(reader),
        ),
        "changed",
    )


@router.post(PAGE + "/{order_id:int}/reject")
def reject(request: Request, order_id: int, user: Moderator, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    return _decide(
        request,
        s,
        order_id,
        form,
        lambda: sales.reject_customer_order(s, order_id, user_id=user.user_id, reason=_reason(reader)),
        "rejected",
    )
