"""Use cases of the carts: create, rename, delete, put items in, change and remove lines, move
lines between carts, repeat an order into a cart. Each takes the cart's row lock first (queries.
lock_cart), scopes it to the dealer (another dealer's cart is not found) and raises the cart's
version, so a submit can tell the cart changed under the dealer's eyes. Nothing of a refused
operation is written; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.carts import rules
from dealerhub.core.carts.errors import CartLineNotFound, CartNameTaken, InvalidCartInput
from dealerhub.core.carts.holds import rehold, release_lines
from dealerhub.core.carts.locking import lock_cart, touch
from dealerhub.core.carts.models import Cart, CartLine
from dealerhub.core.carts.queries import agreement_or_none, item_facts, prices_today
from dealerhub.shared import clock
from dealerhub.shared.texts import T

ENTITY = "cart"


@dataclass(frozen=True)
class ItemQuantity:
    item_id: int
    quantity: Decimal


def create_cart(s: Session, *, partner_id: int, user_id: int | None, name: str) -> Cart:
    name = rules.clean_name(name)
    _require_free_name(s, partner_id, name, None)
    cart = Cart(partner_id=partner_id, name=name, version=1, created_by=user_id)
    s.add(cart)
    s.flush()
    record_change(s, user_id=user_id, entity_type=ENTITY, entity_id=cart.id, action="create", name=name)
    return cart


def rename_cart(s: Session, cart_id: int, *, partner_id: int, user_id: int | None, name: str) -> Cart:
    cart = lock_cart(s, cart_id, partner_id)
    name = rules.clean_name(name)
    _require_free_name(s, partner_id, name, cart.id)
    old = cart.name
    cart.name = name
    touch(s, cart)
    record_change(s, user_id=user_id, entity_type=ENTITY, entity_id=cart.id, action="rename", old=old, new=name)
    return cart


def delete_cart(s: Session, cart_id: int, *, partner_id: int, user_id: int | None) -> None:
    """Delete the cart and its lines; what its lines reserved goes back to free stock."""
    cart = lock_cart(s, cart_id, partner_id)
    release_lines(s, cart, [line.id for line in cart.lines])
    name = cart.name
    s.execute(delete(CartLine).where(CartLine.cart_id == cart.id))
    s.execute(delete(Cart).where(Cart.id == cart.id))
    s.expunge(cart)
    record_change(s, user_id=user_id, entity_type=ENTITY, entity_id=cart_id, action="delete", name=name)


def add_items(
    s: Session, cart_id: int, *, partner_id: int, user_id: int | None, items: Sequence[ItemQuantity], cause: str = "add"
) -> Cart:
    """Put items in the cart: a line per item, an item already there gets the quantity added.
    Every item and quantity is checked first; one bad one refuses all."""
    cart = lock_cart(s, cart_id, partner_id)
    _add(s, cart, items)
    touch(s, cart)
    record_change(
        s, user_id=user_id, entity_type=ENTITY, entity_id=cart.id, action=cause,
        items=[[i.item_id, str(i.quantity)] for i in items],
    )
    return cart


def set_quantity(
    s: Session, cart_id: int, line_id: int, *, partner_id: int, user_id: int | None, quantity: Decimal | str
) -> Cart:
    """Change a line's quantity; what it reserves beyond the new quantity is released."""
    cart = lock_cart(s, cart_id, partner_id)
    line = _line(cart, line_id)
    quantity = rules.parse_quantity(quantity)
    fact = item_facts(s, [line.item_id])[line.item_id]
    problem = rules.quantity_problem(quantity, fact.precision, fact.unit)
    if problem:
        raise InvalidCartInput(T("%(article)s: %(problem)s", article=fact.article, problem=problem), line_id=line_id)
    old = line.quantity
    line.quantity = quantity
    line.price = prices_today(s, agreement_or_none(s, partner_id), [line.item_id])[line.item_id]
    if quantity < old:
        release_lines(s, cart, [line.id], keep={line.id: quantity})
    touch(s, cart)
    record_change(
        s, user_id=user_id, entity_type=ENTITY, entity_id=cart.id, action="set_quantity",
        item_id=line.item_id, old=str(old), new=str(quantity),
    )
    return cart


def remove_lines(s: Session, cart_id: int, line_ids: Iterable[int], *, partner_id: int, user_id: int | None) -> Cart:
    cart = lock_cart(s, cart_id, partner_id)
    ids = sorted(set(line_ids))
    lines = [_line(cart, i) for i in ids]
    release_lines(s, cart, ids)
    for line in lines:
        cart.lines.remove(line)
    touch(s, cart)
    record_change(
        s, user_id=user_id, entity_type=ENTITY, entity_id=cart.id, action="remove", items=[ln.item_id for ln in lines]
    )
    return cart


