"""Customer order pages: the list, the order with ordered / reserved / picked / shipped per line,
its reservation moves, picking tasks, sales and audit trail; create and edit drafts; submit,
take for moderation, approve (reserves free stock), unapprove, reject, cancel, close, and create
a picking task from an approved order."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from dealerhub.core import pricing, sales
from dealerhub.core.accounts import SessionUser
from dealerhub.core.backoffice import documents_actions as da
from dealerhub.core.backoffice import documents_common as dc
from dealerhub.core.backoffice import documents_lines as dl
from dealerhub.core.backoffice import documents_registers as dr
from dealerhub.core.backoffice.helpers import lang_of
from dealerhub.core.backoffice.queries import warehouse_choices
from dealerhub.core.documents import assert_draft
from dealerhub.core.sales.models import CUSTOMER_ORDER_STATUSES
from dealerhub.web.deps import Form, ReadSession, WriteSession, require
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()
PERMISSION = "sales.documents"
SalesClerk = Annotated[SessionUser, Depends(require(PERMISSION))]
ORDERS = "/sales/orders"
PICKING_TASKS = "/sales/picking-tasks"
SALES = "/sales/sales"
RETURNS = "/sales/returns"
# Which status allows which button (the use cases check again).
PICKABLE = ("approved", "picking", "partially_shipped")
CANCELLABLE = ("draft", "submitted", "awaiting_moderation", "approved")
PRICE_HELP = N_("A blank price: the dealer's personal price from the agreement.")


def _lines_table(s: Session, order: Any, lang: str) -> dc.Table:
    progress = {p.line_id: p for p in sales.get_order_progress(s, order.id)}
    columns = [
        dc.Column(N_("Ordered"), "qty"),
        dc.Column(N_("Reserved"), "qty"),
        dc.Column(N_("Picked"), "qty"),
        dc.Column(N_("Shipped"), "qty"),
        dc.Column(N_("Price"), "money"),
        dc.Column(N_("Discount, %"), "qty"),
        dc.Column(N_("Amount"), "money"),
    ]
    return dr.lines_table(
        s,
        order.lines,
        lang,
        columns,
        lambda ln: [
            dc.qty(ln.quantity),
            dc.qty(progress[ln.id].reserved),
            dc.qty(progress[ln.id].picked),
            dc.qty(progress[ln.id].shipped),
            dc.money(ln.price),
            dc.qty(ln.discount_percent),
            dc.money(ln.amount),
        ],
    )


def _actions(order: Any) -> list[dc.Action]:
    path = f"{dc.PREFIX}{ORDERS}/{order.id}"
    status = order.status
    shown = {
        "draft": [
            dc.Action("submit", N_("Submit"), f"{path}/submit", "primary"),
            dc.Action("edit", N_("Edit"), f"{path}/edit", "outline-secondary", method="get"),
        ],
        "submitted": [dc.Action("take", N_("Take for moderation"), f"{path}/take", "outline-primary")],
        "partially_shipped": [],
        "shipped": [],
    }.get(status, [])
    if status in ("submitted", "awaiting_moderation"):
        shown += [
            dc.Action("approve", N_("Approve"), f"{path}/approve", "success"),
            dc.Action("reject", N_("Reject"), f"{path}/reject", "outline-danger", reason="required"),
        ]
    if status in PICKABLE:
        shown.append(dc.Action("picking-task", N_("Create picking task"), f"{path}/picking-task", "primary"))
    if status == "approved":
        shown.append(
            dc.Action("unapprove", N_("Withdraw approval"), f"{path}/unapprove", "outline-secondary")
        )
    if status in ("partially_shipped", "shipped"):
        shown.append(dc.Action("close", N_("Close"), f"{path}/close", "outline-secondary"))
    if status in CANCELLABLE:
        shown.append(
            dc.Action(
                "cancel", N_("Cancel the document"), f"{path}/cancel", "outline-danger", reason="optional"
            )
        )
    return shown


def _related(s: Session, order: Any) -> list[dc.HeaderField]:
    tasks = sales.list_picking_tasks(s, order.id)
    sold = sales.list_sales(s, order.id)
    return [
        dc.HeaderField(
            N_("Picking tasks"),
            dc.docs_cell([(t.number, f"{dc.PREFIX}{PICKING_TASKS}/{t.id}", t.status) for t in tasks]),
        ),
        dc.HeaderField(
            N_("Sales"), dc.docs_cell([(x.number, f"{dc.PREFIX}{SALES}/{x.id}", x.status) for x in sold])
        ),
    ]


def order_view(s: Session, doc_id: int, user: SessionUser, lang: str) -> dc.DocumentView:
    order = sales.get_customer_order(s, doc_id)
    totals = sales.order_totals(order)
    people = dr.user_names(s, [order.author_id, order.moderator_id])
    return dc.DocumentView(
        kind="customer_order",
        title=N_("Customer order"),
        number=order.number,
        status=order.status,
        list_path=dc.PREFIX + ORDERS,
        list_title=N_("Customer orders"),
        fields=[
            dc.header(N_("Date"), order.doc_date, "datetime"),
            dc.header(
                N_("Dealer"),
                dr.partner_names(s, [order.partner_id]).get(order.partner_id),
                href=f"{dc.PREFIX}/partners/{order.partner_id}",
            ),
            dc.header(N_("Legal entity"), dr.contractor_name(s, order.contractor_id)),
            dc.header(
                N_("Agreement"),
                pricing.get_agreement(s, order.agreement_id).number if order.agreement_id else None,
                href=f"{dc.PREFIX}/pricing/agreements/{order.agreement_id}",
            ),
            dc.header(N_("Warehouse"), dr.warehouse_names(s).get(order.warehouse_id)),
            dc.header(N_("Moderator"), people.get(order.moderator_id or 0)),
            dc.header(N_("Moderation note"), order.moderation_note),
            dc.header(N_("Author"), people.get(order.author_id or 0)),
            dc.header(N_("Comment"), order.comment),
        ],
        lines=_lines_table(s, order, lang),
        totals=[
            dc.header(N_("Currency"), order.currency),
            dc.header(N_("Total"), totals.amount, "money"),
            dc.header(N_("Including VAT"), totals.vat_amount, "money"),
        ],
        related=_related(s, order),
        registers=[dr.reservation_move_table(s, lang, holder_order_id=order.id)],
        audit=dr.audit_table(s, "customer_order", order.id),
        actions=dc.actions_allowed(user, PERMISSION, _actions(order)),
    )


ORDER_LIST = dc.ListSpec(
    N_("Customer orders"),
    ORDERS,
    CUSTOMER_ORDER_STATUSES,
    sales.list_customer_orders,
    dr.list_names,
    dc.counterparty_columns(N_("Dealer"), lambda d: sales.order_totals(d).amount),
    permission=PERMISSION,
    new_label=N_("New customer order"),
)
da.add_pages(router, ORDER_LIST, order_view, ("order_list", "order_page"))
for _key, _use_case in (
    ("submit", da.plain(sales.submit_customer_order)),
    ("take", da.plain(sales.take_for_moderation)),
    ("approve", da.plain(sales.approve_customer_order)),
    ("unapprove", da.plain(sales.unapprove_customer_order)),
    (
        "reject",
        lambda s, doc_id, user_id, reason: sales.reject_customer_order(
            s, doc_id, user_id=user_id, reason=reason or ""
        ),
    ),
    ("cancel", da.with_reason(sales.cancel_customer_order)),
    ("close", da.plain(sales.close_customer_order)),
):
    da.add_action(router, ORDERS, _key, PERMISSION, _use_case, order_view)


@router.post(ORDERS + "/{doc_id:int}/picking-task")
def create_picking_task(request: Request, doc_id: int, user: SalesClerk, s: WriteSession) -> Response:
    """A picking task for what can be picked now; refused (InsufficientStock ...) on the order's page."""
    return da.run_action(
        request,
        s,
        lambda: sales.create_picking_task(s, doc_id, user_id=user.user_id),
        lambda: order_view(s, doc_id, user, lang_of(request)),
        lambda task: f"{dc.PREFIX}{PICKING_TASKS}/{task.id}?notice=created",
    )


