"""The dealer's orders in the cabinet: submitting a cart (review of the differences, then the
confirmation carrying the review's fingerprint), the orders list, an order with its status
timeline and the manager's reasons, cancel before approval, repeat into a cart."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core import bonus, carts, claims, sales
from dealerhub.core.bonus.rules import order_cap
from dealerhub.core.cabinet.claims import CLAIM_STATUSES
from dealerhub.core.cabinet.deps import Buyer, own
from dealerhub.core.cabinet.matrix import scoped
from dealerhub.core.carts.queries import item_facts, item_names
from dealerhub.core.partners.models import Contractor
from dealerhub.core.sales.dealer_orders import DEALER_CANCELLABLE
from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T
from dealerhub.web.deps import Form, ReadSession, WriteSession, request_language
from dealerhub.web.forms import FormReader
from dealerhub.web.i18n import N_
from dealerhub.web.rendering import render

router = APIRouter()

# What the dealer reads for an order's status.
ORDER_STATUSES = {
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "awaiting_moderation": N_("under review by the manager"),
    "approved": N_("approved"),
    "picking": N_("being picked"),
    "partially_shipped": N_("partially shipped"),
    "shipped": N_("shipped"),
    "closed": N_("closed"),
    "cancelled": N_("cancelled"),
}


@router.get("/carts/{cart_id}/submit")
@scoped(cart_id="cart")
def submit_review(request: Request, cart_id: int, dealer: Buyer, s: ReadSession) -> Response:
    cart = carts.get_cart(s, cart_id, dealer.partner_id)
    contractors = s.scalars(own(Contractor, dealer).where(Contractor.is_active).order_by(Contractor.name)).all()
    warehouses = carts.priority_warehouses(s, carts.agreement_or_none(s, dealer.partner_id))
    contractor_id = _int(request.query_params.get("contractor_id")) or (contractors[0].id if contractors else 0)
    warehouse_id = _int(request.query_params.get("warehouse_id")) or (warehouses[0].id if warehouses else 0)
    preview, problem, spendable = None, None, []
    try:
        if contractor_id not in {c.id for c in contractors}:
            raise carts.InvalidCartInput(T("choose one of your legal entities"))
        preview = carts.preview_submit(
            s, cart_id, partner_id=dealer.partner_id, contractor_id=contractor_id, warehouse_id=warehouse_id
        )
        spendable = bonus_offers(s, dealer.partner_id, preview.total)
    except DomainError as refused:  # shown on the page: the cart can't be ordered as it is
        problem = refused.message
    return render(
        request,
        "cabinet/orders/review.html",
        {
            "cart": cart, "preview": preview, "problem": problem, "contractors": contractors,
            "warehouses": warehouses, "contractor_id": contractor_id, "warehouse_id": warehouse_id,
            "spendable": spendable,
        },
    )


@router.post("/carts/{cart_id}/submit")
@scoped(cart_id="cart")
def submit_confirm(request: Request, cart_id: int, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    carts.get_cart(s, cart_id, dealer.partner_id)
    reader = FormReader(form)
    amount = reader.decimal("bonus_amount")
    if "bonus_amount" in reader.errors:
        raise bonus.InvalidBonusUse(T("enter the bonus to apply as an amount in roubles, or leave it empty"))
    order = carts.submit_cart(
        s, cart_id, partner_id=dealer.partner_id, user_id=dealer.user_id,
        contractor_id=reader.integer("contractor_id") or 0, warehouse_id=reader.integer("warehouse_id") or 0,
        fingerprint=reader.text("fingerprint") or "", comment=reader.text("comment", max_length=500),
        bonus_program_id=reader.integer("bonus_program_id"), bonus_amount=amount,
    )
    return RedirectResponse(f"/cabinet/orders/{order.id}?notice=created", status_code=303)


@router.get("/orders")
@scoped()
def order_list(request: Request, dealer: Buyer, s: ReadSession) -> Response:
    rows, total = sales.list_dealer_orders(s, dealer.partner_id, limit=100)
    return render(
        request, "cabinet/orders/list.html", {"orders": rows, "total": total, "order_statuses": ORDER_STATUSES}
    )


@router.get("/orders/{order_id}")
@scoped(order_id="order")
def order_page(request: Request, order_id: int, dealer: Buyer, s: ReadSession) -> Response:
    order = sales.get_dealer_order(s, dealer.partner_id, order_id)
    ids = [ln.item_id for ln in order.lines]
    progress = {p.line_id: p for p in sales.get_order_progress(s, order.id)}
    return render(
        request,
        "cabinet/orders/order.html",
        {
            "order": order,
            "facts": item_facts(s, ids),
            "names": item_names(s, ids, request_language(request)),
            "progress": progress,
            "timeline": sales.order_timeline(s, order.id),
            "order_statuses": ORDER_STATUSES,
            "cancellable": order.status in DEALER_CANCELLABLE,
            "carts": carts.list_carts(s, dealer.partner_id),
            "contractor": s.scalar(select(Contractor.name).where(Contractor.id == order.contractor_id)),
            **_shipments(s, order.id),
            "paid_with_bonus": bonus.spent_on_order(s, order.id),
        },
    )


@router.post("/orders/{order_id}/cancel")
@scoped(order_id="order")
def order_cancel(request: Request, order_id: int, dealer: Buyer, s: WriteSession) -> Response:
    sales.cancel_by_dealer(s, order_id, partner_id=dealer.partner_id, user_id=dealer.user_id)
    return RedirectResponse(f"/cabinet/orders/{order_id}?notice=saved", status_code=303)


@router.post("/orders/{order_id}/repeat")
@scoped(order_id="order")
def order_repeat(request: Request, order_id: int, dealer: Buyer, form: Form, s: WriteSession) -> Response:
    sales.get_dealer_order(s, dealer.partner_id, order_id)
    reader = FormReader(form)
    cart_id = reader.integer("cart_id")
    if cart_id is None:
        order = sales.get_dealer_order(s, dealer.partner_id, order_id)
        cart_id = carts.create_cart(
            s, partner_id=dealer.partner_id, user_id=dealer.user_id, name=reader.text("new_cart") or f"{order.number}"
        ).id
    carts.repeat_order(s, order_id, cart_id, partner_id=dealer.partner_id, user_id=dealer.user_id)
    return RedirectResponse(f"/cabinet/carts/{cart_id}?notice=saved", status_code=303)


def _shipments(s: Session, order_id: int) -> dict[str, object]:
    """The order's posted sales with their lines, and the claims made on each line (a claim link each)."""
    shipped = [sale for sale in sales.list_sales(s, order_id) if sale.status == "posted"]
    line_ids = [line.id for sale in shipped for line in sale.lines]
    return {
        "shipments": shipped,
        "line_claims": claims.claims_of_sale_lines(s, line_ids),
        "claimed": claims.claimed_by_sale_line(s, line_ids),
        "claim_statuses": CLAIM_STATUSES,
    }
def bonus_offers(s, partner_id: int, total: Decimal) -> list[tuple[bonus.BonusProgram, Decimal, Decimal]]:
    """(program, balance, the most it may pay of this order) for each balance the dealer may spend."""
    return [
        (program, balance, min(balance, order_cap(total, program.order_cap_percent)))
        for program, balance in bonus.spendable(s, partner_id)
    ]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
