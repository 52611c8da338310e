"""Reservations held by cart lines: Holder("cart", cart id, line id), with an expiry.

Built on stock.reserve_many()/release(): the locked, guarded balance update there is what keeps a
reservation within free stock however many dealers reserve at once. A cart line's reservations are
on one warehouse, the one the dealer chose among the agreement's priority warehouses; they last the
agreement's reservation lifetime, may be prolonged to that lifetime from now, and when they run out
the sweeper (`dealerhub stock expire-reservations`, the server's background sweep) or the next
reserver who needs the goods releases them. The line keeps its warehouse, which is how the cart
shows the reservation as expired; a release by the dealer clears it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.carts import rules
from dealerhub.core.carts.errors import (
    CartLineNotFound,
    InvalidCartInput,
    NothingReserved,
    ReservationExpired,
    WarehouseNotOfAgreement,
)
from dealerhub.core.carts.locking import lock_cart, touch
from dealerhub.core.carts.models import CART_HOLDER, Cart
from dealerhub.core.carts.queries import (
    active_cart_reservations,
    agreement_today,
    cart_reservations,
    item_facts,
    priority_warehouses,
)
from dealerhub.core.catalog.models import Item
from dealerhub.core.stock import (
    DocRef,
    Holder,
    InsufficientStock,
    ReserveRequest,
    Shortage,
    release,
    reserve_many,
)
from dealerhub.core.stock.models import Reservation
from dealerhub.shared import clock
from dealerhub.shared.texts import T

ZERO = Decimal(0)


@dataclass(frozen=True)
class LineReserved:
    line_id: int
    item_id: int
    asked: Decimal
    reserved: Decimal  # what the line holds on the warehouse now

    @property
    def short(self) -> Decimal:
        return self.asked - self.reserved


def doc_of(cart: Cart) -> DocRef:
    return DocRef(CART_HOLDER, cart.id)


def reserve_lines(
    s: Session,
    cart_id: int,
    *,
    partner_id: int,
    user_id: int | None,
    warehouse_id: int,
    line_ids: Iterable[int] | None = None,
) -> list[LineReserved]:
    """Reserve the lines (all by default) on a priority warehouse of the dealer's agreement, each
    as much of its quantity as is free; the lines' reservations then all end at the same time, the
    agreement's reservation lifetime from now. A line reserved on another warehouse moves here.
    Raises InsufficientStock (nothing changes) if nothing at all could be reserved."""
    cart = lock_cart(s, cart_id, partner_id)
    agreement = agreement_today(s, partner_id)
    allowed = {w.id: w for w in priority_warehouses(s, agreement)}
    if warehouse_id not in allowed:
        raise WarehouseNotOfAgreement(
            T("reserve on one of your agreement's priority warehouses"), warehouse_id=warehouse_id
        )
    lines = _chosen(cart, line_ids)
    now = clock.now()
    expires_at = rules.reservation_expiry(now, agreement.reservation_hours, agreement.valid_to)
    held = active_cart_reservations(s, cart.id, [ln.id for ln in lines])
    kept: dict[int, Decimal] = {}
    for r in held:
        if r.warehouse_id == warehouse_id and _running(r, now):
            kept[r.holder_line_id] = kept.get(r.holder_line_id, ZERO) + r.quantity
        else:
            release(s, r, doc=doc_of(cart), reason="release" if _running(r, now) else "expire")
    wants = sorted(
        ((ln, ln.quantity - kept.get(ln.id, ZERO)) for ln in lines), key=lambda pair: (pair[0].item_id, pair[0].id)
    )
    wants = [(ln, q) for ln, q in wants if q > 0]
    granted = reserve_many(
        s,
        [ReserveRequest(ln.item_id, warehouse_id, q, Holder(CART_HOLDER, cart.id, ln.id)) for ln, q in wants],
        doc=doc_of(cart),
        expires_at=expires_at,
        partial=True,
    ) if wants else []
    got = {ln.id: g for (ln, _q), (g, _rid) in zip(wants, granted, strict=True)}
    if wants and not any(got.values()) and not kept:
        articles = _articles(s, [ln.item_id for ln, _q in wants])  # the refusal names what the dealer knows
        warehouse = allowed[warehouse_id]
        raise InsufficientStock([
            Shortage(ln.item_id, warehouse_id, q, ZERO, article=articles.get(ln.item_id),
                     warehouse=f"{warehouse.code} · {warehouse.name}")
            for ln, q in wants
        ])  # fmt: skip
    _set_expiry(s, cart.id, [ln.id for ln in lines], expires_at)
    for ln in lines:
        ln.warehouse_id = warehouse_id
    touch(s, cart)
    result = [LineReserved(ln.id, ln.item_id, ln.quantity, kept.get(ln.id, ZERO) + got.get(ln.id, ZERO)) for ln in lines]
    record_change(
        s, user_id=user_id, entity_type="cart", entity_id=cart.id, action="reserve",
        warehouse_id=warehouse_id, until=expires_at.isoformat(),
        lines=[[r.item_id, str(r.asked), str(r.reserved)] for r in result],
    )
    return result


def prolong_lines(
    s: Session, cart_id: int, *, partner_id: int, user_id: int | None, line_ids: Iterable[int] | None = None
) -> datetime:
    """Prolong the lines' running reservations to the agreement's reservation lifetime from now;
    returns the new end. A reservation that already ran out can't be prolonged (ReservationExpired:
    reserve again); lines with no reservation are refused too (NothingReserved)."""
    cart = lock_cart(s, cart_id, partner_id)
    agreement = agreement_today(s, partner_id)
    lines = _chosen(cart, line_ids)
    now = clock.now()
    held = active_cart_reservations(s, cart.id, [ln.id for ln in lines])
    running = {r.holder_line_id for r in held if _running(r, now)}
    facts = item_facts(s, [ln.item_id for ln in lines])
    # Asked for lines: each must hold a running reservation. The whole cart: whatever runs.
    must = [ln for ln in lines if ln.id not in running] if line_ids is not None or not running else []
    must.sort(key=lambda ln: ln.warehouse_id is None)  # an expired one says more than "not reserved"
    for ln in must:
        article = facts[ln.item_id].article
        if ln.warehouse_id is None:
            raise NothingReserved(T("%(article)s is not reserved", article=article), line_id=ln.id)
        ended = max((r.expires_at for r in cart_reservations(s, cart.id, [ln.id]) if r.expires_at), default=None)
        if ended is None:
            raise ReservationExpired(T("%(article)s: the reservation ran out; reserve it again", article=article), line_id=ln.id)
        raise ReservationExpired(
            T(
                "%(article)s: the reservation ran out at %(time)s UTC; reserve it again",
                article=article, time=ended.strftime("%Y-%m-%d %H:%M"),
            ),
            line_id=ln.id,
        )
    if not running:
        raise NothingReserved(T("nothing in this cart is reserved"))
    expires_at = rules.reservation_expiry(now, agreement.reservation_hours, agreement.valid_to)
    _set_expiry(s, cart.id, sorted(running), expires_at)
    touch(s, cart)
    record_change(
        s, user_id=user_id, entity_type="cart", entity_id=cart.id, action="prolong",
        until=expires_at.isoformat(), lines=sorted(running),
    )
    return expires_at


def release_by_dealer(
    s: Session, cart_id: int, *, partner_id: int, user_id: int | None, line_ids: Iterable[int] | None = None
) -> Decimal:
    """The dealer lets the lines' reservations go; returns the quantity released."""
    cart = lock_cart(s, cart_id, partner_id)
    lines = _chosen(cart, line_ids)
    released = release_lines(s, cart, [ln.id for ln in lines])
    had_warehouse = [ln for ln in lines if ln.warehouse_id is not None]
    if not released and not had_warehouse:
        raise NothingReserved(T("nothing to release: these lines are not reserved"))
    for ln in lines:
        ln.warehouse_id = None
    touch(s, cart)
    record_change(
        s, user_id=user_id, entity_type="cart", entity_id=cart.id, action="release",
        quantity=str(released), lines=[ln.id for ln in lines],
    )
    return released


