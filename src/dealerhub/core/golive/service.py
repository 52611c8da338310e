"""A warehouse starts working with a WMS (a go-live), in this order: the WMS gets the catalog and
the contractors (send_master_data), then the opening stock as a file (opening_stock, written by
`dealerhub stock export-for-wms`, loaded by the WMS), then the documents still open on the
warehouse (send_open_documents): from then on every posting speaks to the WMS by itself."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.catalog.models import Item
from dealerhub.core.catalog.wms_messages import SERIAL_TRACKED_KIND, send_full_catalog, wms_item_codes
from dealerhub.core.partners.wms_messages import send_all_counterparties
from dealerhub.core.purchasing import wms_messages as purchasing_messages
from dealerhub.core.purchasing.models import SupplierOrder
from dealerhub.core.purchasing.rules import CONFIRMED, PARTIALLY_RECEIVED
from dealerhub.core.sales import wms_messages as sales_messages
from dealerhub.core.sales.models import CustomerReturn, PickingTask
from dealerhub.core.stock.models import StockBalance
from dealerhub.core.warehouses import defect_warehouse_of, find_warehouse_by_wms_code
from dealerhub.core.warehouses.errors import WarehouseNotFound
from dealerhub.core.warehouses.models import Warehouse


@dataclass(frozen=True)
class OpeningLine:
    item_code: str
    quantity: Decimal
    serial_tracked: bool
    status: str = "available"  # or "defect": closed for sale, on the warehouse's defect warehouse


def send_master_data(s: Session) -> tuple[int, int, int]:
    """Groups, items and every contractor into the outbox: what the WMS must know before stock.
    Returns how many groups, items and contractors were sent."""
    groups, items = send_full_catalog(s)
    return groups, items, send_all_counterparties(s)


def opening_stock(s: Session, wms_code: str) -> list[OpeningLine]:
    """What the books say is on hand at the warehouse for the items the WMS keeps (reserved goods
    are on the shelves too), and on its defect warehouse as status "defect"."""
    warehouse = find_warehouse_by_wms_code(s, wms_code)
    if warehouse is None:
        raise WarehouseNotFound(f"no warehouse has WMS code {wms_code}")
    places = [(warehouse.id, "available")]
    defect = defect_warehouse_of(s, warehouse.id)
    if defect is not None:  # goods closed for sale sit in the warehouse's defect zone
        places.append((defect.id, "defect"))
    lines = []
    for warehouse_id, status in places:
        rows = s.execute(
            select(Item.id, Item.code, StockBalance.on_hand, Item.kind)
            .join(StockBalance, StockBalance.item_id == Item.id)
            .where(StockBalance.warehouse_id == warehouse_id, StockBalance.on_hand > 0)
            .order_by(Item.code)
        ).all()
        kept = wms_item_codes(s, [r.id for r in rows])
        lines += [OpeningLine(r.code, r.on_hand, r.kind == SERIAL_TRACKED_KIND, status) for r in rows if r.id in kept]
    return lines


def send_open_documents(s: Session) -> tuple[int, int]:
    """ORDERS for the picking tasks posted and not yet picked, ASN for the supplier orders and the
    customer returns still expected: what the WMS must do from its first day. Returns how many
    picking tasks and how many expected receipts (supplier orders and returns) were sent."""
    on_wms = select(Warehouse.id).where(Warehouse.wms_code.is_not(None))
    tasks = s.scalars(
        select(PickingTask).where(PickingTask.status == "posted", PickingTask.warehouse_id.in_(on_wms)).order_by(PickingTask.id)
    ).all()
    for task in tasks:
        sales_messages.picking_task_posted(s, task)
    orders = s.scalars(
        select(SupplierOrder)
        .where(SupplierOrder.status.in_((CONFIRMED, PARTIALLY_RECEIVED)), SupplierOrder.warehouse_id.in_(on_wms))
        .order_by(SupplierOrder.id)
    ).all()
    for order in orders:
        purchasing_messages.supplier_order_expected(s, order)
    returns = s.scalars(
        select(CustomerReturn)
        .where(CustomerReturn.status == "draft", CustomerReturn.warehouse_id.in_(on_wms))
        .order_by(CustomerReturn.id)
    ).all()
    for doc in returns:
        sales_messages.customer_return_created(s, doc)
    return len(tasks), len(orders) + len(returns)
