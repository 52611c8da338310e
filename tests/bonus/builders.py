"""A small world for the bonus tests: a dealer with an agreement, items of two brands in a group
tree, stock, programs made through the real use case, and sales posted on chosen dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from dealerhub.core import bonus, sales
from dealerhub.core.bonus.models import BonusEntry
from dealerhub.core.db import CoreBase
from dealerhub.core.partners.models import Contractor
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests import factories as f

D = Decimal
BONUS_TABLES = (
    "bonus_programs", "bonus_tiers", "bonus_targets", "bonus_participants", "bonus_entries", "bonus_order_lines",
    "customer_orders", "customer_order_lines", "audit_records", "reservation_moves",
)


@dataclass(frozen=True)
class World:
    partner_id: int
    contractor_id: int
    other_partner_id: int
    manager_id: int
    warehouse_id: int
    brand_id: int  # XCMG-like: the program's brand
    other_brand_id: int
    root_group_id: int  # "Spare parts"
    sub_group_id: int  # "Filters", under it
    other_group_id: int
    items: dict[str, int]  # "A": brand, sub group, 100.00; "B": other brand, sub group, 250.00;
    # "C": other brand, other group, 40.00
    agreement_id: int
    price_type_id: int


def make_world(db: Database) -> World:
    with db.transaction() as s:
        partner, contractor = f.dealer(s)
        other, _ = f.dealer(s)
        manager = f.staff(s)
        wh = f.warehouse(s)
        pt = f.price_type(s)
        brand, other_brand = f.brand(s), f.brand(s)
        root = f.group(s, name="Spare parts")
        sub = f.group(s, parent=root, name="Filters")
        elsewhere = f.group(s, name="Fluids")
        items = {}
        for key, grp, br, price in (("A", sub, brand, "100.00"), ("B", sub, other_brand, "250.00"), ("C", elsewhere, other_brand, "40.00")):
            it = f.item(s, grp=grp)
            it.brand_id = br.id
            f.price(s, it, pt, price)
            f.put_stock(s, it, wh, "1000")
            items[key] = it.id
        ag = f.agreement(s, partner, pt)
        f.agreement(s, other, pt)
        s.flush()
        return World(
            partner.id, contractor.id, other.id, manager.id, wh.id, brand.id, other_brand.id, root.id, sub.id,
            elsewhere.id, items, ag.id, pt.id,
        )


TIERS = (bonus.Tier(D("1000.00"), D("3")), bonus.Tier(D("2000.00"), D("5")))


def turnover_program(db: Database, **fields) -> int:
    data = {
        "code": "Q-BONUS", "name": "Quarterly bonus", "kind": "turnover", "period": "quarter",
        "valid_from": date(2026, 1, 1), "tiers": TIERS,
    } | fields
    with db.transaction() as s:
        return bonus.create_program(s, bonus.ProgramInput(**data), user_id=None).id


def sell(db: Database, w: World, at: datetime, quantities: dict[str, str], *, partner_id: int | None = None) -> int:
    """An order of these items shipped in full by a sale dated `at`; returns the sale's id."""
    clock.freeze(at)
    partner_id = partner_id or w.partner_id
    with db.transaction() as s:
        contractor = w.contractor_id if partner_id == w.partner_id else s.scalar(select(Contractor.id).where(Contractor.partner_id == partner_id))
        order = sales.create_customer_order(
            s, user_id=None, partner_id=partner_id, contractor_id=contractor, warehouse_id=w.warehouse_id,
            lines=[sales.OrderLineInput(w.items[k], D(q)) for k, q in quantities.items()],
        )
        sales.submit_customer_order(s, order.id, user_id=None)
        sales.approve_customer_order(s, order.id, user_id=w.manager_id)
        task = sales.create_picking_task(s, order.id, user_id=w.manager_id)
        sales.post_picking_task(s, task.id, user_id=w.manager_id)
        sale = sales.create_sale(s, task.id, user_id=w.manager_id)
        sales.post_sale(s, sale.id, user_id=w.manager_id)
        return sale.id


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def entries(db: Database, partner_id: int) -> list[tuple]:
    """(kind, amount, period start, turnover, percent, order id, cause) of the partner's entries."""
    with db.session() as s:
        rows = s.execute(
            select(
                BonusEntry.kind, BonusEntry.amount, BonusEntry.period_start, BonusEntry.turnover,
                BonusEntry.percent, BonusEntry.order_id, BonusEntry.cause,
            )
            .where(BonusEntry.partner_id == partner_id)
            .order_by(BonusEntry.id)
        )
        return [tuple(r) for r in rows]


def counts(db: Database) -> dict[str, int]:
    tables = CoreBase.metadata.tables
    with db.session() as s:
        return {name: s.scalar(select(func.count()).select_from(tables[name])) for name in BONUS_TABLES}


def earn_balance(db, w, *, cap="30", usable=True) -> int:
    """For the carts world (tests.carts.builders): a quarterly program of 10 % from the first rouble,
    10 pieces sold in Q1 (1000.00), reconciled in Q2 (the clock stays on 2026-04-02): a balance
    of 100.00 in it."""
    clock.freeze(utc(2026, 2, 1, 9))
    with db.transaction() as s:
        program = bonus.create_program(
            s,
            bonus.ProgramInput(
                code="Q", name="Quarterly bonus", kind="turnover", period="quarter", valid_from=date(2026, 1, 1),
                tiers=[bonus.Tier(D(0), D(10))], usable_in_orders=usable, order_cap_percent=D(cap) if usable else D(0),
            ),
            user_id=None,
        ).id
        order = sales.create_customer_order(
            s, user_id=None, partner_id=w.partner_id, contractor_id=w.contractor_id, warehouse_id=w.other,
            lines=[sales.OrderLineInput(w.piece, D(10))],
        )
        sales.submit_customer_order(s, order.id, user_id=None)
        sales.approve_customer_order(s, order.id, user_id=w.user_id)
        task = sales.create_picking_task(s, order.id, user_id=w.user_id)
        sales.post_picking_task(s, task.id, user_id=w.user_id)
        sale = sales.create_sale(s, task.id, user_id=w.user_id)
        sales.post_sale(s, sale.id, user_id=w.user_id)
    clock.freeze(utc(2026, 4, 2, 9))
    with db.transaction() as s:
        bonus.reconcile(s, [w.partner_id])
        assert bonus.balances(s, w.partner_id) == {program: D("100.00")}
    return program