def release_lines(s: Session, cart: Cart, line_ids: Iterable[int], keep: dict[int, Decimal] | None = None) -> Decimal:
    """Release what the lines hold (beyond `keep[line]`, newest reservation first); returns the
    quantity released. Used by the use cases that change lines."""
    keep = keep or {}
    now = clock.now()
    total = ZERO
    held = active_cart_reservations(s, cart.id, line_ids)
    by_line: dict[int, list[Reservation]] = {}
    for r in held:
        by_line.setdefault(r.holder_line_id, []).append(r)
    for line_id in sorted(by_line):
        reservations = sorted(by_line[line_id], key=lambda r: r.id, reverse=True)
        excess = sum((r.quantity for r in reservations), ZERO) - keep.get(line_id, ZERO)
        for r in reservations:
            if excess <= 0:
                break
            qty = min(excess, r.quantity)
            done = release(s, r, doc=doc_of(cart), reason="release" if _running(r, now) else "expire", quantity=qty)
            excess -= done
            total += done
    return total


def rehold(s: Session, source: Cart, line_id: int, target: Cart, target_line_id: int) -> Decimal:
    """Move a line's reservations to a line of another cart: released and reserved again in this
    transaction, on the same warehouse with the same expiry, while the balance rows stay locked
    (nobody can take the goods in between)."""
    moved = ZERO
    for r in active_cart_reservations(s, source.id, [line_id]):
        qty, expires_at = r.quantity, r.expires_at
        release(s, r, doc=doc_of(target), reason="release")
        reserve_many(
            s,
            [ReserveRequest(r.item_id, r.warehouse_id, qty, Holder(CART_HOLDER, target.id, target_line_id))],
            doc=doc_of(target),
            expires_at=expires_at,
        )
        moved += qty
    return moved


