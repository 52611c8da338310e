"""The defect warehouse of a warehouse: where goods that the WMS finds defective (or puts in
quarantine) on that warehouse are accounted, closed for sale."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.warehouses.errors import InvalidWarehouseData
from dealerhub.core.warehouses.models import Warehouse, WarehouseDefectLink
from dealerhub.core.warehouses.names import warehouse_kind_name
from dealerhub.core.warehouses.service import ENTITY, get_warehouse
from dealerhub.shared.texts import T


def set_defect_warehouse(
    s: Session, warehouse_id: int, *, user_id: int | None, defect_warehouse_id: int | None
) -> None:
    """Link a warehouse to its defect warehouse (a warehouse of kind defect); None unlinks it."""
    warehouse = get_warehouse(s, warehouse_id)
    link = s.get(WarehouseDefectLink, warehouse.id)
    old = link.defect_warehouse_id if link else None
    if defect_warehouse_id is not None:
        defect = get_warehouse(s, defect_warehouse_id)
        if defect.kind != "defect" or defect.id == warehouse.id:
            raise InvalidWarehouseData(
                T(
                    "warehouse %(defect)s is of kind «%(kind)s»: the defect warehouse of %(warehouse)s "
                    "must be another warehouse of kind «%(defect_kind)s»",
                    defect=defect.code, kind=warehouse_kind_name(defect.kind), warehouse=warehouse.code,
                    defect_kind=warehouse_kind_name("defect"),
                ),
                field="defect_warehouse_id",
            )
    if old == defect_warehouse_id:
        return
    if link is None:
        s.add(WarehouseDefectLink(warehouse_id=warehouse.id, defect_warehouse_id=defect_warehouse_id))
    elif defect_warehouse_id is None:
        s.delete(link)
    else:
        link.defect_warehouse_id = defect_warehouse_id
    s.flush()
    record_change(
        s, user_id=user_id, entity_type=ENTITY, entity_id=warehouse.id, action="set_defect_warehouse",
        changes={"defect_warehouse_id": [old, defect_warehouse_id]},
    )


def defect_warehouse_of(s: Session, warehouse_id: int) -> Warehouse | None:
    """The defect warehouse linked to this warehouse, if one is (and active)."""
    return s.scalar(
        select(Warehouse)
        .join(WarehouseDefectLink, WarehouseDefectLink.defect_warehouse_id == Warehouse.id)
        .where(WarehouseDefectLink.warehouse_id == warehouse_id, Warehouse.is_active)
    )