# Create and edit ------------------------------------------------------------------------------


def _form(s: Session, doc_id: int | None, rows: int = dl.DEFAULT_ROWS) -> dl.DocumentForm:
    dealer = (
        dl.FormField("dealer", N_("Dealer's legal entity"), "static")
        if doc_id
        else dl.FormField(
            "contractor_id",
            N_("Dealer's legal entity"),
            "select",
            dl.contractor_choices(s, dealers=True),
            required=True,
        )
    )
    fields = [
        dealer,
        dl.FormField(
            "warehouse_id",
            N_("Warehouse"),
            "select",
            warehouse_choices(s, open_for_sale_only=True),
            required=True,
        ),
        dl.FormField("comment", N_("Comment"), "textarea"),
    ]
    titles = (N_("New customer order"), N_("Edit customer order"))
    return dl.document_form(
        ORDERS, doc_id, titles, fields, price=dl.PRICE_OPTIONAL, price_help=PRICE_HELP, rows=rows
    )


def _order_lines(lines: list[dl.EnteredLine]) -> list[sales.OrderLineInput]:
    return [sales.OrderLineInput(ln.item_id, ln.quantity, ln.price) for ln in lines]


@router.get(ORDERS + "/new")
def new_order_form(request: Request, _user: SalesClerk, s: ReadSession) -> Response:
    return render(request, dl.FORM_TEMPLATE, _form(s, None).context({}))


