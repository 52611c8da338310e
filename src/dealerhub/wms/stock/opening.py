"""The opening stock of a warehouse that starts working with the WMS: what is on its shelves on
the first day, loaded once, before the first task. The items go into the bins of the zone of their
status (storage for available goods, defect, quarantine), one after another in route order, round
the zone again when it has fewer bins than items; putaway and replenishment take over from there.
All or nothing: one bad line refuses the whole load."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from dealerhub.wms.catalog.service import find_items
from dealerhub.wms.errors import QuantityRefused, SerialRefused, StateConflict
from dealerhub.wms.layout.models import Bin
from dealerhub.wms.layout.service import warehouse_by_code, zones_of
from dealerhub.wms.stock.models import Stock
from dealerhub.wms.stock.service import check_serials, put, receive_serials

OPENING = "OPENING"  # the document number the load's ledger rows and serials carry
ZONE_OF = {"available": "storage", "defect": "defect", "quarantine": "quarantine"}  # status -> zone kind


@dataclass(frozen=True)
class OpeningLine:
    item_code: str
    quantity: Decimal
    serials: tuple[str, ...] = ()
    status: str = "available"


@dataclass(frozen=True)
class OpeningLoad:
    lines: int
    units: Decimal
    serials: int


def load_opening_stock(s: Session, warehouse_code: str, lines: Sequence[OpeningLine]) -> OpeningLoad:
    warehouse = warehouse_by_code(s, warehouse_code)
    if s.scalar(select(exists().where(Stock.warehouse_id == warehouse.id))):
        raise StateConflict(f"warehouse {warehouse_code} holds stock already: the opening load is for an empty warehouse")
    keys = [(line.item_code, line.status) for line in lines]
    if len(set(keys)) != len(keys):
        repeated = sorted({f"{code} ({status})" for code, status in keys if keys.count((code, status)) > 1})
        raise QuantityRefused(f"items listed more than once: {', '.join(repeated[:10])}")
    codes = [line.item_code for line in lines]
    items = find_items(s, codes)
    unknown = sorted(set(codes) - set(items))
    if unknown:
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise QuantityRefused(f"items the WMS does not know (no GOODS yet): {', '.join(unknown[:10])}{more}")
    places = {status: _bins(s, warehouse.id, zone) for status, zone in ZONE_OF.items()}
    used = dict.fromkeys(ZONE_OF, 0)
    units, serials = Decimal(0), 0
    for line in lines:
        if line.status not in ZONE_OF:
            raise QuantityRefused(f"{line.item_code}: status {line.status!r} is not one of {', '.join(ZONE_OF)}")
        bins = places[line.status]
        if not bins:
            raise QuantityRefused(f"warehouse {warehouse_code} has no {ZONE_OF[line.status]} bins: lay it out first")
        bin_ = bins[used[line.status] % len(bins)]
        used[line.status] += 1
        item = items[line.item_code]
        _check_quantity(line, item.unit_decimals)
        if item.serial_tracked:
            numbers = check_serials(list(line.serials), line.quantity)
        elif line.serials:
            raise SerialRefused(f"{line.item_code} is not serial-tracked: no serial numbers expected")
        put(s, bin_, item.id, line.status, line.quantity, "opening", document_number=OPENING)
        if item.serial_tracked:
            receive_serials(s, bin_, item.id, numbers, line.status, OPENING)
            serials += len(numbers)
        units += line.quantity
    return OpeningLoad(lines=len(lines), units=units, serials=serials)


def _bins(s: Session, warehouse_id: int, kind: str) -> list[Bin]:
    zones = [z.id for z in zones_of(s, warehouse_id, kind)]
    return list(s.scalars(select(Bin).where(Bin.zone_id.in_(zones), Bin.active).order_by(Bin.route_order, Bin.id)))


def _check_quantity(line: OpeningLine, decimals: int) -> None:
    if line.quantity <= 0:
        raise QuantityRefused(f"{line.item_code}: quantity {line.quantity} must be positive")
    if line.quantity != line.quantity.quantize(Decimal(1).scaleb(-decimals)):
        raise QuantityRefused(f"{line.item_code}: {line.quantity} has more decimals than its unit allows ({decimals})")
