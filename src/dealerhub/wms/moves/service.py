"""Moving goods to or from the defect and quarantine zones, with a reason; MOVEMENT tells the core
(a transfer to or from its defect warehouse closes or reopens the goods for sale)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import MovementLine as MovementLineOut
from dealerhub.exchange.contracts import MovementV1, decimal_text
from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.wms.catalog.rules import check_quantity
from dealerhub.wms.catalog.service import item_by_barcode
from dealerhub.wms.errors import QuantityRefused, WrongScan
from dealerhub.wms.exchange_link.outbox import enqueue
from dealerhub.wms.layout.models import Warehouse, Zone
from dealerhub.wms.layout.names import zones_named
from dealerhub.wms.layout.service import bin_by_barcode, first_bin
from dealerhub.wms.moves.models import DIRECTIONS, Movement, MovementLine
from dealerhub.wms.numbering import next_number
from dealerhub.wms.stock.service import move, move_serials

# direction -> (status taken, status put, zone kinds the goods come from, zone kind they go to)
_RULES = {
    "to_defect": ("available", "defect", ("receiving", "storage", "picking"), ("defect",)),
    "from_defect": ("defect", "available", ("defect",), ("storage", "picking")),
    "to_quarantine": ("available", "quarantine", ("receiving", "storage", "picking"), ("quarantine",)),
    "from_quarantine": ("quarantine", "available", ("quarantine", "receiving"), ("storage", "picking")),
}
_DIRECTION_NAMES = {"to_defect": T("to defect"), "from_defect": T("from defect"),
                    "to_quarantine": T("to quarantine"), "from_quarantine": T("from quarantine")}


@dataclass(frozen=True)
class MoveLine:
    item_barcode: str
    from_bin: str
    quantity: Decimal
    to_bin: str | None = None  # default: the first bin of the target zone (defect / quarantine)
    serials: tuple[str, ...] = ()


def move_goods(s: Session, warehouse: Warehouse, *, direction: str, reason: str, lines: list[MoveLine],
               user_id: int) -> Movement:
    if direction not in DIRECTIONS:
        raise QuantityRefused(T("a move is one of %(directions)s", directions=", ".join(DIRECTIONS)))
    if not reason.strip():
        raise QuantityRefused(T("a move to or from defect or quarantine needs its reason"))
    if not lines:
        raise QuantityRefused(T("nothing to move"))
    taken, given, from_kinds, to_kinds = _RULES[direction]
    movement = Movement(number=next_number(s, "MOV"), warehouse_id=warehouse.id, direction=direction,
                        reason=reason.strip()[:2000], moved_by=user_id, moved_at=clock.now())
    s.add(movement)
    s.flush()
    totals: dict[str, Decimal] = {}
    for line in lines:
        item = item_by_barcode(s, line.item_barcode)
        quantity = check_quantity(line.quantity, item.unit_decimals)
        from_bin = bin_by_barcode(s, warehouse.id, line.from_bin)
        if s.get(Zone, from_bin.zone_id).kind not in from_kinds:
            raise WrongScan(T("a move %(direction)s takes goods from %(zones)s only",
                               direction=_DIRECTION_NAMES[direction], zones=zones_named(from_kinds)))
        if line.to_bin:
            to_bin = bin_by_barcode(s, warehouse.id, line.to_bin)
        elif len(to_kinds) == 1:
            to_bin = first_bin(s, warehouse.id, to_kinds[0])
        else:
            raise QuantityRefused(T("say which bin the goods go back to"))
        if s.get(Zone, to_bin.zone_id).kind not in to_kinds:
            raise WrongScan(T("a move %(direction)s puts goods in %(zones)s only",
                               direction=_DIRECTION_NAMES[direction], zones=zones_named(to_kinds)))
        move(s, from_bin, to_bin, item.id, quantity, "movement", from_status=taken, to_status=given,
             document_number=movement.number, user_id=user_id)
        if item.serial_tracked:
            move_serials(s, from_bin, to_bin, item.id, list(line.serials), status=given)
        s.add(MovementLine(movement_id=movement.id, item_id=item.id, from_bin_id=from_bin.id, to_bin_id=to_bin.id,
                           quantity=quantity))
        totals[item.code] = totals.get(item.code, Decimal(0)) + quantity
    s.flush()
    payload = MovementV1(
        movement_number=movement.number, direction=direction, reason=movement.reason, moved_at=movement.moved_at,
        lines=[MovementLineOut(item_code=code, quantity=decimal_text(q)) for code, q in sorted(totals.items())],
    )
    enqueue(s, payload, warehouse_code=warehouse.code)
    return movement
