"""Picking task pages: the list, the task with the reservation moves its posting wrote and its
sales, post (it goes to the WMS), unpost, cancel; and the sale of what was despatched on a posted
task (a quantity per picked line, default: all of it)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core import sales
from dealerhub.core.accounts import SessionUser
from dealerhub.core.backoffice import documents_actions as da
from dealerhub.core.backoffice import documents_common as dc
from dealerhub.core.backoffice import documents_lines as dl
from dealerhub.core.backoffice import documents_registers as dr
from dealerhub.core.backoffice.documents_orders import ORDERS, PERMISSION, PICKING_TASKS, SALES, SalesClerk
from dealerhub.core.backoffice.helpers import lang_of
from dealerhub.core.documents import DocumentNotInStatus
from dealerhub.core.documents.names import document_name, status_name
from dealerhub.core.sales.models import CustomerOrder, PickingTask, Sale
from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T
from dealerhub.web.deps import Form, ReadSession, WriteSession
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()
STATUSES = ("draft", "posted", "done", "cancelled")


def _total(task: Any) -> Decimal:
    return sum((line.quantity for line in task.lines), Decimal(0))


def _actions(task: Any) -> list[dc.Action]:
    path = f"{dc.PREFIX}{PICKING_TASKS}/{task.id}"
    return {
        "draft": [
            dc.Action("post", N_("Post (send to the WMS)"), f"{path}/post", "primary"),
            dc.Action("cancel", N_("Cancel the document"), f"{path}/cancel", "outline-danger"),
        ],
        "posted": [
            dc.Action("sale", N_("Create sale"), f"{path}/sale", "primary", method="get"),
            dc.Action("unpost", N_("Unpost"), f"{path}/unpost", "outline-danger"),
        ],
    }.get(task.status, [])


def task_view(s: Session, doc_id: int, user: SessionUser, lang: str) -> dc.DocumentView:
    task = sales.get_picking_task(s, doc_id)
    order = sales.get_customer_order(s, task.customer_order_id)
    columns = [dc.Column(N_("To pick"), "qty")]
    sold = s.scalars(select(Sale).where(Sale.picking_task_id == task.id).order_by(Sale.id))
    return dc.DocumentView(
        kind="picking_task",
        title=N_("Picking task"),
        number=task.number,
        status=task.status,
        list_path=dc.PREFIX + PICKING_TASKS,
        list_title=N_("Picking tasks"),
        fields=[
            dc.header(N_("Date"), task.doc_date, "datetime"),
            dc.header(N_("Customer order"), order.number, href=f"{dc.PREFIX}{ORDERS}/{order.id}"),
            dc.header(
                N_("Dealer"),
                dr.partner_names(s, [order.partner_id]).get(order.partner_id),
                href=f"{dc.PREFIX}/partners/{order.partner_id}",
            ),
            dc.header(N_("Warehouse"), dr.warehouse_names(s).get(task.warehouse_id)),
            dc.header(N_("Author"), dr.user_names(s, [task.author_id]).get(task.author_id or 0)),
        ],
        lines=dr.lines_table(s, task.lines, lang, columns, lambda ln: [dc.qty(ln.quantity)]),
        totals=[dc.header(N_("Total quantity"), _total(task), "qty")],
        related=[
            dc.HeaderField(
                N_("Sales"), dc.docs_cell([(x.number, f"{dc.PREFIX}{SALES}/{x.id}", x.status) for x in sold])
            )
        ],
        registers=[dr.reservation_move_table(s, lang, doc_type="picking_task", doc_id=task.id)],
        audit=dr.audit_table(s, "picking_task", task.id),
        actions=dc.actions_allowed(user, PERMISSION, _actions(task)),
    )


def _list_names(s: Session, tasks: Sequence[Any]) -> dc.ListNames:
    """Warehouse names, the tasks' customer orders and their dealers' names."""
    query = select(CustomerOrder).where(CustomerOrder.id.in_({d.customer_order_id for d in tasks}))
    orders = {o.id: o for o in s.scalars(query)}
    partners = dr.partner_names(s, (o.partner_id for o in orders.values()))
    return dc.ListNames(dr.warehouse_names(s), partners, orders)


TASK_LIST = dc.ListSpec(
    N_("Picking tasks"),
    PICKING_TASKS,
    STATUSES,
    functools.partial(dr.page_of, model=PickingTask),
    _list_names,
    columns=(
        dc.NUMBER,
        dc.DATE,
        dc.list_column(N_("Customer order"), lambda d, n: dc.text(n.documents[d.customer_order_id].number)),
        dc.list_column(
            N_("Dealer"), lambda d, n: dc.text(n.partners.get(n.documents[d.customer_order_id].partner_id))
        ),
        *(dc.WAREHOUSE, dc.STATUS, dc.qty_total_column(_total)),
    ),
)
da.add_pages(router, TASK_LIST, task_view, ("task_list", "task_page"))
for _key, _use_case in (
    ("post", sales.post_picking_task),
    ("unpost", sales.unpost_picking_task),
    ("cancel", sales.cancel_picking_task),
):
    da.add_action(router, PICKING_TASKS, _key, PERMISSION, da.plain(_use_case), task_view)


# The sale of what was despatched ---------------------------------------------------------------


def _posted_task(s: Session, doc_id: int) -> Any:
    task = sales.get_picking_task(s, doc_id)
    if task.status != "posted":
        raise DocumentNotInStatus(
            T(
                "%(document)s %(number)s is «%(status)s»: a sale is made for a posted picking task",
                document=document_name("picking_task"), number=task.number, status=status_name(task.status),
            ),
            number=task.number,
            status=task.status,
        )
    return task


def _sale_form(s: Session, task: Any, lang: str) -> dl.BasedOnForm:
    labels = dr.item_labels(s, (ln.item_id for ln in task.lines), lang)
    lines = [
        dl.SourceLine(
            ln.id, ln.line_no, labels[ln.item_id].article, labels[ln.item_id].name, ln.quantity, ln.quantity
        )
        for ln in task.lines
    ]
    path = f"{dc.PREFIX}{PICKING_TASKS}/{task.id}"
    title = N_("Sale of what was despatched")
    return dl.BasedOnForm(title, f"{path}/sale", path, [], lines, N_("Picked"))


@router.get(PICKING_TASKS + "/{doc_id:int}/sale")
def sale_form(request: Request, doc_id: int, _user: SalesClerk, s: ReadSession) -> Response:
    task = _posted_task(s, doc_id)
    return render(request, dl.BASED_ON_TEMPLATE, _sale_form(s, task, lang_of(request)).context({}))


@router.post(PICKING_TASKS + "/{doc_id:int}/sale")
def create_sale(request: Request, doc_id: int, user: SalesClerk, form: Form, s: WriteSession) -> Response:
    based_on = _sale_form(s, _posted_task(s, doc_id), lang_of(request))
    reader = FormReader(form)
    despatched = dl.read_quantities(reader, based_on.lines)
    if not reader.ok:
        raise reader.rejected(dl.BASED_ON_TEMPLATE, based_on.context())
    try:
        sale = sales.create_sale(s, doc_id, user_id=user.user_id, despatched=despatched)
    except DomainError as error:
        raise dl.refuse_based_on(reader, based_on, error) from None
    return RedirectResponse(f"{dc.PREFIX}{SALES}/{sale.id}?notice=created", status_code=303)
