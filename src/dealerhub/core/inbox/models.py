"""The core's inbox: which exchange messages were applied (or refused), and what inbound messages
leave behind besides the documents they make.

- `inbox_messages`: one row per message id, written in the same transaction as the message's
  effect, so a redelivered message is recognised and nothing takes effect twice.
- `despatch_shortages`, `despatch_packages`: what a DESPATCH reported besides the sale (the
  shortages with their reasons, the packages with their weight and size) for logistics and claims.
- `receipt_acceptances`: the goods receipt (or customer return) a WMS acceptance fills, and whether
  its final RECEIPT came (complete: ready for the purchaser to post); `receipt_discrepancies`:
  what was accepted with a discrepancy, rejected or put to defect or quarantine.
- `remains_snapshots`, `remains_rows`: the parts of a REMAINS snapshot as they arrive;
  `reconciliation_reports`, `reconciliation_rows`: the comparison with the core's stock, built when
  the last part is in. Stock is never changed by them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.core.db import CoreBase, id_column
from dealerhub.exchange.sidekit.tables import inbox_table
from dealerhub.shared import clock
from dealerhub.shared.types import Qty, UTCDateTime

# The same table (name, columns) as the WMS's, from sidekit's factory (core_0003 made it; `dealerhub
# db check` compares): one apply loop for both sides. status: applied | rejected (an ERROR was
# answered; a later retry may still apply it); document_type/number: the core document the message
# made or changed (sale SL-2026-000012 ...), if one.
INBOX_TABLE = inbox_table(CoreBase)
InboxMessage = INBOX_TABLE.row_class


class DespatchShortage(CoreBase):
    __tablename__ = "despatch_shortages"
    id: Mapped[int] = id_column()
    message_id: Mapped[str] = mapped_column(String(36), index=True)
    picking_task_id: Mapped[int] = mapped_column(ForeignKey("picking_tasks.id"), index=True)
    picking_task_line_id: Mapped[int] = mapped_column(ForeignKey("picking_task_lines.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Qty())
    reason: Mapped[str | None] = mapped_column(String(2000))


class DespatchPackage(CoreBase):
    __tablename__ = "despatch_packages"
    id: Mapped[int] = id_column()
    message_id: Mapped[str] = mapped_column(String(36), index=True)
    picking_task_id: Mapped[int] = mapped_column(ForeignKey("picking_tasks.id"), index=True)
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), index=True)
    despatch_number: Mapped[str] = mapped_column(String(64))
    package_no: Mapped[str] = mapped_column(String(64))
    weight_kg: Mapped[Decimal] = mapped_column(Qty())
    length_mm: Mapped[int | None] = mapped_column(Integer)
    width_mm: Mapped[int | None] = mapped_column(Integer)
    height_mm: Mapped[int | None] = mapped_column(Integer)
    # [{"item_code": "I000001", "quantity": "2"}] as the WMS packed them.
    contents: Mapped[list] = mapped_column(JSON, default=list)


class ReceiptAcceptance(CoreBase):
    """One WMS acceptance of an ASN: the goods receipt draft it fills (supplier order) or the
    customer return it completes; `complete` once the final RECEIPT came."""

    __tablename__ = "receipt_acceptances"
    __table_args__ = (UniqueConstraint("asn_number", "invoice_reference"),)
    id: Mapped[int] = id_column()
    asn_number: Mapped[str] = mapped_column(String(64))
    # The supplier invoice of the acceptance (its goods receipt's invoice), else the WMS's number.
    invoice_reference: Mapped[str] = mapped_column(String(64))
    goods_receipt_id: Mapped[int | None] = mapped_column(ForeignKey("goods_receipts.id"), unique=True)
    customer_return_id: Mapped[int | None] = mapped_column(ForeignKey("customer_returns.id"), unique=True)
    supplier_order_id: Mapped[int | None] = mapped_column(ForeignKey("supplier_orders.id"), index=True)
    wms_receipt_number: Mapped[str] = mapped_column(String(64))
    # Customer return: accepted to stock so far, per return line number ({"1": "2.000"}).
    accepted: Mapped[dict] = mapped_column(JSON, default=dict)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReceiptDiscrepancy(CoreBase):
    """A RECEIPT line that is not simply 'as announced, to stock': the quantities accepted and
    rejected, where the accepted ones went, and why."""

    __tablename__ = "receipt_discrepancies"
    id: Mapped[int] = id_column()
    message_id: Mapped[str] = mapped_column(String(36), index=True)
    acceptance_id: Mapped[int] = mapped_column(ForeignKey("receipt_acceptances.id"), index=True)
    asn_line_no: Mapped[int | None] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    accepted: Mapped[Decimal] = mapped_column(Qty())
    rejected: Mapped[Decimal] = mapped_column(Qty())
    # Accepted goods put to defect or quarantine are not on the receipt (not for sale): the
    # purchaser settles them with the supplier.
    disposition: Mapped[str] = mapped_column(String(16))
    discrepancy: Mapped[str | None] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(String(2000))


class RemainsSnapshot(CoreBase):
    __tablename__ = "remains_snapshots"
    snapshot_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    parts_total: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class RemainsPart(CoreBase):
    __tablename__ = "remains_parts"
    snapshot_id: Mapped[str] = mapped_column(ForeignKey("remains_snapshots.snapshot_id"), primary_key=True)
    part: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    message_id: Mapped[str] = mapped_column(String(36))


class RemainsRow(CoreBase):
    __tablename__ = "remains_rows"
    id: Mapped[int] = id_column()
    snapshot_id: Mapped[str] = mapped_column(ForeignKey("remains_snapshots.snapshot_id"), index=True)
    part: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    status: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[Decimal] = mapped_column(Qty())


class ReconciliationReport(CoreBase):
    __tablename__ = "reconciliation_reports"
    id: Mapped[int] = id_column()
    snapshot_id: Mapped[str] = mapped_column(ForeignKey("remains_snapshots.snapshot_id"), unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    # The core's side is read as of the snapshot's time (stock moves up to as_of).
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    rows_total: Mapped[int] = mapped_column(Integer)
    differences: Mapped[int] = mapped_column(Integer)


class ReconciliationRow(CoreBase):
    """One item: the WMS's quantities by status, the core's on-hand as of the snapshot, and the
    difference (WMS available + allocated - core on-hand on the warehouse). Defect and quarantine
    are compared with the core's defect warehouse linked to this one, if any."""

    __tablename__ = "reconciliation_rows"
    id: Mapped[int] = id_column()
    report_id: Mapped[int] = mapped_column(ForeignKey("reconciliation_reports.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    wms_available: Mapped[Decimal] = mapped_column(Qty())
    wms_allocated: Mapped[Decimal] = mapped_column(Qty())
    wms_defect: Mapped[Decimal] = mapped_column(Qty())
    wms_quarantine: Mapped[Decimal] = mapped_column(Qty())
    core_on_hand: Mapped[Decimal] = mapped_column(Qty())
    difference: Mapped[Decimal] = mapped_column(Qty())
    core_defect_on_hand: Mapped[Decimal | None] = mapped_column(Qty())
    defect_difference: Mapped[Decimal | None] = mapped_column(Qty())