@dataclass(frozen=True)
class LineHold:
    """What a cart line holds, as the cart shows it."""

    warehouse_id: int | None
    reserved: Decimal  # running reservations
    expires_at: datetime | None  # when the running reservations end
    expired: bool  # the line was reserved and its reservation ran out
    expired_at: datetime | None


def line_holds(s: Session, cart: Cart) -> dict[int, LineHold]:
    now = clock.now()
    all_held = cart_reservations(s, cart.id)
    by_line: dict[int, list[Reservation]] = {}
    for r in all_held:
        by_line.setdefault(r.holder_line_id, []).append(r)
    holds = {}
    for line in cart.lines:
        mine = by_line.get(line.id, [])
        running = [r for r in mine if r.quantity > 0 and _running(r, now)]
        reserved = sum((r.quantity for r in running), ZERO)
        ends = min((r.expires_at for r in running if r.expires_at), default=None)
        expired = line.warehouse_id is not None and not running
        expired_at = max((r.expires_at for r in mine if r.expires_at and r.expires_at <= now), default=None)
        holds[line.id] = LineHold(line.warehouse_id, reserved, ends, expired, expired_at if expired else None)
    return holds


def _running(r: Reservation, now: datetime) -> bool:
    return r.expires_at is None or r.expires_at > now


def _set_expiry(s: Session, cart_id: int, line_ids: list[int], expires_at: datetime) -> None:
    if not line_ids:
        return
    s.execute(
        update(Reservation)
        .where(
            Reservation.holder_type == CART_HOLDER,
            Reservation.holder_id == cart_id,
            Reservation.holder_line_id.in_(line_ids),
            Reservation.quantity > 0,
        )
        .values(expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )
    for obj in list(s.identity_map.values()):
        if isinstance(obj, Reservation):
            s.expire(obj, ["expires_at"])


def _chosen(cart: Cart, line_ids: Iterable[int] | None):
    if line_ids is None:
        lines = list(cart.lines)
        if not lines:
            raise InvalidCartInput(T("the cart is empty"))
        return lines
    by_id = {ln.id: ln for ln in cart.lines}
    chosen = []
    for line_id in sorted(set(line_ids)):
        if line_id not in by_id:
            raise CartLineNotFound(T("the line is not in cart «%(cart)s» any more", cart=cart.name), line_id=line_id)
        chosen.append(by_id[line_id])
    return chosen


def _articles(s: Session, item_ids: list[int]) -> dict[int, str]:
    return {item_id: article for item_id, article in s.execute(select(Item.id, Item.article).where(Item.id.in_(item_ids)))}
