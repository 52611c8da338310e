"""Reading inventory documents and the warehouses they name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.documents.names import document_name
from dealerhub.core.inventory.errors import StockCorrectionNotFound, TransferNotFound, UnknownWarehouse
from dealerhub.core.inventory.models import StockCorrection, Transfer
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared.db import fetch_page
from dealerhub.shared.texts import T


def get_active_warehouse(s: Session, warehouse_id: int) -> Warehouse:
    """The warehouse a new or edited document names: it must exist and be active."""
    warehouse = s.get(Warehouse, warehouse_id)
    if warehouse is None or not warehouse.is_active:
        raise UnknownWarehouse(
            T("unknown or inactive warehouse #%(warehouse)s", warehouse=warehouse_id), warehouse_id=warehouse_id
        )
    return warehouse


def get_stock_correction(s: Session, correction_id: int) -> StockCorrection:
    correction = s.get(StockCorrection, correction_id)
    if correction is None:
        raise StockCorrectionNotFound(
            T("%(document)s #%(id)s not found", document=document_name(StockCorrection.doc_type), id=correction_id),
            correction_id=correction_id,
        )
    return correction


def get_transfer(s: Session, transfer_id: int) -> Transfer:
    transfer = s.get(Transfer, transfer_id)
    if transfer is None:
        raise TransferNotFound(
            T("%(document)s #%(id)s not found", document=document_name(Transfer.doc_type), id=transfer_id),
            transfer_id=transfer_id,
        )
    return transfer


def list_stock_corrections(
    s: Session, *, status: str | None = None, warehouse_id: int | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[StockCorrection], int]:
    query = select(StockCorrection)
    if status is not None:
        query = query.where(StockCorrection.status == status)
    if warehouse_id is not None:
        query = query.where(StockCorrection.warehouse_id == warehouse_id)
    return fetch_page(s, query, order_by=StockCorrection.id.desc(), limit=limit, offset=offset)


def list_transfers(
    s: Session, *, status: str | None = None, warehouse_id: int | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[Transfer], int]:
    """Transfers, optionally those from or to one warehouse."""
    query = select(Transfer)
    if status is not None:
        query = query.where(Transfer.status == status)
    if warehouse_id is not None:
        query = query.where((Transfer.from_warehouse_id == warehouse_id) | (Transfer.to_warehouse_id == warehouse_id))
    return fetch_page(s, query, order_by=Transfer.id.desc(), limit=limit, offset=offset)
