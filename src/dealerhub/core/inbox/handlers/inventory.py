"""INVENTORY: the results of a count in the WMS are facts: the differences (counted - book, as the
warehouse counted them) become a posted surplus and a posted write-off on the counted warehouse,
both with the count number as reason. A write-off of goods that are reserved waits (codes.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealerhub.core.inbox.lookups import items_by_code, warehouse_by_code
from dealerhub.core.inventory import CorrectionLineInput, create_stock_correction, post_stock_correction
from dealerhub.exchange.contracts import ErrorCode, InventoryV1, to_decimal
from dealerhub.exchange.sidekit.inbox import Done, InboundMessage
from dealerhub.exchange.sidekit.outcomes import Reject


def handle(s: Session, message: InboundMessage) -> Done:
    p: InventoryV1 = message.payload  # type: ignore[assignment]
    warehouse = warehouse_by_code(s, message.envelope.warehouse_code)
    items = items_by_code(s, [line.item_code for line in p.lines])
    seen: set[str] = set()
    by_kind: dict[str, list[CorrectionLineInput]] = {"surplus": [], "write_off": []}
    for line in p.lines:
        if line.item_code in seen:
            raise Reject(ErrorCode.QUANTITY_MISMATCH, f"item {line.item_code} is counted twice in {p.count_number}")
        seen.add(line.item_code)
        difference = to_decimal(line.counted_quantity) - to_decimal(line.book_quantity)
        if difference > 0:
            by_kind["surplus"].append(CorrectionLineInput(items[line.item_code], difference))
        elif difference < 0:
            by_kind["write_off"].append(CorrectionLineInput(items[line.item_code], -difference))
    reason = f"WMS inventory count {p.count_number} of {p.counted_at.date().isoformat()}"
    made: list[str] = []
    for kind, lines in by_kind.items():
        if lines:
            correction = create_stock_correction(
                s, user_id=None, warehouse_id=warehouse.id, kind=kind, reason=reason, lines=lines
            )
            post_stock_correction(s, correction.id, user_id=None)
            made.append(correction.number)
    if not made:
        return Done(None, None, f"count {p.count_number}: no differences")
    return Done("stock_correction", made[0], f"count {p.count_number}: posted {', '.join(made)}")


