"""What is expected (ASN, from the core) and what was accepted (the WMS's acceptance document).

One supplier invoice = one acceptance (`wms_receipts`) = one goods receipt in the core. An ASN may
be accepted over several acceptances and sessions; each acceptance reports RECEIPT parts (what was
accepted since the last part) and ends with a final part that names the discrepancies.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.shared import clock
from dealerhub.shared.types import Qty, UTCDateTime
from dealerhub.wms.db import WmsBase, id_column

# ASN: expected -> receiving (an acceptance started) -> closed (a final RECEIPT went) | cancelled.
ASN_STATUSES = ("expected", "receiving", "closed", "cancelled")
# Acceptance line: where accepted goods go (the RECEIPT's disposition).
DISPOSITIONS = ("stock", "defect", "quarantine")


class Asn(WmsBase):
    __tablename__ = "wms_asns"
    __table_args__ = (UniqueConstraint("warehouse_id", "asn_number"),)
    id: Mapped[int] = id_column()
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"))
    asn_number: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # supplier_order | customer_return
    source_number: Mapped[str] = mapped_column(String(64))
    counterparty_code: Mapped[str] = mapped_column(String(64))
    expected_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="expected")
    # How many times the core replaced it (ASN action replace).
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class AsnLine(WmsBase):
    __tablename__ = "wms_asn_lines"
    __table_args__ = (UniqueConstraint("asn_id", "line_no"),)
    id: Mapped[int] = id_column()
    asn_id: Mapped[int] = mapped_column(ForeignKey("wms_asns.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("wms_items.id"))
    expected: Mapped[Decimal] = mapped_column(Qty())


class Receipt(WmsBase):
    """An acceptance: open while storekeepers scan (over any number of sessions), final once its
    final RECEIPT part went. Without an ASN (goods nobody announced) it waits for one: its goods
    stay in quarantine and nothing is reported until an ASN is attached."""

    __tablename__ = "wms_receipts"
    id: Mapped[int] = id_column()
    number: Mapped[str] = mapped_column(String(32), unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("wms_warehouses.id"))
    asn_id: Mapped[int | None] = mapped_column(ForeignKey("wms_asns.id"), index=True)
    supplier_invoice: Mapped[str | None] = mapped_column(String(64))
    # The receiving-zone bin the goods are put down in while being accepted.
    dock_bin_id: Mapped[int] = mapped_column(ForeignKey("wms_bins.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | final
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("wms_storekeepers.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReceiptLine(WmsBase):
    """Accepted and rejected quantities of one item (on one ASN line) going to one disposition;
    `reported_*` is what RECEIPT parts already told the core."""

    __tablename__ = "wms_receipt_lines"
    __table_args__ = (UniqueConstraint("receipt_id", "item_id", "asn_line_no", "disposition"),)
    id: Mapped[int] = id_column()
    receipt_id: Mapped[int] = mapped_column(ForeignKey("wms_receipts.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("wms_items.id"))
    # 0: the ASN did not announce this item (discrepancy "unannounced").
    asn_line_no: Mapped[int] = mapped_column(Integer, default=0)
    disposition: Mapped[str] = mapped_column(String(16), default="stock")
    accepted: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    rejected: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    reported_accepted: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    reported_rejected: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    # Accepted units already on a putaway task (the rest still lies on the dock).
    putaway_planned: Mapped[Decimal] = mapped_column(Qty(), default=Decimal(0))
    comment: Mapped[str | None] = mapped_column(String(2000))


class ReceiptSerial(WmsBase):
    """A serial number scanned on an acceptance line (RECEIPT has no field for serials: they stay in
    the WMS, here and in `wms_serials`). `prior_*` keep what the serial's row said before this scan
    (a machine that had left and came back on a return), so an undone scan restores it exactly."""

    __tablename__ = "wms_receipt_serials"
    __table_args__ = (UniqueConstraint("receipt_line_id", "serial_no"),)
    id: Mapped[int] = id_column()
    receipt_line_id: Mapped[int] = mapped_column(ForeignKey("wms_receipt_lines.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("wms_items.id"))
    serial_no: Mapped[str] = mapped_column(String(64))
    # The serial had left the warehouse (shipped) before: its earlier receipt and despatch documents.
    prior_received_in: Mapped[str | None] = mapped_column(String(64))
    prior_shipped_in: Mapped[str | None] = mapped_column(String(64))
