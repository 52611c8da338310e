"""The arithmetic of settlements as pure functions: period bounds, a reconciliation statement from
moves, an invoice's payment status. No I/O here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

ZERO = Decimal(0)


def start_of(day: date) -> datetime:
    """00:00 UTC of `day`: business dates are UTC dates, like the clock's today()."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def end_of(day: date) -> datetime:
    """The first instant after `day` (moves strictly before it belong to the day or earlier)."""
    return start_of(day + timedelta(days=1))


def default_period(today: date) -> tuple[date, date]:
    """What a settlements page shows unless told: from the first day of the month two months back
    to today."""
    start = today.replace(day=1)
    for _ in range(2):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, today


@dataclass(frozen=True)
class Entry:
    """One move as the register holds it (amount signed: + debit, - credit)."""

    occurred_at: datetime
    document_type: str
    document_id: int
    document_number: str
    amount: Decimal
    is_reversal: bool = False

    @property
    def debit(self) -> Decimal:
        return self.amount if self.amount > 0 else ZERO

    @property
    def credit(self) -> Decimal:
        return -self.amount if self.amount < 0 else ZERO


@dataclass(frozen=True)
class StatementLine:
    on: date
    document_type: str
    document_id: int
    document_number: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class Statement:
    """A reconciliation statement of one contractor for [date_from, date_to], the distributor's view:
    debit is what the dealer was charged, credit what it paid or got back."""

    date_from: date
    date_to: date
    opening: Decimal
    lines: tuple[StatementLine, ...]

    @property
    def debit_turnover(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def credit_turnover(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit_turnover - self.credit_turnover


def statement_lines(entries: Iterable[Entry]) -> tuple[StatementLine, ...]:
    """One line per document and day: a document's moves of one day netted (a sale posted,
    unposted and posted again is one debit; posted and unposted within the period, none).
    In order of date, then of the document's first move."""
    nets: dict[tuple[date, str, int], list] = {}
    for e in entries:
        key = (e.occurred_at.astimezone(UTC).date(), e.document_type, e.document_id)
        if key not in nets:
            nets[key] = [e.document_number, ZERO, len(nets)]
        nets[key][1] += e.amount
    ordered = sorted(nets.items(), key=lambda kv: (kv[0][0], kv[1][2]))
    return tuple(
        StatementLine(on, doc_type, doc_id, number, max(net, ZERO), max(-net, ZERO))
        for (on, doc_type, doc_id), (number, net, _) in ordered
        if net != 0
    )


def payment_status(total: Decimal, paid: Decimal) -> str:
    """An invoice's status from what was paid against it: unpaid, partly_paid or paid."""
    if paid <= 0:
        return "unpaid"
    return "paid" if paid >= total else "partly_paid"