@router.post(ORDERS + "/new")
def create_order(request: Request, user: SalesClerk, form: Form, s: WriteSession) -> Response:
    def read(reader: FormReader, rows: int) -> tuple[dict[str, Any], list[dl.EnteredLine]]:
        contractor_id = reader.integer("contractor_id", required=True)
        fields = {
            "contractor_id": contractor_id,
            "warehouse_id": reader.integer("warehouse_id", required=True),
            "comment": reader.text("comment", max_length=2000),
            "partner_id": dl.partner_of(s, reader, contractor_id),
        }
        return fields, dl.read_lines(s, reader, rows=rows, price=dl.PRICE_OPTIONAL)

    def save(fields: dict[str, Any], lines: list[dl.EnteredLine]) -> str:
        order = sales.create_customer_order(s, user_id=user.user_id, lines=_order_lines(lines), **fields)
        return f"{dc.PREFIX}{ORDERS}/{order.id}?notice=created"

    return dl.submit_form(FormReader(form), lambda rows: _form(s, None, rows), read, save)


@router.get(ORDERS + "/{doc_id:int}/edit")
def edit_order_form(request: Request, doc_id: int, _user: SalesClerk, s: ReadSession) -> Response:
    order = sales.get_customer_order(s, doc_id)
    assert_draft(order)
    values = {
        "dealer": dr.contractor_name(s, order.contractor_id),
        "warehouse_id": str(order.warehouse_id),
        "comment": order.comment or "",
        **dl.line_values(s, order.lines, price=True),
    }
    return render(request, dl.FORM_TEMPLATE, _form(s, doc_id, dl.edit_rows(len(order.lines))).context(values))


@router.post(ORDERS + "/{doc_id:int}/edit")
def update_order(request: Request, doc_id: int, user: SalesClerk, form: Form, s: WriteSession) -> Response:
    order = sales.get_customer_order(s, doc_id)
    reader = FormReader(form)
    reader.values["dealer"] = dr.contractor_name(s, order.contractor_id)

    def read(reader: FormReader, rows: int) -> tuple[dict[str, Any], list[dl.EnteredLine]]:
        fields = {
            "warehouse_id": reader.integer("warehouse_id", required=True),
            "comment": reader.text("comment", max_length=2000) or "",
        }
        return fields, dl.read_lines(s, reader, rows=rows, price=dl.PRICE_OPTIONAL)

    def save(fields: dict[str, Any], lines: list[dl.EnteredLine]) -> str:
        sales.update_customer_order(s, doc_id, user_id=user.user_id, lines=_order_lines(lines), **fields)
        return f"{dc.PREFIX}{ORDERS}/{doc_id}?notice=saved"

    return dl.submit_form(reader, lambda rows: _form(s, doc_id, rows), read, save)
