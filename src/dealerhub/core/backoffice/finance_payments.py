"""Incoming payments in the back office: the list, a payment with its settlement moves and audit
trail, post / unpost / cancel, and the form that records one (posted at once if asked)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core import settlements
from dealerhub.core.accounts import SessionUser
from dealerhub.core.backoffice import documents_actions as da
from dealerhub.core.backoffice import documents_common as dc
from dealerhub.core.backoffice import documents_registers as dr
from dealerhub.core.partners.models import Contractor, Partner
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.core.settlements.models import IncomingPayment, SettlementMove
from dealerhub.shared import clock
from dealerhub.shared.errors import DomainError
from dealerhub.web.deps import Form, ReadSession, WriteSession, require
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()
PERMISSION = "finance.documents"
PAYMENTS = "/finance/payments"
STATUSES = ("draft", "posted", "cancelled")
FORM = "backoffice/finance/payment_form.html"
Cashier = Annotated[SessionUser, Depends(require(PERMISSION))]


def settlement_move_table(s: Session, doc_type: str, doc_id: int) -> dc.Table:
    """The settlement moves a document wrote, oldest first."""
    moves = s.scalars(
        select(SettlementMove)
        .where(SettlementMove.document_type == doc_type, SettlementMove.document_id == doc_id)
        .order_by(SettlementMove.id)
    )
    rows = [
        [
            dc.Cell(m.occurred_at, "date"),
            dc.text(dr.contractor_name(s, m.contractor_id)),
            dc.money(m.amount if m.amount > 0 else None),
            dc.money(-m.amount if m.amount < 0 else None),
            dc.label_cell(N_("reversal")) if m.is_reversal else dc.text(""),
        ]
        for m in moves
    ]
    columns = [
        dc.Column(N_("Date")),
        dc.Column(N_("Legal entity")),
        dc.Column(N_("Debit"), "money"),
        dc.Column(N_("Credit"), "money"),
        dc.Column(""),
    ]
    return dc.Table("settlement-moves", N_("Settlements"), columns, rows)


def payment_view(s: Session, doc_id: int, user: SessionUser, lang: str) -> dc.DocumentView:
    doc = settlements.get_incoming_payment(s, doc_id)
    path = f"{dc.PREFIX}{PAYMENTS}/{doc.id}"
    actions = {
        "draft": [
            dc.Action("post", N_("Post"), f"{path}/post", "primary"),
            dc.Action("cancel", N_("Cancel the document"), f"{path}/cancel", "outline-danger"),
        ],
        "posted": [dc.Action("unpost", N_("Unpost"), f"{path}/unpost", "outline-danger")],
    }.get(doc.status, [])
    return dc.DocumentView(
        kind="incoming_payment",
        title=N_("Incoming payment"),
        number=doc.number,
        status=doc.status,
        list_path=dc.PREFIX + PAYMENTS,
        list_title=N_("Incoming payments"),
        fields=[
            dc.header(N_("Date"), doc.doc_date, "date"),
            dc.header(
                N_("Dealer"),
                dr.partner_names(s, [doc.partner_id]).get(doc.partner_id),
                href=f"{dc.PREFIX}/finance/settlements/{doc.partner_id}",
            ),
            dc.header(N_("Legal entity"), dr.contractor_name(s, doc.contractor_id)),
            dc.header(N_("Bank reference"), doc.bank_reference),
            dc.HeaderField(N_("Invoice (customer order)"), dr.related_cell(s, "customer_order", doc.customer_order_id)),
            dc.header(N_("Comment"), doc.comment),
            dc.header(N_("Author"), dr.user_names(s, [doc.author_id]).get(doc.author_id or 0)),
        ],
        totals=[dc.header(N_("Currency"), doc.currency), dc.header(N_("Amount"), doc.amount, "money")],
        registers=[settlement_move_table(s, "incoming_payment", doc.id)],
        audit=dr.audit_table(s, "incoming_payment", doc.id),
        actions=dc.actions_allowed(user, PERMISSION, actions),
    )


PAYMENT_LIST = dc.ListSpec(
    N_("Incoming payments"),
    PAYMENTS,
    STATUSES,
    lambda s, **kw: dr.page_of(s, IncomingPayment, **kw),
    dr.list_names,
    (dc.NUMBER, dc.DATE, dc.partner_column(N_("Dealer")), dc.STATUS, dc.money_total_column(lambda d: d.amount)),
    permission=PERMISSION,
    new_label=N_("Record a payment"),
)


def _contractor_options(s: Session) -> list[tuple[int, str]]:
    rows = s.execute(
        select(Contractor.id, Contractor.name, Contractor.inn, Partner.name)
        .join(Partner, Partner.id == Contractor.partner_id)
        .where(Partner.is_dealer, Contractor.is_active)
        .order_by(Partner.name, Contractor.name)
    )
    return [(cid, f"{partner} — {name} ({inn or '—'})") for cid, name, inn, partner in rows]


def _context(s: Session) -> dict[str, Any]:
    return {"contractors": _contractor_options(s)}


@router.get(PAYMENTS + "/new")
def new_payment(request: Request, _user: Cashier, s: ReadSession) -> Response:
    values = {"paid_on": clock.today().isoformat(), "post_now": "on"}
    return render(request, FORM, {**_context(s), "values": values})


@router.post(PAYMENTS + "/new")
def create_payment(request: Request, user: Cashier, form: Form, s: WriteSession) -> Response:
    reader = FormReader(form)
    contractor_id = reader.integer("contractor_id", required=True)
    paid_on = reader.date("paid_on", required=True)
    amount = reader.decimal("amount", required=True)
    reference = reader.text("bank_reference", required=True, max_length=100)
    invoice = reader.text("invoice_number", max_length=32)
    comment = reader.text("comment", max_length=1000)
    order_id = None
    if invoice:
        order_id = s.scalar(select(CustomerOrder.id).where(CustomerOrder.number == invoice.upper()))
        if order_id is None:
            reader.errors["invoice_number"] = N_("No customer order has this number.")
    if not reader.ok:
        raise reader.rejected(FORM, _context(s))
    try:
        with s.begin_nested():
            payment = settlements.create_incoming_payment(
                s, user_id=user.user_id, contractor_id=contractor_id, amount=Decimal(amount), paid_on=paid_on,
                bank_reference=reference, customer_order_id=order_id, comment=comment,
            )
            if reader.boolean("post_now"):
                settlements.post_incoming_payment(s, payment.id, user_id=user.user_id)
    except DomainError as error:
        raise reader.refused(FORM, _context(s), error, aliases={"customer_order_id": "invoice_number"}) from None
    return RedirectResponse(f"{dc.PREFIX}{PAYMENTS}/{payment.id}?notice=created", status_code=303)


da.add_pages(router, PAYMENT_LIST, payment_view, ("payment_list", "payment_page"))
for _key, _use_case in (
    ("post", settlements.post_incoming_payment),
    ("unpost", settlements.unpost_incoming_payment),
    ("cancel", settlements.cancel_incoming_payment),
):
    da.add_action(router, PAYMENTS, _key, PERMISSION, da.plain(_use_case), payment_view)
