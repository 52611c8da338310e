"""Inventory documents: stock corrections (surplus, write-off, with a reason) and transfers
between warehouses (a transfer to a defect warehouse closes the goods for sale)."""

from dealerhub.core.inventory.corrections import (
    create_stock_correction,
    post_stock_correction,
    unpost_stock_correction,
    update_stock_correction,
)
from dealerhub.core.inventory.errors import (
    ReasonRequired,
    SameWarehouse,
    StockCorrectionNotFound,
    TransferNotFound,
    UnknownCorrectionKind,
    UnknownWarehouse,
)
from dealerhub.core.inventory.inputs import CorrectionLineInput, TransferLineInput
from dealerhub.core.inventory.queries import (
    get_active_warehouse,
    get_stock_correction,
    get_transfer,
    list_stock_corrections,
    list_transfers,
)
from dealerhub.core.inventory.transfers import (
    create_transfer,
    post_transfer,
    unpost_transfer,
    update_transfer,
)

__all__ = [
    "CorrectionLineInput",
    "ReasonRequired",
    "SameWarehouse",
    "StockCorrectionNotFound",
    "TransferLineInput",
    "TransferNotFound",
    "UnknownCorrectionKind",
    "UnknownWarehouse",
    "create_stock_correction",
    "create_transfer",
    "get_active_warehouse",
    "get_stock_correction",
    "get_transfer",
    "list_stock_corrections",
    "list_transfers",
    "post_stock_correction",
    "post_transfer",
    "unpost_stock_correction",
    "unpost_transfer",
    "update_stock_correction",
    "update_transfer",
]
