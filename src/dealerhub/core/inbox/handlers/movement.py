"""MOVEMENT: the WMS moved goods to or from defect or quarantine inside a warehouse. In the core both
are the defect warehouse linked to that warehouse (closed for sale: quarantined goods are not sold
either until they come back); a posted transfer moves them. A warehouse with no defect warehouse
linked makes the message wait until one is. Goods reserved for an order can't go (codes.py: wait)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.core.inbox.lookups import defect_warehouse_for, items_by_code, warehouse_by_code
from dealerhub.core.inventory import TransferLineInput, create_transfer, post_transfer
from dealerhub.exchange.contracts import MovementV1, to_decimal
from dealerhub.exchange.sidekit.inbox import Done, InboundMessage

REASON_MAX = 500


def handle(s: Session, message: InboundMessage) -> Done:
    p: MovementV1 = message.payload  # type: ignore[assignment]
    warehouse = warehouse_by_code(s, message.envelope.warehouse_code)
    defect = defect_warehouse_for(s, warehouse)
    items = items_by_code(s, [line.item_code for line in p.lines])
    quantities: dict[int, Decimal] = defaultdict(Decimal)
    for line in p.lines:
        quantities[items[line.item_code]] += to_decimal(line.quantity)
    source, destination = (warehouse, defect) if p.direction.startswith("to_") else (defect, warehouse)
    reason = f"WMS movement {p.movement_number} ({p.direction.replace('_', ' ')})" + (f": {p.reason}" if p.reason else "")
    transfer = create_transfer(
        s, user_id=None, from_warehouse_id=source.id, to_warehouse_id=destination.id,
        lines=[TransferLineInput(item_id, quantity) for item_id, quantity in quantities.items()],
        reason=reason[:REASON_MAX],
    )
    post_transfer(s, transfer.id, user_id=None)
    return Done("transfer", transfer.number, f"transfer {transfer.number} posted ({source.code} -> {destination.code})")
