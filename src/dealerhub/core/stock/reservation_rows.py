"""The rows a reservation writes: the `reservations` row and its "reserve" move, many at once.

SQLite: one multi-row INSERT ... RETURNING for the reservations, one executemany for the moves.
PostgreSQL: one statement for both, its rows given as one array per column (`WITH r AS (INSERT INTO
reservations ... SELECT ... FROM unnest(...) RETURNING ...), m AS (INSERT INTO reservation_moves
... FROM r) SELECT ...`): the same SQL for any number of rows, so psycopg converts it once and the
server plans it once, and it goes in the same round trip as the balance updates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Connection, Insert, bindparam, literal, select

from dealerhub.core.stock.ledger import DocRef
from dealerhub.core.stock.models import Reservation, ReservationMove
from dealerhub.shared.statements import (
    Batch,
    Prepared,
    column_types,
    in_list,
    insert_of,
    row_lists,
    unnest_rows,
)

_RESERVATIONS = Reservation.__table__
_MOVES = ReservationMove.__table__
_MOVE_COLUMNS = (
    "occurred_at",
    "reservation_id",
    "item_id",
    "warehouse_id",
    "quantity",
    "reason",
    "document_type",
    "document_id",
)
INSERT_MOVES = Prepared(insert_of(_MOVES, *_MOVE_COLUMNS))
_IDENTITY = ("item_id", "warehouse_id", "holder_type", "holder_id", "holder_line_id")
_RESERVATION_COLUMNS = (*_IDENTITY, "quantity", "created_at", "expires_at")
_INSERT_ONE = Prepared(insert_of(_RESERVATIONS, *_RESERVATION_COLUMNS).returning(_RESERVATIONS.c.id))
_INSERTS_RETURNING: dict[int, Prepared] = {}
_BATCH = 100  # rows per INSERT on SQLite: 900 parameters, well within its limit


def reservation_row(
    item_id: int, warehouse_id: int, holder: tuple[str, int, int | None], quantity: Decimal, now: datetime,
    expires_at: datetime | None,
) -> dict:  # fmt: skip
    holder_type, holder_id, holder_line_id = holder
    return {
        "item_id": item_id,
        "warehouse_id": warehouse_id,
        "holder_type": holder_type,
        "holder_id": holder_id,
        "holder_line_id": holder_line_id,
        "quantity": quantity,
        "created_at": now,
        "expires_at": expires_at,
    }


def move_row(
    reservation_id: int, item_id: int, warehouse_id: int, qty: Decimal, reason: str, doc: DocRef, at: datetime
) -> dict:
    return {
        "occurred_at": at,
        "reservation_id": reservation_id,
        "item_id": item_id,
        "warehouse_id": warehouse_id,
        "quantity": qty,
        "reason": reason,
        "document_type": doc.document_type,
        "document_id": doc.document_id,
    }


def send_reservations(b: Batch, rows: list[dict], doc: DocRef, now: datetime) -> Callable[[], list[int]]:
    """Insert the reservations (reservation_row()) and their "reserve" moves; returns how to get
    their ids, in the rows' order, once the batch is done.

    The database may return RETURNING rows in any order; when every row's (item, warehouse,
    holder) is distinct, that identity maps each id back to its row. Otherwise one INSERT per row."""
    if not rows:
        return list
    keys = [tuple(row[c] for c in _IDENTITY) for row in rows]
    if b.conn.dialect.name != "postgresql" or len(set(keys)) != len(keys):
        ids = _insert_reservations(b.conn, rows, keys)
        # The moves copy what the rows just written hold: one INSERT ... SELECT, in the ids' order.
        moves = b.send(
            _MOVES_OF_NEW, {"ids": ids, "document_type": doc.document_type, "document_id": doc.document_id}
        )

        def written() -> list[int]:
            if moves.rowcount != len(ids):  # pragma: no cover - we just wrote them
                raise RuntimeError("reservations just written were not found")
            return ids

        return written
    params = row_lists(rows, *_RESERVATION_COLUMNS)
    params.update({"document_type": doc.document_type, "document_id": doc.document_id})
    pending = b.send(_reserve_with_moves(), params)

    def ids() -> list[int]:
        by_key = {tuple(r[1:]): r.id for r in pending.rows}
        return [by_key[key] for key in keys]

    return ids


def _reserve_move_of(r: Any) -> tuple[Any, ...]:
    """The columns (_MOVE_COLUMNS' order) of the "reserve" move a reservation row `r` starts with:
    its time, item, warehouse and quantity, for the document given as parameters."""
    return (
        r.c.created_at,
        r.c.id,
        r.c.item_id,
        r.c.warehouse_id,
        r.c.quantity,
        literal("reserve", _MOVES.c.reason.type),
        bindparam("document_type", type_=_MOVES.c.document_type.type),
        bindparam("document_id", type_=_MOVES.c.document_id.type),
    )


def _moves_of_new() -> Insert:
    """The "reserve" move of each reservation named (`ids`), as a reservation's first move holds:
    its time, item, warehouse and quantity."""
    r = _RESERVATIONS
    moves = select(*_reserve_move_of(r)).where(in_list(r.c.id, "ids")).order_by(r.c.id)
    return _MOVES.insert().from_select(list(_MOVE_COLUMNS), moves)


_MOVES_OF_NEW = Prepared(_moves_of_new())


def _insert_reservations(conn: Connection, rows: list[dict], keys: list[tuple]) -> list[int]:
    if len(set(keys)) != len(keys):
        return [_INSERT_ONE.one(conn, row).id for row in rows]
    by_key = {}
    for start in range(0, len(rows), _BATCH):
        batch = rows[start : start + _BATCH]
        params = {f"{c}_{n}": row[c] for n, row in enumerate(batch) for c in _RESERVATION_COLUMNS}
        by_key.update({tuple(r[1:]): r.id for r in _insert_returning(len(batch)).rows(conn, params)})
    return [by_key[key] for key in keys]


@cache
def _reserve_with_moves() -> Prepared:
    """PostgreSQL: the reservations of row_lists() and their "reserve" moves in one statement;
    returns the reservations' id and identity."""
    t = _RESERVATIONS
    given = unnest_rows(column_types(t, *_RESERVATION_COLUMNS))
    r = (
        t.insert()
        .from_select(list(_RESERVATION_COLUMNS), select(*(given.c[c] for c in _RESERVATION_COLUMNS)))
        .returning(t.c.id, *(t.c[c] for c in _IDENTITY), t.c.quantity, t.c.created_at)
        .cte("r")
    )
    moves = select(*_reserve_move_of(r)).select_from(r)
    m = _MOVES.insert().from_select(list(_MOVE_COLUMNS), moves).cte("m")
    return Prepared(select(r.c.id, *(r.c[c] for c in _IDENTITY)).select_from(r).add_cte(m))


def _multi_row_insert(count: int) -> Insert:
    t = _RESERVATIONS
    values = [
        {c: bindparam(f"{c}_{n}", type_=t.c[c].type, required=True) for c in _RESERVATION_COLUMNS}
        for n in range(count)
    ]
    return t.insert().values(values).returning(t.c.id, *(t.c[c] for c in _IDENTITY))


def _insert_returning(count: int) -> Prepared:
    """SQLite: INSERT of `count` rows (parameters `column_n`) returning id and identity; one per row count."""
    stmt = _INSERTS_RETURNING.get(count)
    if stmt is None:
        stmt = _INSERTS_RETURNING[count] = Prepared(_multi_row_insert(count))
    return stmt
