"""The demo's go-live with a WMS: its history was kept before the WMS ran (its documents sent
nothing to a WMS); then the main and regional warehouses get their WMS codes and the main one its
defect warehouse. The rest of a go-live (core/golive) is the `dealerhub demo seed` command's, since
it needs the WMS too."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.demo.partner_words import WAREHOUSES
from dealerhub.core.warehouses import set_defect_warehouse, update_warehouse
from dealerhub.core.warehouses.models import Warehouse


@dataclass(frozen=True)
class WmsWarehouse:
    code: str  # the core's
    wms_code: str  # the exchange's, locked from now on
    name: str


def give_wms_codes(s: Session, *, user_id: int | None) -> list[WmsWarehouse]:
    """The demo's main and regional warehouses get their WMS codes (locked once set, audited) and
    the defect warehouse becomes the main one's (the WMS's defect moves land there)."""
    by_code = {w.code: w for w in s.scalars(select(Warehouse))}
    opened = []
    for code, name, _kind, wms_code, _address in WAREHOUSES:
        if wms_code is None:
            continue
        if by_code[code].wms_code is None:
            update_warehouse(s, by_code[code].id, user_id=user_id, wms_code=wms_code)
        opened.append(WmsWarehouse(code, wms_code, name))
    set_defect_warehouse(s, by_code["MSK"].id, user_id=user_id, defect_warehouse_id=by_code["DEFECT"].id)
    return opened
