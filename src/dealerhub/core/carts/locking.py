"""The cart's row: locked first by every change of a cart, its version raised after the change."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dealerhub.core.carts.errors import CartNotFound
from dealerhub.core.carts.models import Cart
from dealerhub.shared import clock
from dealerhub.shared.texts import T


def lock_cart(s: Session, cart_id: int, partner_id: int) -> Cart:
    """The dealer's cart with its row locked (FOR UPDATE on PostgreSQL; SQLite writers are
    serialized). Lock order: the cart row, then the stock balance rows in (item, warehouse) order.
    Another dealer's cart is not found."""
    cart = s.scalar(
        select(Cart).where(Cart.id == cart_id).with_for_update().execution_options(populate_existing=True)
    )
    if cart is None or cart.partner_id != partner_id:
        raise CartNotFound(T("the cart is not found: it may have been deleted"), cart_id=cart_id)
    s.refresh(cart, ["lines"])
    return cart


def touch(s: Session, cart: Cart) -> None:
    """The cart changed: a new version (what tells a stale submit apart)."""
    s.flush()
    s.execute(
        update(Cart)
        .where(Cart.id == cart.id)
        .values(version=Cart.version + 1, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    s.refresh(cart, ["version", "updated_at"])
