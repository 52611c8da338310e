"""The reconciliation of the WMS's stock (a complete REMAINS snapshot) with the core's, and reading
the reports (for the back-office page).

Per item: the WMS's quantities by status; the core's on-hand on the warehouse as of the snapshot's
time (its stock moves up to `as_of`, so messages still on their way don't show as differences of
the past); difference = WMS available + allocated - core on-hand. Only items the WMS keeps (or
reports) are compared. Defect and quarantine are compared
with the core's defect warehouse linked to the warehouse, when one is (a defect warehouse shared by
several warehouses holds all of theirs: compare with care)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core.catalog.models import Item
from dealerhub.core.catalog.wms_messages import wms_item_codes
from dealerhub.core.inbox.models import ReconciliationReport, ReconciliationRow, RemainsRow, RemainsSnapshot
from dealerhub.core.stock.models import StockMove
from dealerhub.core.warehouses import defect_warehouse_of
from dealerhub.shared.db import fetch_page

ZERO = Decimal(0)
STATUSES = ("available", "allocated", "defect", "quarantine")


def build_report(s: Session, snapshot: RemainsSnapshot) -> ReconciliationReport:
    wms: dict[int, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(STATUSES, ZERO))
    rows = s.execute(
        select(RemainsRow.item_id, RemainsRow.status, func.sum(RemainsRow.quantity))
        .where(RemainsRow.snapshot_id == snapshot.snapshot_id)
        .group_by(RemainsRow.item_id, RemainsRow.status)
    )
    for item_id, status, quantity in rows:
        wms[item_id][status] += quantity
    core = _on_hand_as_of(s, snapshot.warehouse_id, snapshot)
    defect = defect_warehouse_of(s, snapshot.warehouse_id)
    core_defect = _on_hand_as_of(s, defect.id, snapshot) if defect else None
    # The core's goods the WMS doesn't keep (items or groups not flagged "use in WMS") are no
    # difference: the WMS never heard of them. What the WMS reports is compared whatever the flag.
    booked = set(core) | set(core_defect or {})
    items = sorted(set(wms) | set(wms_item_codes(s, booked)))
    report = ReconciliationReport(
        snapshot_id=snapshot.snapshot_id, warehouse_id=snapshot.warehouse_id, as_of=snapshot.as_of,
        rows_total=len(items), differences=0,
    )
    s.add(report)
    s.flush()
    for item_id in items:
        q = wms[item_id]
        on_hand = core.get(item_id, ZERO)
        difference = q["available"] + q["allocated"] - on_hand
        defect_on_hand = None if core_defect is None else core_defect.get(item_id, ZERO)
        defect_difference = None if defect_on_hand is None else q["defect"] + q["quarantine"] - defect_on_hand
        if difference != 0 or (defect_difference is not None and defect_difference != 0):
            report.differences += 1
        s.add(
            ReconciliationRow(
                report_id=report.id, item_id=item_id, wms_available=q["available"], wms_allocated=q["allocated"],
                wms_defect=q["defect"], wms_quarantine=q["quarantine"], core_on_hand=on_hand, difference=difference,
                core_defect_on_hand=defect_on_hand, defect_difference=defect_difference,
            )
        )
    s.flush()
    return report


def _on_hand_as_of(s: Session, warehouse_id: int, snapshot: RemainsSnapshot) -> dict[int, Decimal]:
    rows = s.execute(
        select(StockMove.item_id, func.sum(StockMove.quantity))
        .where(StockMove.warehouse_id == warehouse_id, StockMove.occurred_at <= snapshot.as_of)
        .group_by(StockMove.item_id)
    )
    return {item_id: quantity for item_id, quantity in rows if quantity != 0}


@dataclass(frozen=True)
class ReportLine:
    item_id: int
    item_code: str
    article: str
    wms_available: Decimal
    wms_allocated: Decimal
    wms_defect: Decimal
    wms_quarantine: Decimal
    core_on_hand: Decimal
    difference: Decimal
    core_defect_on_hand: Decimal | None
    defect_difference: Decimal | None


def list_reports(
    s: Session, *, warehouse_id: int | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[ReconciliationReport], int]:
    """Reconciliation reports, newest first, optionally of one warehouse; and how many there are."""
    query = select(ReconciliationReport)
    if warehouse_id is not None:
        query = query.where(ReconciliationReport.warehouse_id == warehouse_id)
    return fetch_page(s, query, order_by=ReconciliationReport.id.desc(), limit=limit, offset=offset)


def report_lines(s: Session, report_id: int, *, only_differences: bool = False) -> list[ReportLine]:
    """The rows of a report with the item's code and article, by item code."""
    query = (
        select(ReconciliationRow, Item.code, Item.article)
        .join(Item, Item.id == ReconciliationRow.item_id)
        .where(ReconciliationRow.report_id == report_id)
        .order_by(Item.code)
    )
    if only_differences:
        query = query.where(
            (ReconciliationRow.difference != 0)
            | (ReconciliationRow.defect_difference.is_not(None) & (ReconciliationRow.defect_difference != 0))
        )
    return [
        ReportLine(
            r.item_id, code, article, r.wms_available, r.wms_allocated, r.wms_defect, r.wms_quarantine,
            r.core_on_hand, r.difference, r.core_defect_on_hand, r.defect_difference,
        )
        for r, code, article in s.execute(query)
    ]
