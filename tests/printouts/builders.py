"""A dealer who ordered three items (VAT 20 %, 20 % and 10 %) from a distributor whose details are
entered, for the printed documents' tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from dealerhub.core import sales
from dealerhub.core.demo.own_company import seed_own_company
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests import factories as f
from tests.integration.sales_builders import World, posted_sale, posted_task

D = Decimal
# (price with VAT, VAT rate, quantity ordered)
LINES = (("1234.56", "20", "3"), ("99.99", "20", "7"), ("500.00", "10", "2"))
ORDERED_AT = datetime(2026, 3, 31, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Ordered:
    world: World
    order_id: int
    order_number: str


def ordered(db: Database, *, company: bool = True) -> Ordered:
    clock.freeze(ORDERED_AT)
    with db.transaction() as s:
        if company:
            seed_own_company(s)
        partner, contractor = f.dealer(s, "Стройтехника")
        contractor.name = "ООО «Стройтехника»"
        contractor.legal_address = "г. Казань, ул. Баумана, д. 5"
        manager = f.staff(s)
        wh = f.warehouse(s)
        pt = f.price_type(s)
        items = []
        for n, (price, rate, qty) in enumerate(LINES, start=1):
            it = f.item(s, article=f"ART-{n}", name=f"Фильтр {n}", vat_rate=D(rate))
            f.price(s, it, pt, price)
            f.put_stock(s, it, wh, "10")
            items.append((it.id, D(qty)))
        ag = f.agreement(s, partner, pt)
        order = sales.create_customer_order(
            s, user_id=None, partner_id=partner.id, contractor_id=contractor.id, warehouse_id=wh.id,
            lines=[sales.OrderLineInput(item_id, qty) for item_id, qty in items], agreement_id=ag.id,
        )
        sales.submit_customer_order(s, order.id, user_id=None)
        sales.approve_customer_order(s, order.id, user_id=manager.id)
        w = World(partner.id, contractor.id, manager.id, wh.id, tuple(i for i, _ in items), ag.id)
        return Ordered(w, order.id, order.number)


def shipped(db: Database, o: Ordered) -> int:
    """The whole order shipped: the id of its posted sale."""
    return posted_sale(db, o.world, posted_task(db, o.world, o.order_id))
