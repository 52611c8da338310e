"""Writing and reading the settlements register: moves are only ever inserted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from dealerhub.core.settlements.errors import InvalidPeriod
from dealerhub.core.settlements.models import SettlementMove
from dealerhub.core.settlements.rules import ZERO, Entry, Statement, end_of, start_of, statement_lines
from dealerhub.shared.texts import T

RUB = "RUB"


@dataclass(frozen=True)
class SettlementDoc:
    """The document a move belongs to, and whom it concerns."""

    document_type: str
    document_id: int
    document_number: str
    partner_id: int
    contractor_id: int
    currency: str = RUB

    @classmethod
    def of(cls, doc: object) -> SettlementDoc:
        """From a document with partner_id, contractor_id (and currency, RUB if it has none)."""
        return cls(
            type(doc).doc_type,  # type: ignore[attr-defined]
            doc.id,  # type: ignore[attr-defined]
            doc.number,  # type: ignore[attr-defined]
            doc.partner_id,  # type: ignore[attr-defined]
            doc.contractor_id,  # type: ignore[attr-defined]
            getattr(doc, "currency", None) or RUB,
        )


def record_debit(s: Session, doc: SettlementDoc, amount: Decimal, occurred_at: datetime) -> None:
    """The dealer owes `amount` more (a sale). Zero writes nothing."""
    _write(s, doc, Decimal(amount), occurred_at, reversal=False)


def record_credit(s: Session, doc: SettlementDoc, amount: Decimal, occurred_at: datetime) -> None:
    """The dealer owes `amount` less (a payment, a customer return, a credit note). Zero writes nothing."""
    _write(s, doc, -Decimal(amount), occurred_at, reversal=False)


def reverse_document(s: Session, document_type: str, document_id: int) -> None:
    """Unposting: append the opposite of what the document's moves add up to now, per contractor,
    currency and date (nothing when they already net to zero)."""
    rows = s.execute(
        select(
            SettlementMove.partner_id,
            SettlementMove.contractor_id,
            SettlementMove.currency,
            SettlementMove.occurred_at,
            SettlementMove.document_number,
            func.sum(SettlementMove.amount),
        )
        .where(SettlementMove.document_type == document_type, SettlementMove.document_id == document_id)
        .group_by(
            SettlementMove.partner_id,
            SettlementMove.contractor_id,
            SettlementMove.currency,
            SettlementMove.occurred_at,
            SettlementMove.document_number,
        )
    ).all()
    for partner_id, contractor_id, currency, occurred_at, number, net in rows:
        doc = SettlementDoc(document_type, document_id, number, partner_id, contractor_id, currency)
        _write(s, doc, -Decimal(net or 0), occurred_at, reversal=True)


def _write(s: Session, doc: SettlementDoc, amount: Decimal, occurred_at: datetime, *, reversal: bool) -> None:
    if amount == 0:
        return
    s.execute(
        insert(SettlementMove).values(
            occurred_at=occurred_at,
            partner_id=doc.partner_id,
            contractor_id=doc.contractor_id,
            currency=doc.currency,
            amount=amount,
            document_type=doc.document_type,
            document_id=doc.document_id,
            document_number=doc.document_number,
            is_reversal=reversal,
        )
    )


def contractor_balance(s: Session, contractor_id: int, at: date | None = None, *, currency: str = RUB) -> Decimal:
    """What the contractor owes at the end of `at` (all moves when None); negative: an advance."""
    stmt = select(func.coalesce(func.sum(SettlementMove.amount), 0)).where(
        SettlementMove.contractor_id == contractor_id, SettlementMove.currency == currency
    )
    if at is not None:
        stmt = stmt.where(SettlementMove.occurred_at < end_of(at))
    return Decimal(s.scalar(stmt) or 0)


def partner_balances(s: Session, partner_id: int, at: date | None = None) -> dict[tuple[int, str], Decimal]:
    """(contractor id, currency) -> balance, for every contractor of the partner with moves."""
    stmt = (
        select(SettlementMove.contractor_id, SettlementMove.currency, func.sum(SettlementMove.amount))
        .where(SettlementMove.partner_id == partner_id)
        .group_by(SettlementMove.contractor_id, SettlementMove.currency)
    )
    if at is not None:
        stmt = stmt.where(SettlementMove.occurred_at < end_of(at))
    return {(cid, cur): Decimal(total or 0) for cid, cur, total in s.execute(stmt)}


def settlement_moves(
    s: Session, contractor_id: int, date_from: date, date_to: date, *, currency: str = RUB
) -> list[Entry]:
    """The contractor's moves dated within [date_from, date_to], reversals included, in order."""
    _check_period(date_from, date_to)
    rows = s.execute(
        select(
            SettlementMove.occurred_at,
            SettlementMove.document_type,
            SettlementMove.document_id,
            SettlementMove.document_number,
            SettlementMove.amount,
            SettlementMove.is_reversal,
        )
        .where(
            SettlementMove.contractor_id == contractor_id,
            SettlementMove.currency == currency,
            SettlementMove.occurred_at >= start_of(date_from),
            SettlementMove.occurred_at < end_of(date_to),
        )
        .order_by(SettlementMove.occurred_at, SettlementMove.id)
    )
    return [Entry(*row) for row in rows]


def reconciliation(
    s: Session, contractor_id: int, date_from: date, date_to: date, *, currency: str = RUB
) -> Statement:
    """The reconciliation statement: the balance before `date_from`, the period's documents, and
    (computed) turnovers and the closing balance."""
    _check_period(date_from, date_to)
    opening = ZERO
    if date_from > date.min:
        opening = contractor_balance(s, contractor_id, date_from - timedelta(days=1), currency=currency)
    entries = settlement_moves(s, contractor_id, date_from, date_to, currency=currency)
    return Statement(date_from, date_to, opening, statement_lines(entries))


def _check_period(date_from: date, date_to: date) -> None:
    if date_to < date_from:
        raise InvalidPeriod(T("the period ends (%(end)s) before it starts (%(start)s)", end=date_to, start=date_from))
