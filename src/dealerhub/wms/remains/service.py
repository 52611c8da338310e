"""REMAINS: the WMS's stock of a warehouse per item and status, on request or on a schedule, in
parts of at most `part_rows` rows (a large warehouse is several messages of one snapshot). The core
compares it with its own stock and reports differences; it never overwrites anything."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import RemainsRow, RemainsV1, decimal_text
from dealerhub.shared import clock
from dealerhub.wms.errors import QuantityRefused
from dealerhub.wms.exchange_link.models import RemainsSnapshot
from dealerhub.wms.exchange_link.outbox import enqueue
from dealerhub.wms.layout.models import Warehouse
from dealerhub.wms.numbering import next_number
from dealerhub.wms.stock.queries import remains_totals


def send_remains(s: Session, warehouse: Warehouse, *, part_rows: int = 1000, trigger: str = "request") -> RemainsSnapshot:
    if part_rows < 1:
        raise QuantityRefused("a REMAINS part holds at least one row")
    rows = remains_totals(s, warehouse.id)
    as_of = clock.now()
    snapshot_id = f"{next_number(s, 'REM')}-{warehouse.code}"
    parts = [rows[i : i + part_rows] for i in range(0, len(rows), part_rows)] or [[]]
    snapshot = RemainsSnapshot(snapshot_id=snapshot_id, warehouse_id=warehouse.id, as_of=as_of,
                               parts_total=len(parts), rows_total=len(rows), trigger=trigger)
    s.add(snapshot)
    s.flush()
    for n, part in enumerate(parts, start=1):
        payload = RemainsV1(
            snapshot_id=snapshot_id, as_of=as_of, part=n, parts_total=len(parts),
            rows=[RemainsRow(item_code=code, status=status, quantity=decimal_text(q)) for code, status, q in part],
        )
        enqueue(s, payload, document_type="remains", document_number=snapshot_id, warehouse_code=warehouse.code)
    return snapshot


def last_snapshot_at(s: Session, warehouse_id: int) -> datetime | None:
    return s.scalar(select(func.max(RemainsSnapshot.as_of)).where(RemainsSnapshot.warehouse_id == warehouse_id))


def send_due(s: Session, *, every: timedelta, part_rows: int) -> list[RemainsSnapshot]:
    """Scheduled snapshots: every active warehouse whose last snapshot is older than `every`."""
    now = clock.now()
    sent = []
    for warehouse in s.scalars(select(Warehouse).where(Warehouse.active.is_(True)).order_by(Warehouse.code)).all():
        last = last_snapshot_at(s, warehouse.id)
        if last is None or now - last >= every:
            sent.append(send_remains(s, warehouse, part_rows=part_rows, trigger="schedule"))
    return sent
