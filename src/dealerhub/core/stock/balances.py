"""Changing balance rows, many at once, safely under concurrency.

One batch = three statements whatever its size:
1. `SELECT ... FOR UPDATE` of the existing rows, ordered by (item, warehouse): the fixed lock order
   that keeps concurrent postings from deadlocking. While we hold the locks nobody else can move
   these balances, so the figures we check are the figures we change. (SQLite: the transaction
   already holds the database's write lock, see shared.db.)
2. rows that don't exist yet and only grow: an atomic upsert.
3. the changes: one executemany of a guarded UPDATE (`... AND on_hand + :d >= reserved + :r`), whose
   row count is checked: the guard can't fail while we hold the locks, it is the last line of
   defence, backed by the table's check constraints.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dealerhub.core.stock.errors import Shortage
from dealerhub.core.stock.models import StockBalance
from dealerhub.shared.statements import Batch, Pending, Prepared, pairs_in, row_lists, unnest_rows

ZERO = Decimal(0)
Key = tuple[int, int]  # (item_id, warehouse_id)

_t = StockBalance.__table__
# Every posting runs these: compiled once, run on the driver's cursor (shared/statements.py).
_GUARDED_UPDATE = Prepared(
    _t.update()
    .where(
        _t.c.item_id == bindparam("k_item"),
        _t.c.warehouse_id == bindparam("k_warehouse"),
        _t.c.on_hand + bindparam("d_on_hand", type_=_t.c.on_hand.type)
        >= _t.c.reserved + bindparam("d_reserved", type_=_t.c.reserved.type),
        _t.c.reserved + bindparam("d_reserved", type_=_t.c.reserved.type) >= 0,
    )
    .values(
        on_hand=_t.c.on_hand + bindparam("d_on_hand", type_=_t.c.on_hand.type),
        reserved=_t.c.reserved + bindparam("d_reserved", type_=_t.c.reserved.type),
    )
)


_READ = (
    select(_t.c.item_id, _t.c.warehouse_id, _t.c.on_hand, _t.c.reserved)
    .where(pairs_in(_t.c.item_id, _t.c.warehouse_id, "keys"))
    .order_by(_t.c.item_id, _t.c.warehouse_id)
)
_LOCK_FOR_UPDATE = Prepared(_READ.with_for_update())
_READ = Prepared(_READ)


def lock_balances(s: Session, keys: list[Key]) -> dict[Key, tuple[Decimal, Decimal]]:
    """(on hand, reserved) of the existing rows among `keys`, locked until the transaction ends."""
    if not keys:
        return {}
    conn = s.connection()
    query = _LOCK_FOR_UPDATE if conn.dialect.name == "postgresql" else _READ
    rows = query.rows(conn, {"keys": sorted(set(keys))})
    return {(r.item_id, r.warehouse_id): (r.on_hand, r.reserved) for r in rows}


def lock_statement(keys: Select[Any]) -> Select[Any]:
    """lock_balances() of the rows whose (item, warehouse) a query gives (`keys` selects two
    columns), for a caller that doesn't know the keys yet: same columns, same order, locked FOR
    UPDATE (SQLite: the transaction holds the database's write lock already). Read the rows with
    locked_figures()."""
    return (
        select(_t.c.item_id, _t.c.warehouse_id, _t.c.on_hand, _t.c.reserved)
        .where(tuple_(_t.c.item_id, _t.c.warehouse_id).in_(keys))
        .order_by(_t.c.item_id, _t.c.warehouse_id)
        .with_for_update()
    )


def send_lock(b: Batch, keys: list[Key]) -> Pending:
    """lock_balances() sent in a batch of statements; read it with locked_figures() after the batch."""
    query = _LOCK_FOR_UPDATE if b.conn.dialect.name == "postgresql" else _READ
    return b.send(query, {"keys": sorted(set(keys))})


def locked_figures(pending: Pending) -> dict[Key, tuple[Decimal, Decimal]]:
    return {(r.item_id, r.warehouse_id): (r.on_hand, r.reserved) for r in pending.rows}


def apply_deltas(
    s: Session, deltas: Mapping[Key, tuple[Decimal, Decimal]], locked: dict[Key, tuple[Decimal, Decimal]] | None = None
) -> list[Shortage]:
    """Add (d_on_hand, d_reserved) to each balance if free stock and reserved stay >= 0.

    Returns the shortages and changes nothing if there is any; `locked` may pass the figures a
    caller already read with lock_balances() in this transaction."""
    deltas = {k: v for k, v in deltas.items() if v != (ZERO, ZERO)}
    if not deltas:
        return []
    current = locked if locked is not None else lock_balances(s, sorted(deltas))
    shortages, creates, updates = plan_deltas(deltas, current)
    if shortages:
        return shortages
    conn = s.connection()
    if creates:
        conn.execute(_upsert(s), creates)
    if updates and _GUARDED_UPDATE.many(conn, updates) != len(updates):
        raise_changed_under_lock()
    return []


def send_updates(
    b: Batch, deltas: Mapping[Key, tuple[Decimal, Decimal]], locked: dict[Key, tuple[Decimal, Decimal]]
) -> tuple[Pending, int] | None:
    """apply_deltas() of changes to rows that exist and are locked, sent in a batch of statements
    (the caller has checked them against the locked figures: no shortage, no new row); check the
    result with check_updated() after the batch. PostgreSQL: one statement for all the rows
    (`UPDATE ... FROM unnest(...)`, the same guard per row), elsewhere an executemany."""
    shortages, creates, updates = plan_deltas(deltas, locked)
    if shortages or creates:
        raise ValueError("send_updates() only changes locked rows within their free stock")
    if not updates:
        return None
    if b.conn.dialect.name == "postgresql":  # one key at most once: each row is matched once
        return b.send(_guarded_updates(), row_lists(updates, *_DELTA_COLUMNS)), len(updates)
    return b.send_many(_GUARDED_UPDATE, updates), len(updates)


def check_updated(sent: tuple[Pending, int] | None) -> None:
    if sent is not None and sent[0].rowcount != sent[1]:
        raise_changed_under_lock()


_DELTA_COLUMNS = ("k_item", "k_warehouse", "d_on_hand", "d_reserved")


@cache
def _guarded_updates() -> Prepared:
    """PostgreSQL: _GUARDED_UPDATE of many rows in one statement, the rows given as one array per
    column (shared.statements.unnest_rows)."""
    c = _t.c
    d = unnest_rows(dict(zip(_DELTA_COLUMNS, (c.item_id.type, c.warehouse_id.type, c.on_hand.type, c.reserved.type))))
    return Prepared(
        _t.update()
        .where(
            c.item_id == d.c.k_item,
            c.warehouse_id == d.c.k_warehouse,
            c.on_hand + d.c.d_on_hand >= c.reserved + d.c.d_reserved,
            c.reserved + d.c.d_reserved >= 0,
        )
        .values(on_hand=c.on_hand + d.c.d_on_hand, reserved=c.reserved + d.c.d_reserved)
    )


def raise_changed_under_lock() -> None:
    raise RuntimeError("stock_balances changed under a held lock; run 'dealerhub stock check'")


def plan_deltas(
    deltas: Mapping[Key, tuple[Decimal, Decimal]], current: dict[Key, tuple[Decimal, Decimal]]
) -> tuple[list[Shortage], list[dict], list[dict]]:
    """The shortages, the rows to create and the guarded updates of these changes."""
    shortages, creates, updates = [], [], []
    for key in sorted(deltas):
        d_on_hand, d_reserved = deltas[key]
        if (d_on_hand, d_reserved) == (ZERO, ZERO):
            continue
        if key not in current:
            if d_reserved == 0 and d_on_hand > 0:
                creates.append({"item_id": key[0], "warehouse_id": key[1], "on_hand": d_on_hand, "reserved": ZERO})
            else:
                shortages.append(Shortage(key[0], key[1], _asked(d_on_hand, d_reserved), ZERO))
            continue
        on_hand, reserved = current[key]
        if on_hand + d_on_hand < reserved + d_reserved or reserved + d_reserved < 0:
            shortages.append(Shortage(key[0], key[1], _asked(d_on_hand, d_reserved), on_hand - reserved))
            continue
        updates.append({"k_item": key[0], "k_warehouse": key[1], "d_on_hand": d_on_hand, "d_reserved": d_reserved})
    return shortages, creates, updates


def _asked(d_on_hand: Decimal, d_reserved: Decimal) -> Decimal:
    """What the change takes from free stock."""
    return d_reserved - d_on_hand


def _upsert(s: Session):
    insert = postgresql.insert if s.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(_t)
    return stmt.on_conflict_do_update(
        index_elements=["item_id", "warehouse_id"], set_={"on_hand": _t.c.on_hand + stmt.excluded.on_hand}
    )
