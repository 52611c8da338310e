"""A WMS's opening stock as a file between the two systems: the core writes what its books hold
(`dealerhub stock export-for-wms`), the warehouse adds serial numbers where machines need them,
the WMS loads it (`dealerhub wms load-stock`). Neither system reads the other's database.

The file: CSV, UTF-8, the header `item_code,quantity,status,serials`; status available (empty
means available), defect or quarantine; serial numbers separated by spaces."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import IO

HEADER = ["item_code", "quantity", "status", "serials"]
STATUSES = ("available", "defect", "quarantine")


class OpeningFileError(ValueError):
    pass


def write_opening_file(out: IO[str], rows: Iterable[tuple[str, Decimal, str, Iterable[str]]]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    count = 0
    for code, quantity, status, serials in rows:
        writer.writerow([code, format(quantity.normalize(), "f"), status, " ".join(serials)])
        count += 1
    return count


def read_opening_file(source: IO[str]) -> Iterator[tuple[str, Decimal, str, tuple[str, ...]]]:
    reader = csv.reader(source)
    if [h.strip().lower() for h in next(reader, [])] != HEADER:
        raise OpeningFileError(f"line 1: the header must be {','.join(HEADER)}")
    for number, row in enumerate(reader, start=2):
        cells = [cell.strip() for cell in row] + ["", "", "", ""]
        if not any(cells):
            continue
        code, quantity_text, status, serials = cells[:4]
        try:
            quantity = Decimal(quantity_text)
        except InvalidOperation:
            quantity = None
        if not code or quantity is None or not quantity.is_finite():
            raise OpeningFileError(f"line {number}: an item code and a quantity expected, got {row!r}")
        status = status.lower() or "available"
        if status not in STATUSES:
            raise OpeningFileError(f"line {number}: status {status!r} is not one of {', '.join(STATUSES)}")
        yield code, quantity, status, tuple(serials.split())
