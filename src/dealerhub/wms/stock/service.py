"""Changing stock: every change of a bin's quantity writes its ledger row in the same transaction.

Rows are locked (SELECT ... FOR UPDATE on servers; SQLite's write transaction is exclusive) before
they change; `allocated` is changed only together with the tasks that allocate it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.wms.errors import NotEnoughStock, SerialRefused
from dealerhub.wms.layout.models import Bin
from dealerhub.wms.stock.models import Serial, Stock, StockMove

ZERO = Decimal(0)


def stock_row(s: Session, bin_id: int, item_id: int, status: str, *, lock: bool = True) -> Stock | None:
    query = select(Stock).where(Stock.bin_id == bin_id, Stock.item_id == item_id, Stock.status == status)
    return s.scalar(query.with_for_update() if lock else query)


def _ledger(s: Session, bin_: Bin, item_id: int, status: str, quantity: Decimal, reason: str, **ref) -> None:
    s.execute(
        insert(StockMove),
        {
            "at": clock.now(),
            "warehouse_id": bin_.warehouse_id,
            "bin_id": bin_.id,
            "item_id": item_id,
            "status": status,
            "quantity": quantity,
            "reason": reason,
            "document_number": ref.get("document_number"),
            "task_id": ref.get("task_id"),
            "user_id": ref.get("user_id"),
        },
    )


def put(s: Session, bin_: Bin, item_id: int, status: str, quantity: Decimal, reason: str, **ref) -> Stock:
    """Add `quantity` of the item to the bin with `status`."""
    row = stock_row(s, bin_.id, item_id, status)
    if row is None:
        try:
            with s.begin_nested():
                row = Stock(warehouse_id=bin_.warehouse_id, bin_id=bin_.id, item_id=item_id, status=status,
                            quantity=ZERO, allocated=ZERO)
                s.add(row)
                s.flush()
        except IntegrityError:  # a concurrent transaction made the row first
            row = stock_row(s, bin_.id, item_id, status)
            assert row is not None
    row.quantity += quantity
    _ledger(s, bin_, item_id, status, quantity, reason, **ref)
    s.flush()
    return row


def take(
    s: Session, bin_: Bin, item_id: int, status: str, quantity: Decimal, reason: str, *, allocated: bool = False, **ref
) -> Stock:
    """Take `quantity` out of the bin: from what was allocated to the caller's task (`allocated`),
    else from what is free there."""
    row = stock_row(s, bin_.id, item_id, status)
    free = ZERO if row is None else (row.allocated if allocated else row.quantity - row.allocated)
    if row is None or free < quantity:
        values = {"bin": bin_.barcode, "free": f"{free.normalize():f}", "asked": f"{quantity.normalize():f}"}
        raise NotEnoughStock(
            T("bin %(bin)s has %(free)s allocated of the item, %(asked)s asked", **values) if allocated
            else T("bin %(bin)s has %(free)s free of the item, %(asked)s asked", **values),
            bin=bin_.barcode, free=str(free), asked=str(quantity),
        )
    row.quantity -= quantity
    if allocated:
        row.allocated -= quantity
    _ledger(s, bin_, item_id, status, -quantity, reason, **ref)
    s.flush()
    return row


def move(s: Session, from_bin: Bin, to_bin: Bin, item_id: int, quantity: Decimal, reason: str, *,
         from_status: str = "available", to_status: str | None = None, allocated: bool = False, **ref) -> None:
    take(s, from_bin, item_id, from_status, quantity, reason, allocated=allocated, **ref)
    put(s, to_bin, item_id, to_status or from_status, quantity, reason, **ref)


def allocate(s: Session, row: Stock, quantity: Decimal) -> None:
    if row.quantity - row.allocated < quantity:
        raise NotEnoughStock(T("only %(free)s free to allocate, %(asked)s asked",
                                 free=f"{(row.quantity - row.allocated).normalize():f}", asked=f"{quantity.normalize():f}"))
    row.allocated += quantity
    s.flush()


def release(s: Session, bin_id: int, item_id: int, quantity: Decimal, status: str = "available") -> None:
    """Give back an allocation (a task line cancelled or short)."""
    if quantity <= 0:
        return
    row = stock_row(s, bin_id, item_id, status)
    if row is None or row.allocated < quantity:
        raise NotEnoughStock(T("releasing more than was allocated"))
    row.allocated -= quantity
    s.flush()


# --- serial numbers -------------------------------------------------------------------------------


# A serial number as machines carry it (PIN, VIN, the maker's plate): 3 to 64 latin letters, digits
# and the separators - / . ; upper case (a scanner may type lower case: it is the same number).
SERIAL_FORMAT = re.compile(r"[A-Z0-9][A-Z0-9./-]{2,63}")


def normalize_serial(raw: str) -> str:
    value = raw.strip().upper()
    if not SERIAL_FORMAT.fullmatch(value):
        raise SerialRefused(
            T("«%(serial)s» is not a serial number: 3 to 64 latin letters, digits, '-', '/' or '.'",
              serial=raw.strip()),
            serial=raw.strip(),
        )
    return value


def check_serials(serials: list[str], quantity: Decimal) -> list[str]:
    cleaned = [normalize_serial(x) for x in serials if x.strip()]
    if len(set(cleaned)) != len(cleaned):
        raise SerialRefused(T("a serial number is scanned twice"))
    if Decimal(len(cleaned)) != quantity:
        raise SerialRefused(T("%(quantity)s units of a serial-tracked item need %(quantity)s serial numbers, got %(got)s",
                              quantity=f"{quantity.normalize():f}", got=len(cleaned)))
    return cleaned


def receive_serials(s: Session, bin_: Bin, item_id: int, serials: list[str], status: str,
                    document: str) -> dict[str, tuple[str | None, str | None]]:
    """Serials arrive in the bin. Returns, for each serial that had been in the warehouse before and
    left, what its row said then (received in, shipped in), so that the arrival can be undone."""
    prior: dict[str, tuple[str | None, str | None]] = {}
    for serial_no in serials:
        row = s.scalar(select(Serial).where(Serial.item_id == item_id, Serial.serial_no == serial_no))
        if row is not None and row.status != "shipped":
            raise SerialRefused(T("serial number %(serial)s is in the warehouse already", serial=serial_no),
                                serial=serial_no)
        if row is None:
            row = Serial(item_id=item_id, serial_no=serial_no, warehouse_id=bin_.warehouse_id)
            s.add(row)
        else:
            prior[serial_no] = (row.received_in, row.shipped_in)
        row.bin_id, row.status, row.received_in, row.shipped_in = bin_.id, status, document, None
    s.flush()
    return prior


def move_serials(s: Session, from_bin: Bin, to_bin: Bin | None, item_id: int, serials: list[str], *,
                 status: str | None = None, shipped_in: str | None = None) -> None:
    """Serials leave `from_bin` for `to_bin` (None: they left the warehouse in `shipped_in`)."""
    rows = {
        r.serial_no: r
        for r in s.scalars(
            select(Serial).where(Serial.item_id == item_id, Serial.serial_no.in_(serials), Serial.bin_id == from_bin.id)
        )
    }
    missing = [x for x in serials if x not in rows]
    if missing:
        raise SerialRefused(T("serial number(s) %(serials)s are not in bin %(bin)s", serials=", ".join(missing),
                              bin=from_bin.barcode), serials=missing)
    for row in rows.values():
        row.bin_id = to_bin.id if to_bin else None
        if status:
            row.status = status
        if shipped_in:
            row.status, row.shipped_in = "shipped", shipped_in
    s.flush()