@dataclass(frozen=True)
class MoveResult:
    moved: int
    merged: int
    # Reservations let go because the target line is reserved on another warehouse.
    released: Decimal


def move_lines(
    s: Session, cart_id: int, line_ids: Iterable[int], *, to_cart_id: int, partner_id: int, user_id: int | None
) -> MoveResult:
    """Move lines to another cart of the dealer; an item already there gets the quantity added.
    Reservations move with their lines (same warehouse, same expiry); if the target line is
    reserved on another warehouse, the moved line's reservation is released instead."""
    if to_cart_id == cart_id:
        raise InvalidCartInput(T("the lines are already in this cart"))
    first, second = sorted((cart_id, to_cart_id))  # two carts are always locked in id order
    locked = {c: lock_cart(s, c, partner_id) for c in (first, second)}
    source, target = locked[cart_id], locked[to_cart_id]
    ids = sorted(set(line_ids))
    if not ids:
        raise InvalidCartInput(T("choose the lines to move"))
    lines = [_line(source, i) for i in ids]
    by_item = {ln.item_id: ln for ln in target.lines}
    merged, released = 0, Decimal(0)
    s.flush()
    for line in lines:
        into = by_item.get(line.item_id)
        if into is None:
            into = CartLine(
                item_id=line.item_id, quantity=line.quantity, price=line.price,
                warehouse_id=line.warehouse_id, added_at=line.added_at,
            )
            target.lines.append(into)
            by_item[line.item_id] = into
            s.flush()
        else:
            into.quantity += line.quantity
            merged += 1
            if into.warehouse_id is None:
                into.warehouse_id = line.warehouse_id
        if line.warehouse_id is not None and into.warehouse_id == line.warehouse_id:
            rehold(s, source, line.id, target, into.id)
        else:
            released += release_lines(s, source, [line.id])
    for line in lines:
        source.lines.remove(line)
    touch(s, source)
    touch(s, target)
    details = {"items": [ln.item_id for ln in lines], "to_cart_id": target.id, "from_cart_id": source.id}
    record_change(s, user_id=user_id, entity_type=ENTITY, entity_id=source.id, action="move_out", **details)
    record_change(s, user_id=user_id, entity_type=ENTITY, entity_id=target.id, action="move_in", **details)
    return MoveResult(len(lines), merged, released)


def _add(s: Session, cart: Cart, items: Sequence[ItemQuantity]) -> None:
    if not items:
        raise InvalidCartInput(T("nothing to add"))
    facts = item_facts(s, [i.item_id for i in items])
    totals: dict[int, Decimal] = {}
    for entry in items:
        fact = facts.get(entry.item_id)
        if fact is None:
            raise InvalidCartInput(T("the item is not in the catalog"), item_id=entry.item_id)
        if not fact.is_active:
            raise InvalidCartInput(T("%(article)s is no longer sold", article=fact.article), item_id=entry.item_id)
        quantity = rules.parse_quantity(entry.quantity)
        problem = rules.quantity_problem(quantity, fact.precision, fact.unit)
        if problem:
            raise InvalidCartInput(T("%(article)s: %(problem)s", article=fact.article, problem=problem), item_id=entry.item_id)
        totals[entry.item_id] = totals.get(entry.item_id, Decimal(0)) + quantity
    prices = prices_today(s, agreement_or_none(s, cart.partner_id), totals)
    existing = {ln.item_id: ln for ln in cart.lines}
    now = clock.now()
    for item_id, quantity in totals.items():
        line = existing.get(item_id)
        if line is None:
            cart.lines.append(CartLine(item_id=item_id, quantity=quantity, price=prices[item_id], added_at=now))
        else:
            line.quantity += quantity
            line.price = prices[item_id]
    s.flush()


def _line(cart: Cart, line_id: int) -> CartLine:
    for line in cart.lines:
        if line.id == line_id:
            return line
    raise CartLineNotFound(T("the line is not in cart «%(cart)s» any more", cart=cart.name), line_id=line_id)


def _require_free_name(s: Session, partner_id: int, name: str, cart_id: int | None) -> None:
    taken = s.scalar(select(Cart.id).where(Cart.partner_id == partner_id, Cart.name == name))
    if taken is not None and taken != cart_id:
        raise CartNameTaken(T("you already have a cart named «%(name)s»", name=name), name=name)
