"""Warehouses and their kinds (main, regional, transit, defect, loss); the WMS code locked once set."""

from dealerhub.core.warehouses.defect import defect_warehouse_of, set_defect_warehouse
from dealerhub.core.warehouses.errors import (
    DuplicateWarehouseCode,
    InvalidWarehouseData,
    WarehouseCodeLocked,
    WarehouseNotFound,
)
from dealerhub.core.warehouses.models import CLOSED_FOR_SALE_KINDS, WAREHOUSE_KINDS
from dealerhub.core.warehouses.service import (
    create_warehouse,
    find_warehouse_by_wms_code,
    get_warehouse,
    list_warehouses,
    update_warehouse,
)

__all__ = [
    "CLOSED_FOR_SALE_KINDS",
    "WAREHOUSE_KINDS",
    "DuplicateWarehouseCode",
    "InvalidWarehouseData",
    "WarehouseCodeLocked",
    "WarehouseNotFound",
    "create_warehouse",
    "defect_warehouse_of",
    "find_warehouse_by_wms_code",
    "get_warehouse",
    "list_warehouses",
    "set_defect_warehouse",
    "update_warehouse",
]
