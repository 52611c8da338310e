"""A warehouse the WMS knows as MSK, linked to a defect warehouse, with items on stock."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dealerhub.core.catalog.models import Item
from dealerhub.core.warehouses import set_defect_warehouse, update_warehouse
from dealerhub.shared.db import Database
from tests.integration.purchasing_builders import make_world, put


@dataclass(frozen=True)
class Stocked:
    main_id: int
    defect_id: int
    pump_id: int
    filter_id: int
    oil_id: int
    pump: str
    filter: str
    oil: str


def stocked(db: Database, *, pumps: str = "10", filters: str = "5", link_defect: bool = True) -> Stocked:
    w = make_world(db)
    with db.transaction() as s:
        update_warehouse(s, w.main_id, user_id=None, wms_code="MSK")
        if link_defect:
            set_defect_warehouse(s, w.main_id, user_id=None, defect_warehouse_id=w.defect_id)
        put(s, w.pump_id, w.main_id, pumps)
        put(s, w.filter_id, w.main_id, filters)
        codes = [s.get(Item, i).code for i in (w.pump_id, w.filter_id, w.oil_id)]
    return Stocked(w.main_id, w.defect_id, w.pump_id, w.filter_id, w.oil_id, *codes)


D = Decimal
