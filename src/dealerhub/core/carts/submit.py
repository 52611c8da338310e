"""Submitting a cart as a customer order, in two steps.

1. `preview_submit` re-reads today's prices and stock and lists the differences from what the cart
   showed (a price changed, not enough stock, a reservation on another warehouse or run out), with
   a fingerprint of the figures shown: the cart's version and a digest of them.
2. `submit_cart` takes that fingerprint back. Under the cart's lock it computes the preview again:
   if the cart's version moved, another user changed the cart (StaleCart); if only the figures
   moved, prices or stock changed meanwhile (SubmitPreviewOutdated). Either way nothing changes and
   the dealer reviews again. Otherwise the order is created and submitted (sales use cases), the
   lines' running reservations on the order's warehouse pass to the order's lines, the rest are
   released, and the cart is emptied.

Passing reservations to the order: each is released and made again for the order line, no expiry,
in this transaction; the balance rows stay locked from the release to the commit, so no one can
take the goods in between. Approval (sales.approve_customer_order) reserves only what a line does
not hold yet, so what the dealer reserved is what the order keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core import bonus
from dealerhub.core.audit import record_change
from dealerhub.core.carts import rules
from dealerhub.core.carts.errors import (
    CannotSubmit,
    StaleCart,
    SubmitPreviewOutdated,
    WarehouseNotOfAgreement,
)
from dealerhub.core.carts.holds import doc_of
from dealerhub.core.carts.locking import lock_cart, touch
from dealerhub.core.carts.models import Cart
from dealerhub.core.carts.queries import (
    active_cart_reservations,
    agreement_today,
    free_stock,
    get_cart,
    item_facts,
    prices_today,
    priority_warehouses,
)
from dealerhub.core.pricing import line_amount
from dealerhub.core.sales import OrderLineInput, create_customer_order, submit_customer_order
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.core.stock import DocRef, Holder, ReserveRequest, release, reserve_many
from dealerhub.shared import clock
from dealerhub.shared.texts import T

ZERO = Decimal(0)


@dataclass(frozen=True)
class PreviewLine:
    line_id: int
    item_id: int
    article: str
    quantity: Decimal
    seen_price: Decimal | None  # what the cart showed
    price: Decimal | None  # today's personal price; None: the item can't be ordered
    amount: Decimal
    reserved: Decimal  # running reservations on the order's warehouse: pass to the order
    free: Decimal  # free stock on the order's warehouse besides
    released: Decimal  # reservations elsewhere or run out: released on submit

    @property
    def available(self) -> Decimal:
        return self.reserved + max(self.free, ZERO)

    @property
    def short(self) -> Decimal:
        return max(ZERO, self.quantity - self.available)


@dataclass(frozen=True)
class Difference:
    line_id: int
    article: str
    kind: str  # price | no_price | short | released
    old: Decimal | None = None
    new: Decimal | None = None


@dataclass(frozen=True)
class SubmitPreview:
    cart_id: int
    warehouse_id: int
    contractor_id: int
    lines: list[PreviewLine]
    differences: list[Difference] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def total(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), ZERO)

    @property
    def blocked(self) -> bool:
        return any(d.kind == "no_price" for d in self.differences)


def preview_submit(s: Session, cart_id: int, *, partner_id: int, contractor_id: int, warehouse_id: int) -> SubmitPreview:
    return _preview(s, get_cart(s, cart_id, partner_id), contractor_id, warehouse_id)


def submit_cart(
    s: Session,
    cart_id: int,
    *,
    partner_id: int,
    user_id: int | None,
    contractor_id: int,
    warehouse_id: int,
    fingerprint: str,
    comment: str | None = None,
    bonus_program_id: int | None = None,
    bonus_amount: Decimal | None = None,
) -> CustomerOrder:
    """`bonus_amount` of the balance of `bonus_program_id`, if given, lowers the lines' prices
    (core.bonus.orders: up to the balance and the program's cap, exactly what is written off)."""
    cart = lock_cart(s, cart_id, partner_id)
    preview = _preview(s, cart, contractor_id, warehouse_id)
    if preview.fingerprint != fingerprint:
        if rules.fingerprint_version(fingerprint) != cart.version:
            raise StaleCart(
                T("cart «%(cart)s» was changed by another user since you reviewed it: review it again", cart=cart.name),
                cart_id=cart.id,
            )
        raise SubmitPreviewOutdated(
            T("prices or stock changed since you reviewed the order: review the differences again"), cart_id=cart.id
        )
    if preview.blocked:
        raise CannotSubmit(T("some lines have no price for you: remove them or ask your manager"), cart_id=cart.id)
    use = _bonus_use(s, preview, partner_id, bonus_program_id, bonus_amount)
    units = use.units if use else {}
    order = create_customer_order(
        s,
        user_id=user_id,
        partner_id=partner_id,
        contractor_id=contractor_id,
        warehouse_id=warehouse_id,
        lines=[
            OrderLineInput(ln.item_id, ln.quantity, ln.price - units[no] if no in units else None)
            for no, ln in enumerate(preview.lines, start=1)
        ],
        comment=(comment or "").strip() or f"{cart.name}",
    )
    if use is not None:
        bonus.record_use(s, order, use, user_id=user_id)
    submit_customer_order(s, order.id, user_id=user_id)
    _pass_reservations(s, cart, order, warehouse_id)
    for line in list(cart.lines):
        cart.lines.remove(line)
    touch(s, cart)
    record_change(
        s, user_id=user_id, entity_type="cart", entity_id=cart.id, action="submit",
        order_id=order.id, order_number=order.number,
    )
    return order


def _bonus_use(
    s: Session, preview: SubmitPreview, partner_id: int, program_id: int | None, amount: Decimal | None
) -> bonus.BonusUse | None:
    if not amount:
        return None
    if program_id is None:
        raise bonus.InvalidBonusUse(T("choose the program whose bonus pays for the order"))
    lines = [bonus.LineToLower(no, ln.quantity, ln.price or ZERO) for no, ln in enumerate(preview.lines, start=1)]
    return bonus.plan_use(s, partner_id=partner_id, program_id=program_id, amount=amount, lines=lines)


def _preview(s: Session, cart: Cart, contractor_id: int, warehouse_id: int) -> SubmitPreview:
    if not cart.lines:
        raise CannotSubmit(T("the cart is empty"), cart_id=cart.id)
    agreement = agreement_today(s, cart.partner_id)
    if warehouse_id not in {w.id for w in priority_warehouses(s, agreement)}:
        raise WarehouseNotOfAgreement(
            T("an order ships from one of your agreement's priority warehouses"), warehouse_id=warehouse_id
        )
    lines = sorted(cart.lines, key=lambda ln: ln.id)
    facts = item_facts(s, [ln.item_id for ln in lines])
    prices = prices_today(s, agreement, [ln.item_id for ln in lines])
    free = free_stock(s, [ln.item_id for ln in lines], [warehouse_id])
    now = clock.now()
    passing: dict[int, Decimal] = {}
    releasing: dict[int, Decimal] = {}
    for r in active_cart_reservations(s, cart.id):
        target = passing if r.warehouse_id == warehouse_id and (r.expires_at is None or r.expires_at > now) else releasing
        target[r.holder_line_id] = target.get(r.holder_line_id, ZERO) + r.quantity
    out, diffs = [], []
    for ln in lines:
        article = facts[ln.item_id].article
        price = prices.get(ln.item_id)
        reserved = min(passing.get(ln.id, ZERO), ln.quantity)
        pl = PreviewLine(
            ln.id, ln.item_id, article, ln.quantity, ln.price, price,
            line_amount(ln.quantity, price) if price is not None else ZERO,
            reserved, free.get((ln.item_id, warehouse_id), ZERO),
            releasing.get(ln.id, ZERO) + passing.get(ln.id, ZERO) - reserved,
        )
        out.append(pl)
        if price is None:
            diffs.append(Difference(ln.id, article, "no_price"))
        elif ln.price is not None and price != ln.price:
            diffs.append(Difference(ln.id, article, "price", ln.price, price))
        if pl.short > 0:
            diffs.append(Difference(ln.id, article, "short", ln.quantity, pl.available))
        if pl.released > 0:
            diffs.append(Difference(ln.id, article, "released", pl.released))
    seen = {
        "contractor": contractor_id,
        "warehouse": warehouse_id,
        "lines": [[p.line_id, p.item_id, p.quantity, p.price, p.reserved, p.free, p.released] for p in out],
    }
    return SubmitPreview(cart.id, warehouse_id, contractor_id, out, diffs, rules.fingerprint(cart.version, seen))


def _pass_reservations(s: Session, cart: Cart, order: CustomerOrder, warehouse_id: int) -> None:
    now = clock.now()
    order_lines = {ln.item_id: ln for ln in order.lines}  # one line per item, as in the cart
    by_line = {ln.id: ln for ln in cart.lines}
    passing: list[ReserveRequest] = []
    order_doc = DocRef(CustomerOrder.doc_type, order.id)
    left = {ln.id: ln.quantity for ln in cart.lines}
    for r in active_cart_reservations(s, cart.id):
        running = r.expires_at is None or r.expires_at > now
        line = by_line.get(r.holder_line_id)
        qty = r.quantity
        if line is not None and running and r.warehouse_id == warehouse_id and left[line.id] > 0:
            take = min(qty, left[line.id])
            left[line.id] -= take
            release(s, r, doc=order_doc, reason="release")
            order_line = order_lines[line.item_id]
            passing.append(
                ReserveRequest(r.item_id, warehouse_id, take, Holder(CustomerOrder.doc_type, order.id, order_line.id))
            )
        else:
            release(s, r, doc=doc_of(cart), reason="release" if running else "expire")
    if passing:
        reserve_many(s, sorted(passing, key=lambda p: (p.item_id, p.holder.holder_line_id)), doc=order_doc)
