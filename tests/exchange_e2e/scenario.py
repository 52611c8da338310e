"""A busy day at one WMS warehouse, for the crash test and the bench: a core with items on stock,
posted picking tasks (their ORDERS wait in the outbox), and thousands of messages from the WMS
(INVENTORY, MOVEMENT, PACKAGING, DESPATCH) written into the exchange as the WMS writes them —
with what each of them must do to the core's registers, so a run can be checked exactly."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select

from dealerhub.core import sales
from dealerhub.core.catalog.models import Item
from dealerhub.core.warehouses import set_defect_warehouse
from dealerhub.exchange.contracts import (
    DespatchLine,
    DespatchV1,
    InventoryLine,
    InventoryV1,
    Message,
    MovementLine,
    MovementV1,
    PackagingItem,
    PackagingV1,
    build_message,
    decimal_text,
)
from dealerhub.shared.db import Database
from tests import factories as f

D = Decimal
AT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
MAIN_STOCK = D(1_000_000)
DEFECT_STOCK = D(10_000)


@dataclass
class Day:
    main_id: int
    defect_id: int
    item_ids: dict[str, int]  # code -> id
    tasks: list[tuple[str, list[tuple[int, str, Decimal]]]] = field(default_factory=list)  # number, lines
    messages: list[Message] = field(default_factory=list)
    # (item code, "main" | "defect") -> expected change of the balance
    change: Counter = field(default_factory=Counter)
    corrections: int = 0
    transfers: int = 0
    sales: int = 0
    weights: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def open_day(db: Database, *, items: int = 40, tasks: int = 100) -> Day:
    """Items on stock at warehouse MSK (its defect warehouse linked), `tasks` approved orders with
    posted picking tasks (each sends ORDERS through the outbox)."""
    with db.transaction() as s:
        partner, contractor = f.dealer(s)
        manager = f.staff(s)
        main, defect = f.warehouse(s, wms_code="MSK"), f.warehouse(s, kind="defect")
        set_defect_warehouse(s, main.id, user_id=None, defect_warehouse_id=defect.id)
        price_type = f.price_type(s)
        group, unit = f.group(s), f.unit(s)
        made = []
        for _ in range(items):
            item = f.item(s, grp=group, u=unit)
            f.price(s, item, price_type, "10.00")
            f.put_stock(s, item, main, str(MAIN_STOCK))
            f.put_stock(s, item, defect, str(DEFECT_STOCK))
            made.append(item)
        agreement = f.agreement(s, partner, price_type)
        day = Day(main.id, defect.id, {item.code: item.id for item in made})
        ids = (partner.id, contractor.id, manager.id, agreement.id)
    codes = list(day.item_ids)
    rng = random.Random(7)
    for _ in range(tasks):
        chosen = rng.sample(codes, 2)
        quantities = [D(rng.randint(1, 5)) for _ in chosen]
        with db.transaction() as s:
            order = sales.create_customer_order(
                s, user_id=None, partner_id=ids[0], contractor_id=ids[1], warehouse_id=main.id,
                lines=[sales.OrderLineInput(day.item_ids[c], q) for c, q in zip(chosen, quantities, strict=True)],
            )
            sales.submit_customer_order(s, order.id, user_id=None)
            sales.approve_customer_order(s, order.id, user_id=ids[2])
            task = sales.create_picking_task(s, order.id, user_id=ids[2])
            sales.post_picking_task(s, task.id, user_id=ids[2])
            day.tasks.append((task.number, [(line.line_no, code_of(s, line.item_id), line.quantity)
                                            for line in task.lines]))
    return day


def code_of(s, item_id: int) -> str:
    return s.get(Item, item_id).code


def wms_messages(day: Day, *, total: int = 2000, seed: int = 11) -> list[Message]:
    """`total` messages from the WMS: a final DESPATCH for every picking task, the rest INVENTORY,
    MOVEMENT and PACKAGING in a random mix; records the effect each must have."""
    rng = random.Random(seed)
    codes = list(day.item_ids)
    out: list[Message] = []
    for number, lines in day.tasks:
        out.append(_wms(DespatchV1(
            order_number=number, despatch_number=f"D-{number}", final=True, shipped_at=AT, packages=[],
            lines=[DespatchLine(line_no=no, item_code=code, picked=decimal_text(q), shipped=decimal_text(q),
                                shortage=decimal_text(D(0))) for no, code, q in lines],
        ), document=("picking_task", number, 1)))
        for _, code, q in lines:
            day.change[(code, "main")] -= q
        day.sales += 1
    for n in range(total - len(out)):
        kind = rng.choice(("INVENTORY", "MOVEMENT", "PACKAGING"))
        if kind == "INVENTORY":
            lines = []
            surplus = write_off = False
            for code in rng.sample(codes, rng.randint(1, 3)):
                book, delta = D(rng.randint(50, 500)), D(rng.randint(-3, 3))
                lines.append(InventoryLine(item_code=code, book_quantity=decimal_text(book),
                                           counted_quantity=decimal_text(book + delta)))
                day.change[(code, "main")] += delta
                surplus, write_off = surplus or delta > 0, write_off or delta < 0
            day.corrections += surplus + write_off
            out.append(_wms(InventoryV1(count_number=f"INV-{n}", counted_at=AT, lines=lines)))
        elif kind == "MOVEMENT":
            direction = rng.choice(("to_defect", "from_defect", "to_quarantine"))
            code, q = rng.choice(codes), D(rng.randint(1, 4))
            sign = 1 if direction.startswith("to_") else -1
            day.change[(code, "main")] -= sign * q
            day.change[(code, "defect")] += sign * q
            day.transfers += 1
            out.append(_wms(MovementV1(movement_number=f"MV-{n}", direction=direction, reason="crash test",
                                       moved_at=AT, lines=[MovementLine(item_code=code, quantity=decimal_text(q))])))
        else:
            code, weight = rng.choice(codes), decimal_text(D(rng.randint(100, 99_999)) / 1000)
            day.weights[code].add(weight)
            out.append(_wms(PackagingV1(items=[PackagingItem(item_code=code, weight_kg=weight, levels=[])])))
    rng.shuffle(out)  # DESPATCHes among the rest, as a day's traffic
    day.messages.extend(out)
    return out


def _wms(payload, document=None) -> Message:
    doc = dict(zip(("document_type", "document_number", "document_seq"), document, strict=True)) if document else {}
    return build_message(payload, sender="wms", receiver="core", warehouse_code="MSK", **doc)


def count(s, model) -> int:
    return s.scalar(select(func.count()).select_from(model)) or 0
