"""Inventory counts: started in the WMS by zone or by item; a storekeeper counts each bin blind;
lines whose variance passes the threshold are counted again; closing writes the corrections into
the ledger and sends INVENTORY (book and counted quantity per item) so the core records surplus and
write-off.

A count sees every stock status in the counted bins: a line per (bin, item, status), available
(free and allocated to tasks alike: the book is the whole quantity), defect and quarantine; the
storekeeper says which goods they found (the bin's zone suggests it). INVENTORY carries the
available lines only: that is the stock the core holds on this warehouse (defect goods are on its
linked defect warehouse, quarantined and damaged-on-arrival goods never entered it), and INVENTORY
v1 has no status. Differences of defect and quarantine lines are corrected in the WMS's ledger."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import InventoryLine, InventoryV1, decimal_text
from dealerhub.shared import clock
from dealerhub.shared.texts import T, Text
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.catalog.rules import check_quantity
from dealerhub.wms.catalog.service import item_by_barcode
from dealerhub.wms.counts.models import Count, CountLine
from dealerhub.wms.errors import QuantityRefused, StateConflict, WmsNotFound
from dealerhub.wms.exchange_link.outbox import enqueue
from dealerhub.wms.layout.models import Bin, Warehouse, Zone
from dealerhub.wms.layout.service import bin_by_barcode
from dealerhub.wms.numbering import next_number
from dealerhub.wms.stock.models import STOCK_STATUSES, Stock
from dealerhub.wms.stock.service import put, stock_row, take
from dealerhub.wms.tasks.models import OPEN_TASK, Task
from dealerhub.wms.tasks.service import add_line, finish_if_complete, new_task, start, task_lines

ZERO = Decimal(0)


def needs_recount(book: Decimal, counted: Decimal, threshold_percent: Decimal) -> bool:
    """A difference beyond the threshold share of the book (any difference when the book is 0)."""
    if counted == book:
        return False
    if book == 0:
        return True
    return abs(counted - book) * 100 > threshold_percent * book


def get_count(s: Session, count_id: int, *, lock: bool = False) -> Count:
    query = select(Count).where(Count.id == count_id)
    count = s.scalar(query.with_for_update() if lock else query)
    if count is None:
        raise WmsNotFound(T("no such count"), count_id=count_id)
    return count


def count_lines(s: Session, count_id: int) -> list[CountLine]:
    return list(s.scalars(select(CountLine).where(CountLine.count_id == count_id).order_by(CountLine.id)))


def start_count(s: Session, warehouse_id: int, *, zone_id: int | None = None, item_id: int | None = None,
                threshold_percent: Decimal = Decimal(5), user_id: int | None = None) -> Count:
    """A count of every bin of a zone, or of every bin holding an item; the book is taken now."""
    if (zone_id is None) == (item_id is None):
        raise QuantityRefused(T("a count is by zone or by item (one of them)"))
    count = Count(number=next_number(s, "CNT"), warehouse_id=warehouse_id, zone_id=zone_id, item_id=item_id,
                  threshold_percent=threshold_percent, status="counting", round=1, started_by=user_id,
                  started_at=clock.now())
    s.add(count)
    s.flush()
    query = select(Stock).where(Stock.warehouse_id == warehouse_id, Stock.quantity > 0)
    if zone_id is not None:
        query = query.join(Bin, Bin.id == Stock.bin_id).where(Bin.zone_id == zone_id)
        bins = list(s.scalars(select(Bin).where(Bin.zone_id == zone_id).order_by(Bin.route_order)))
    else:
        query = query.where(Stock.item_id == item_id)
        bins = []
    for stock in s.scalars(query.order_by(Stock.id)):
        s.add(CountLine(count_id=count.id, bin_id=stock.bin_id, item_id=stock.item_id, status=stock.status,
                        book=stock.quantity, book_allocated=stock.allocated, needs_recount=False))
    s.flush()
    if item_id is not None:
        ids = {x.bin_id for x in count_lines(s, count.id)}
        bins = list(s.scalars(select(Bin).where(Bin.id.in_(ids)).order_by(Bin.route_order)))
    _count_task(s, count, bins)
    return count


def _count_task(s: Session, count: Count, bins: list[Bin]) -> Task:
    task = new_task(s, count.warehouse_id, "count", zone_id=count.zone_id, count_id=count.id)
    for bin_ in bins:
        add_line(s, task, quantity=ZERO, item_id=count.item_id, from_bin_id=bin_.id)
    return task


def record_count(s: Session, count_id: int, *, bin_barcode: str, item_barcode: str, counted: Decimal,
                 user_id: int, status: str | None = None) -> CountLine:
    """What the storekeeper found of an item in a bin, in one status (None: the bin's zone's own,
    zone_status) (in the recount round: only the lines asked for). An item found in a counted bin
    that the book does not have there gets a line with book 0."""
    count = get_count(s, count_id, lock=True)
    if count.status == "closed":
        raise StateConflict(T("count %(count)s is closed", count=count.number))
    bin_ = bin_by_barcode(s, count.warehouse_id, bin_barcode)
    item = item_by_barcode(s, item_barcode)
    status = status or zone_status(s, bin_)
    if status not in STOCK_STATUSES:
        raise QuantityRefused(T("the goods are one of %(statuses)s, not %(status)s",
                                 statuses=", ".join(STOCK_STATUSES), status=status))
    counted = check_quantity(counted, item.unit_decimals, what="counted quantity", allow_zero=True)
    task = s.scalar(select(Task).where(Task.count_id == count.id, Task.status.in_(OPEN_TASK)).order_by(Task.id.desc()))
    if task is None or bin_.id not in {x.from_bin_id for x in task_lines(s, task.id)}:
        raise StateConflict(T("bin %(bin)s is not on this count's list now", bin=bin_.barcode))
    if count.item_id is not None and item.id != count.item_id:
        raise StateConflict(T("this count is of %(item)s only", item=s.get(Item, count.item_id).code))
    line = s.scalar(select(CountLine).where(CountLine.count_id == count.id, CountLine.bin_id == bin_.id,
                                            CountLine.item_id == item.id, CountLine.status == status))
    if line is None:
        if count.status == "recount":
            raise StateConflict(T("the recount covers the lines asked for only"))
        line = CountLine(count_id=count.id, bin_id=bin_.id, item_id=item.id, status=status, book=ZERO,
                         book_allocated=ZERO, needs_recount=False)
        s.add(line)
    if count.status == "recount":
        if not line.needs_recount:
            raise StateConflict(T("this line is not to be counted again"))
        line.recounted = counted
    else:
        line.counted = counted
    if task.status == "open":
        start(s, task.id, user_id)
    s.flush()
    return line


def mark_bin_counted(s: Session, count_id: int, bin_barcode: str, *, user_id: int) -> None:
    """The storekeeper is done with a bin: book lines not counted there count as 0 (found nothing)."""
    count = get_count(s, count_id, lock=True)
    bin_ = bin_by_barcode(s, count.warehouse_id, bin_barcode)
    task = s.scalar(select(Task).where(Task.count_id == count.id, Task.status.in_(OPEN_TASK)).order_by(Task.id.desc()))
    if task is None:
        raise StateConflict(T("count %(count)s has no open task", count=count.number))
    for line in count_lines(s, count.id):
        if line.bin_id == bin_.id:
            if count.status == "recount" and line.needs_recount and line.recounted is None:
                line.recounted = ZERO
            elif count.status == "counting" and line.counted is None:
                line.counted = ZERO
    for tl in task_lines(s, task.id):
        if tl.from_bin_id == bin_.id and tl.status == "open":
            tl.status, tl.done_at, tl.done_by = "done", clock.now(), user_id
    s.flush()
    finish_if_complete(s, task)


def finish_round(s: Session, count_id: int, *, user_id: int) -> Count:
    """End a round: after the first, lines beyond the threshold go to a recount (a new task);
    otherwise (or after the recount) the count closes: corrections and INVENTORY."""
    count = get_count(s, count_id, lock=True)
    if count.status == "closed":
        raise StateConflict(T("count %(count)s is closed", count=count.number))
    lines = count_lines(s, count.id)
    if count.status == "counting":
        missing = [x for x in lines if x.counted is None]
        if missing:
            raise StateConflict(T("%(missing)s line(s) are not counted yet", missing=len(missing)), missing=len(missing))
        again = [x for x in lines if needs_recount(x.book, x.counted, count.threshold_percent)]
        _close_tasks(s, count)
        if again:
            for line in again:
                line.needs_recount = True
            count.status, count.round = "recount", 2
            bins = list(s.scalars(select(Bin).where(Bin.id.in_({x.bin_id for x in again})).order_by(Bin.route_order)))
            _count_task(s, count, bins)
            s.flush()
            return count
    elif any(x.needs_recount and x.recounted is None for x in lines):
        raise StateConflict(T("the recount is not finished"))
    _close_tasks(s, count)
    _close(s, count, lines, user_id)
    return count


def zone_status(s: Session, bin_: Bin) -> str:
    """The status goods found in a bin have unless the storekeeper says otherwise: the defect and
    quarantine zones hold defect and quarantined goods, every other zone available ones."""
    kind = s.scalar(select(Zone.kind).where(Zone.id == bin_.zone_id))
    return kind if kind in ("defect", "quarantine") else "available"


def _refuse_cutting_allocations(s: Session, lines: list[CountLine]) -> None:
    """A shortage may take only what is free in the bin: goods promised to an open task are not
    written off under it (the storekeeper on that task reports them short, which frees them)."""
    cut = []
    for line in lines:
        final = line.recounted if line.recounted is not None else line.counted
        if final >= line.book:
            continue
        row = stock_row(s, line.bin_id, line.item_id, line.status)
        free = ZERO if row is None else row.quantity - row.allocated
        if line.book - final > free:
            cut.append(T("%(bin)s %(item)s (%(allocated)s allocated)", bin=s.get(Bin, line.bin_id).barcode,
                         item=s.get(Item, line.item_id).code, allocated=format(row.allocated.normalize(), "f")))
    if cut:
        places = Text("; ".join(f"%(p{no})s" for no in range(len(cut))), **{f"p{no}": x for no, x in enumerate(cut)})
        raise StateConflict(T("the count finds less than is allocated to open tasks in: %(places)s. "
                              "Have the tasks report the shortage first, then close the count.", places=places))


def _close_tasks(s: Session, count: Count) -> None:
    for task in s.scalars(select(Task).where(Task.count_id == count.id, Task.status.in_(OPEN_TASK))).all():
        for tl in task_lines(s, task.id):
            if tl.status == "open":
                tl.status = "done"
        finish_if_complete(s, task)


def _close(s: Session, count: Count, lines: list[CountLine], user_id: int) -> None:
    book: dict[int, Decimal] = defaultdict(Decimal)
    found: dict[int, Decimal] = defaultdict(Decimal)
    _refuse_cutting_allocations(s, lines)
    for line in lines:
        final = line.recounted if line.recounted is not None else line.counted
        if line.status == "available":
            book[line.item_id] += line.book
            found[line.item_id] += final
        difference = final - line.book
        bin_ = s.get(Bin, line.bin_id)
        if difference > 0:
            put(s, bin_, line.item_id, line.status, difference, "count", document_number=count.number, user_id=user_id)
        elif difference < 0:
            take(s, bin_, line.item_id, line.status, -difference, "count", document_number=count.number, user_id=user_id)
    count.status, count.closed_at = "closed", clock.now()
    s.flush()
    items = {i.id: i for i in s.scalars(select(Item).where(Item.id.in_(set(book))))}
    if not book:
        return
    payload = InventoryV1(
        count_number=count.number, counted_at=count.closed_at,
        lines=[InventoryLine(item_code=items[i].code, book_quantity=decimal_text(book[i]),
                             counted_quantity=decimal_text(found[i])) for i in sorted(book, key=lambda i: items[i].code)],
    )
    enqueue(s, payload, warehouse_code=s.get(Warehouse, count.warehouse_id).code)
