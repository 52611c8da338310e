"""Finding what a message names by its codes. An unknown item or warehouse code makes the message
wait (the other side may be sending it, or the core's staff may be setting it up)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.catalog.models import Item
from dealerhub.core.warehouses import defect_warehouse_of, find_warehouse_by_wms_code
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.exchange.contracts import ErrorCode
from dealerhub.exchange.sidekit.outcomes import NotYet, Reject


def items_by_code(s: Session, codes: Iterable[str]) -> dict[str, int]:
    """Item id by code for every code; NotYet naming the unknown ones."""
    wanted = sorted(set(codes))
    found = dict(s.execute(select(Item.code, Item.id).where(Item.code.in_(wanted))).all()) if wanted else {}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise NotYet(ErrorCode.UNKNOWN_ITEM, f"unknown item code(s) {', '.join(missing)}")
    return found


def warehouse_by_code(s: Session, code: str | None) -> Warehouse:
    """The active warehouse with this WMS code; NotYet if no warehouse has it (yet)."""
    if not code:
        raise Reject(ErrorCode.UNKNOWN_WAREHOUSE, "the message names no warehouse (envelope warehouse_code)")
    warehouse = find_warehouse_by_wms_code(s, code)
    if warehouse is None or not warehouse.is_active:
        raise NotYet(ErrorCode.UNKNOWN_WAREHOUSE, f"unknown warehouse code {code}: no active warehouse has this WMS code")
    return warehouse


def defect_warehouse_for(s: Session, warehouse: Warehouse) -> Warehouse:
    """The defect warehouse linked to `warehouse`; NotYet until one is linked."""
    defect = defect_warehouse_of(s, warehouse.id)
    if defect is None:
        raise NotYet(ErrorCode.UNKNOWN_WAREHOUSE, f"warehouse {warehouse.code} (WMS {warehouse.wms_code}) has no defect warehouse linked")
    return defect
