"""Outbound orders (from ORDERS: one per picking task of the core), their lines, the packages they
were packed into, and the despatch that reported what left.

Order status: new (tasks made) -> picking -> picked -> packed (everything picked is in packages)
-> shipped; a partial despatch (some packages leave, DESPATCH final=false) makes it part_shipped
until the final despatch; cancelled. The core may
cancel or replace the order while it is new or picking; after that it is refused with an ERROR.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.shared import clock
from dealerhub.shared.types import Qty, UTCDateTime
from dealerhub.wms.db import WmsBase, id_column

CHANGEABLE = ("new", "picking")


class Order(WmsBase):
    __tablename__ = "wms_orders"
    __table_args__ = (UniqueConstraint("warehouse_id", "order_number"),)
    id: Mapped[int] = id_column()
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"))
    order_number: Mapped[str] = mapped_column(String(64))
    customer_order_number: Mapped[str] = mapped_column(String(64))
    counterparty_code: Mapped[str] = mapped_column(String(64))
    ship_by: Mapped[date | None] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(16), default="new")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    despatch_number: Mapped[str | None] = mapped_column(String(32))
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OrderLine(WmsBase):
    __tablename__ = "wms_order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_no"),)
    id: Mapped[int] = id_column()
    order_id: Mapped[int] = mapped_column(ForeignKey("wms_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("wms_items.id"))
    ordered: Mapped[Decimal] = mapped_column(Qty())
    picked: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    shortage: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    # What left the warehouse on DESPATCH parts so far.
    shipped: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    shortage_reason: Mapped[str | None] = mapped_column(String(500))


class Package(WmsBase):
    __tablename__ = "wms_packages"
    __table_args__ = (UniqueConstraint("order_id", "package_no"),)
    id: Mapped[int] = id_column()
    order_id: Mapped[int] = mapped_column(ForeignKey("wms_orders.id"), index=True)
    package_no: Mapped[str] = mapped_column(String(64))
    weight_kg: Mapped[Decimal] = mapped_column(Qty())
    length_mm: Mapped[int | None] = mapped_column(Integer)
    width_mm: Mapped[int | None] = mapped_column(Integer)
    height_mm: Mapped[int | None] = mapped_column(Integer)
    packed_by: Mapped[int | None] = mapped_column(ForeignKey("wms_storekeepers.id"))
    packed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # The DESPATCH part it left in (NULL: still in the packing zone).
    despatch_number: Mapped[str | None] = mapped_column(String(32))
    despatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PackageContent(WmsBase):
    __tablename__ = "wms_package_contents"
    id: Mapped[int] = id_column()
    package_id: Mapped[int] = mapped_column(ForeignKey("wms_packages.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("wms_items.id"))
    # The order line the goods are for (NULL only on packages made before wms_0003).
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("wms_order_lines.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())
