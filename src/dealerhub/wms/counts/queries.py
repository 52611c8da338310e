"""What the supervisor reads about counts: the open ones with their progress, and one count's lines
(with the book, which the storekeepers counting do not see)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.wms.catalog.models import Item
from dealerhub.wms.counts.models import Count, CountLine
from dealerhub.wms.layout.models import Bin, Zone
from dealerhub.wms.tasks.models import Task, TaskLine


@dataclass(frozen=True)
class CountSummary:
    id: int
    number: str
    status: str
    round: int
    zone: str | None
    item: str | None
    threshold_percent: Decimal
    bins: int  # bins to count in the current round
    bins_done: int
    to_recount: int  # lines sent to the recount


@dataclass(frozen=True)
class CountRow:
    bin: str
    item_code: str
    status: str
    book: Decimal
    book_allocated: Decimal
    counted: Decimal | None
    recounted: Decimal | None
    needs_recount: bool


def open_counts(s: Session, warehouse_id: int) -> list[CountSummary]:
    counts = list(s.scalars(select(Count).where(Count.warehouse_id == warehouse_id, Count.status != "closed")
                            .order_by(Count.id)))
    out = []
    for c in counts:
        lines = list(s.scalars(select(CountLine).where(CountLine.count_id == c.id)))
        task_id = s.scalar(select(Task.id).where(Task.count_id == c.id).order_by(Task.id.desc()).limit(1))
        steps = list(s.scalars(select(TaskLine.status).where(TaskLine.task_id == task_id))) if task_id else []
        out.append(CountSummary(
            c.id, c.number, c.status, c.round,
            s.scalar(select(Zone.code).where(Zone.id == c.zone_id)) if c.zone_id else None,
            s.scalar(select(Item.code).where(Item.id == c.item_id)) if c.item_id else None,
            c.threshold_percent, len(steps), sum(1 for x in steps if x != "open"),
            sum(1 for x in lines if x.needs_recount),
        ))
    return out


def count_rows(s: Session, count_id: int) -> list[CountRow]:
    rows = s.execute(
        select(CountLine, Bin.barcode, Item.code).join(Bin, Bin.id == CountLine.bin_id)
        .join(Item, Item.id == CountLine.item_id).where(CountLine.count_id == count_id)
        .order_by(Bin.route_order, Item.code, CountLine.status)
    )
    return [CountRow(bin_, code, x.status, x.book, x.book_allocated, x.counted, x.recounted, x.needs_recount)
            for x, bin_, code in rows]
