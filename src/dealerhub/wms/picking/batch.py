"""New orders made as a batch (a worker's batch of ORDERS create): exactly what `create_order`
called for each of them in turn leaves (the same orders, lines, pick tasks and their numbers,
allocations, replenishments), in a fixed number of statements for the whole batch instead of about
ten per order:

- the orders in one INSERT, their lines in one INSERT;
- the source stock rows of every item of the batch locked in one query per warehouse, in item order
  (two batches wanting the same items lock them in the same order: no deadlock between two WMS
  workers), and the item places in one query;
- the allocation in memory, order after order in the batch's order, on those locked rows: each
  order sees what the orders before it took, as it would one by one;
- the pick tasks' numbers in one counter UPDATE, taken after the allocation (the counter row stays
  locked from there to the commit, not from the batch's first order), the tasks in one INSERT, their
  lines in one INSERT, the stock rows' `allocated` in one flush.

A replenishment is made where one by one it would be: when an order takes an item's picking zone
below its minimum, the tasks of the orders so far are written first, then `replenish_if_low` runs
(its number follows theirs, the storage stock it allocates is gone for the orders after it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import JSON, Connection, Table, Text, cast, insert, select
from sqlalchemy.orm import Session

from dealerhub.shared import clock
from dealerhub.shared.statements import Prepared, row_lists, unnest_rows
from dealerhub.wms.catalog.models import ItemPlace
from dealerhub.wms.db import WmsBase
from dealerhub.wms.layout.models import Zone
from dealerhub.wms.numbering import next_numbers
from dealerhub.wms.picking.allocation import (
    allocate_lines,
    below_minimum,
    packing_bin_of,
    replenish_if_low,
    sources_of,
)
from dealerhub.wms.picking.models import Order, OrderLine
from dealerhub.wms.picking.orders import WantedLine
from dealerhub.wms.tasks.models import Task, TaskLine

ZERO = Decimal(0)
_orders, _lines = Order.__table__, OrderLine.__table__
_tasks, _task_lines = Task.__table__, TaskLine.__table__


@dataclass(frozen=True)
class NewOrder:
    """What create_order takes."""

    warehouse_id: int
    order_number: str
    customer_order_number: str
    counterparty_code: str
    ship_by: date | None
    comment: str | None
    lines: list[WantedLine]


@dataclass(frozen=True)
class _Line:
    """An order line just inserted, as the allocation needs it."""

    id: int
    line_no: int
    item_id: int


@dataclass(frozen=True)
class _PickTask:
    warehouse_id: int
    order_id: int
    zone: Zone
    picks: list  # (bin, _Line, quantity) in walking order


def existing_orders(s: Session, keys: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """The (warehouse, order number) pairs among `keys` the WMS has an order for."""
    keys = set(keys)
    if not keys:
        return set()
    found = s.execute(select(Order.warehouse_id, Order.order_number).where(
        Order.warehouse_id.in_(sorted({w for w, _ in keys})), Order.order_number.in_(sorted({n for _, n in keys}))))
    return {(w, n) for w, n in found if (w, n) in keys}


def create_orders(s: Session, orders: Sequence[NewOrder]) -> list[int]:
    """create_order for each of `orders`, in this order; their ids. The orders must be new to the
    WMS and each named once (`existing_orders`; the unique (warehouse, number) refuses one all the
    same, and the caller's transaction rolls back)."""
    if not orders:
        return []
    s.flush()  # what the session holds goes out before the statements below
    conn = s.connection()
    now = clock.now()
    # RETURNING rows may come in any order: each id is matched to its row by the row's natural key.
    written = _insert(conn, _orders, [
        {"warehouse_id": o.warehouse_id, "order_number": o.order_number,
         "customer_order_number": o.customer_order_number, "counterparty_code": o.counterparty_code,
         "ship_by": o.ship_by, "comment": o.comment, "status": "new", "revision": 1, "created_at": now}
        for o in orders], ("id", "warehouse_id", "order_number"))
    order_id_of = {(w, n): order_id for order_id, w, n in written}
    order_ids = [order_id_of[o.warehouse_id, o.order_number] for o in orders]
    wanted = [(order_id, line) for order_id, o in zip(order_ids, orders, strict=True) for line in o.lines]
    line_id_of = {(order_id, line_no): line_id for line_id, order_id, line_no in _insert(conn, _lines, [
        {"order_id": order_id, "line_no": line.line_no, "item_id": line.item_id, "ordered": line.quantity,
         "picked": ZERO, "shortage": ZERO, "shipped": ZERO} for order_id, line in wanted],
        ("id", "order_id", "line_no"))}
    line_ids = [line_id_of[order_id, line.line_no] for order_id, line in wanted]
    lines_of: dict[int, list[tuple[_Line, Decimal]]] = defaultdict(list)
    for line_id, (order_id, line) in zip(line_ids, wanted, strict=True):
        lines_of[order_id].append((_Line(line_id, line.line_no, line.item_id), line.quantity))

    items_of: dict[int, set[int]] = defaultdict(set)
    for o in orders:
        items_of[o.warehouse_id].update(line.item_id for line in o.lines)
    sources = {w: sources_of(s, w, items_of[w]) for w in sorted(items_of)}
    places: dict[int, dict[int, Any]] = defaultdict(dict)  # (warehouse_id, item_id, pick_min) rows
    for place in s.execute(select(ItemPlace.warehouse_id, ItemPlace.item_id, ItemPlace.pick_min).where(
            ItemPlace.warehouse_id.in_(sorted(items_of)),
            ItemPlace.item_id.in_(sorted(set().union(*items_of.values()))))):
        if place.item_id in items_of[place.warehouse_id]:
            places[place.warehouse_id][place.item_id] = place

    pending: list[_PickTask] = []
    for order_id, o in zip(order_ids, orders, strict=True):
        lines = sorted(lines_of[order_id], key=lambda x: x[0].line_no)
        for zone, picks in allocate_lines(lines, sources[o.warehouse_id]):
            pending.append(_PickTask(o.warehouse_id, order_id, zone, picks))
        low = below_minimum({line.item_id for line, _ in lines}, places[o.warehouse_id], sources[o.warehouse_id])
        if low:
            _write_pick_tasks(s, pending)
            pending = []
            for item_id in low:
                replenish_if_low(s, o.warehouse_id, item_id)
    _write_pick_tasks(s, pending)
    return order_ids


def _write_pick_tasks(s: Session, tasks: list[_PickTask]) -> None:
    """The tasks (numbered in their order), their lines, and the allocations made for them."""
    if tasks:
        conn = s.connection()
        numbers = next_numbers(s, "T", len(tasks))
        now = clock.now()
        task_id_of = {number: task_id for number, task_id in _insert(conn, _tasks, [
            {"number": number, "warehouse_id": t.warehouse_id, "kind": "pick", "status": "open",
             "zone_id": t.zone.id, "order_id": t.order_id, "created_at": now}
            for number, t in zip(numbers, tasks, strict=True)], ("number", "id"))}
        task_ids = [task_id_of[number] for number in numbers]
        _insert(conn, _task_lines, [
            {"task_id": task_id, "seq": seq, "item_id": line.item_id, "quantity": quantity, "done_quantity": ZERO,
             "status": "open", "from_bin_id": bin_.id, "to_bin_id": packing_bin_of(s, t.warehouse_id).id,
             "order_line_id": line.id, "stock_status": "available", "serials": []}
            for task_id, t in zip(task_ids, tasks, strict=True)
            for seq, (bin_, line, quantity) in enumerate(t.picks, start=1)
        ])
    s.flush()  # the stock rows' allocated


def _insert(conn: Connection, table: Table, rows: list[dict], returning: tuple[str, ...] = ()) -> list[Any]:
    """INSERT `rows` (dicts with the same keys); the RETURNING rows, in no particular order.
    PostgreSQL: one constant statement over one array per column (`unnest_rows`: psycopg converts
    it once, the server plans it once, however many rows); elsewhere SQLAlchemy's executemany."""
    if not rows:
        return []
    columns = tuple(rows[0])
    if conn.dialect.name == "postgresql":
        json_columns = tuple(c for c in columns if isinstance(table.c[c].type, JSON))
        params = row_lists(rows, *(c for c in columns if c not in json_columns))
        for c in json_columns:  # sent as text, read by the statement's cast
            params[f"{c}__list"] = [json.dumps(row[c]) for row in rows]
        statement = _unnest_insert(table.name, columns, json_columns, returning)
        return statement.rows(conn, params) if returning else [statement.rowcount(conn, params)]
    statement = insert(table)
    if returning:
        return list(conn.execute(statement.returning(*(table.c[c] for c in returning)), rows))
    conn.execute(statement, rows)
    return []


@cache
def _unnest_insert(table_name: str, columns: tuple[str, ...], json_columns: tuple[str, ...],
                   returning: tuple[str, ...]) -> Prepared:
    """`INSERT INTO table (columns) SELECT ... FROM unnest(:column__list, ...) [RETURNING ...]`."""
    table = WmsBase.metadata.tables[table_name]
    types = {c: (Text() if c in json_columns else table.c[c].type) for c in columns}
    given = unnest_rows(types)
    values = [cast(given.c[c], table.c[c].type) if c in json_columns else given.c[c] for c in columns]
    statement = table.insert().from_select(list(columns), select(*values))
    if returning:
        statement = statement.returning(*(table.c[c] for c in returning))
    return Prepared(statement)
