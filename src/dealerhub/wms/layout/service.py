"""Warehouses, zones and bins: create them, find them by code and barcode, and lay out a realistic
warehouse in one call (`generate_layout`, used by `dealerhub wms layout` and the demo)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from dealerhub.shared.texts import T
from dealerhub.wms.errors import QuantityRefused, StateConflict, WmsNotFound
from dealerhub.wms.layout.models import ZONE_KINDS, Bin, Warehouse, Zone
from dealerhub.wms.layout.names import ZONE_NAMES


def warehouse_by_code(s: Session, code: str) -> Warehouse:
    warehouse = s.scalar(select(Warehouse).where(Warehouse.code == code))
    if warehouse is None:
        raise WmsNotFound(T("no warehouse %(code)s in the WMS", code=code), code=code)
    return warehouse


def find_warehouse(s: Session, code: str) -> Warehouse | None:
    return s.scalar(select(Warehouse).where(Warehouse.code == code))


def create_warehouse(s: Session, code: str, name: str) -> Warehouse:
    if find_warehouse(s, code) is not None:
        raise StateConflict(T("warehouse %(code)s exists already", code=code), code=code)
    warehouse = Warehouse(code=code, name=name)
    s.add(warehouse)
    s.flush()
    return warehouse


def add_zone(s: Session, warehouse: Warehouse, code: str, kind: str, name: str, route_order: int = 0) -> Zone:
    if kind not in ZONE_KINDS:
        raise QuantityRefused(T("a zone is one of %(kinds)s, not %(kind)s", kinds=", ".join(ZONE_KINDS), kind=repr(kind)))
    zone = Zone(warehouse_id=warehouse.id, code=code, kind=kind, name=name, route_order=route_order)
    s.add(zone)
    s.flush()
    return zone


def zones_of(s: Session, warehouse_id: int, kind: str | None = None) -> list[Zone]:
    query = select(Zone).where(Zone.warehouse_id == warehouse_id)
    if kind:
        query = query.where(Zone.kind == kind)
    return list(s.scalars(query.order_by(Zone.route_order, Zone.id)))


def bin_by_barcode(s: Session, warehouse_id: int, barcode: str) -> Bin:
    bin_ = s.scalar(select(Bin).where(Bin.warehouse_id == warehouse_id, Bin.barcode == barcode.strip()))
    if bin_ is None:
        raise WmsNotFound(T("no bin %(bin)s on this warehouse", bin=barcode), barcode=barcode)
    return bin_


def first_bin(s: Session, warehouse_id: int, kind: str) -> Bin:
    """The first bin (in route order) of the warehouse's first zone of `kind`: the dock of the
    receiving zone, the packing table, the defect cage..."""
    bin_ = s.scalar(
        select(Bin)
        .join(Zone, Zone.id == Bin.zone_id)
        .where(Bin.warehouse_id == warehouse_id, Zone.kind == kind, Bin.active.is_(True))
        .order_by(Zone.route_order, Bin.route_order, Bin.id)
        .limit(1)
    )
    if bin_ is None:
        raise WmsNotFound(T("the warehouse has no bin in %(zone)s", zone=ZONE_NAMES.get(kind, kind)), kind=kind)
    return bin_


def zone_kind(s: Session, bin_: Bin) -> str:
    return s.scalar(select(Zone.kind).where(Zone.id == bin_.zone_id))


@dataclass(frozen=True)
class LayoutPlan:
    """How a generated warehouse looks: storage and picking bins share `bins`, the other zones get a
    few each."""

    bins: int = 200
    picking_share: Decimal = Decimal("0.3")
    aisle_bins: int = 40  # bins per aisle (both sides of it)
    levels: int = 4  # shelves per rack


# zone code, kind, name, route order; storage and picking get their bins from the plan.
_ZONES = (
    ("RCV", "receiving", "Receiving", 10),
    ("PCK", "picking", "Picking", 20),
    ("STO", "storage", "Storage", 30),
    ("PAK", "packing", "Packing", 40),
    ("SHP", "shipping", "Shipping", 50),
    ("DEF", "defect", "Defect", 60),
    ("QUA", "quarantine", "Quarantine", 70),
)
_SMALL_ZONE_BINS = 2
# A picking-zone shelf takes smaller loads than a storage rack.
_CAPACITY = {
    "picking": (Decimal(500), Decimal(300), Decimal(150)),
    "storage": (Decimal(5000), Decimal(2000), Decimal(1000)),
}


def generate_layout(
    s: Session, code: str, name: str, plan: LayoutPlan = LayoutPlan(), progress: Callable[[int], None] | None = None
) -> Warehouse:
    """A new warehouse with the seven zones and `plan.bins` storage and picking bins. Barcodes read
    like the labels on the racks: ZONE-aisle-rack-level ("STO-03-12-2"); route order snakes along
    the aisles (up one, down the next) so pick lists walk the shortest way."""
    if plan.bins < 2:
        raise QuantityRefused(T("a warehouse needs at least 2 storage and picking bins"))
    warehouse = create_warehouse(s, code, name)
    picking = max(1, int(plan.bins * plan.picking_share))
    counts = {"picking": picking, "storage": plan.bins - picking}
    for zone_code, kind, zone_name, order in _ZONES:
        zone = add_zone(s, warehouse, zone_code, kind, zone_name, order)
        n = counts.get(kind, _SMALL_ZONE_BINS)
        units, volume, weight = _CAPACITY.get(kind, (None, None, None))
        rows = [
            {
                "warehouse_id": warehouse.id,
                "zone_id": zone.id,
                "barcode": _label(zone_code, i, plan, kind in counts),
                "route_order": order * 1_000_000 + _route(i, plan),
                "max_units": units,
                "max_volume_l": volume,
                "max_weight_kg": weight,
                "active": True,
            }
            for i in range(n)
        ]
        for start in range(0, len(rows), 1000):
            s.execute(insert(Bin), rows[start : start + 1000])
            if progress:
                progress(len(rows[start : start + 1000]))
    return warehouse


def _label(zone_code: str, i: int, plan: LayoutPlan, racked: bool) -> str:
    if not racked:
        return f"{zone_code}-{i + 1:02d}"
    aisle, place = divmod(i, plan.aisle_bins)
    rack, level = divmod(place, plan.levels)
    return f"{zone_code}-{aisle + 1:02d}-{rack + 1:02d}-{level + 1}"


def _route(i: int, plan: LayoutPlan) -> int:
    aisle, place = divmod(i, plan.aisle_bins)
    # Odd aisles are walked back to front.
    step = place if aisle % 2 == 0 else plan.aisle_bins - 1 - place
    return aisle * plan.aisle_bins + step


def bin_count(s: Session, warehouse_id: int) -> int:
    return s.scalar(select(func.count()).select_from(Bin).where(Bin.warehouse_id == warehouse_id)) or 0
