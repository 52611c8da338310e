"""REMAINS: the WMS's stock of one warehouse by item and status, in parts. The parts are kept as
they come; when all parts of a snapshot are in, the reconciliation report compares them with the
core's stock as of the snapshot's time (reports.py). Stock is never changed: differences are for
people to look into."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core.inbox.lookups import items_by_code, warehouse_by_code
from dealerhub.core.inbox.models import RemainsPart, RemainsRow, RemainsSnapshot
from dealerhub.core.inbox.reports import build_report
from dealerhub.exchange.contracts import ErrorCode, RemainsV1, to_decimal
from dealerhub.exchange.sidekit.inbox import Done, InboundMessage
from dealerhub.exchange.sidekit.outcomes import Reject


def handle(s: Session, message: InboundMessage) -> Done:
    p: RemainsV1 = message.payload  # type: ignore[assignment]
    warehouse = warehouse_by_code(s, message.envelope.warehouse_code)
    items = items_by_code(s, [row.item_code for row in p.rows])
    snapshot = s.get(RemainsSnapshot, p.snapshot_id)
    if snapshot is None:
        snapshot = RemainsSnapshot(
            snapshot_id=p.snapshot_id, warehouse_id=warehouse.id, as_of=p.as_of, parts_total=p.parts_total
        )
        s.add(snapshot)
        s.flush()
    elif (snapshot.warehouse_id, snapshot.as_of, snapshot.parts_total) != (warehouse.id, p.as_of, p.parts_total):
        raise Reject(
            ErrorCode.QUANTITY_MISMATCH,
            f"part {p.part} of snapshot {p.snapshot_id} differs from its earlier parts in warehouse, as_of or parts_total",
        )
    earlier = s.get(RemainsPart, (p.snapshot_id, p.part))
    if earlier is not None:
        raise Reject(
            ErrorCode.QUANTITY_MISMATCH, f"part {p.part} of snapshot {p.snapshot_id} came already ({earlier.message_id})"
        )
    s.add(RemainsPart(snapshot_id=p.snapshot_id, part=p.part, message_id=message.envelope.message_id))
    s.add_all(
        RemainsRow(snapshot_id=p.snapshot_id, part=p.part, item_id=items[row.item_code], status=row.status,
                   quantity=to_decimal(row.quantity))
        for row in p.rows
    )
    s.flush()
    parts_in = s.scalar(select(func.count()).select_from(RemainsPart).where(RemainsPart.snapshot_id == p.snapshot_id))
    if parts_in < snapshot.parts_total:
        return Done(None, None, f"snapshot {p.snapshot_id}: {parts_in} of {snapshot.parts_total} parts in")
    report = build_report(s, snapshot)
    return Done(
        "reconciliation_report", p.snapshot_id,
        f"snapshot {p.snapshot_id} complete: {report.differences} difference(s) in {report.rows_total} item(s)",
    )
