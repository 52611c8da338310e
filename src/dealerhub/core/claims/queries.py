"""Reading claims: one of a dealer's, the dealer's list, the staff's queue, a sale line as a
dealer may claim it, and what counting claims already hold of each sale line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from dealerhub.core.catalog.models import Item
from dealerhub.core.claims.errors import ClaimNotFound, ShippedLineNotFound
from dealerhub.core.claims.models import Claim
from dealerhub.core.claims.rules import COUNTING, STATUSES
from dealerhub.core.partners.models import Partner
from dealerhub.core.sales.models import Sale, SaleLine
from dealerhub.shared.texts import T

# The queue shows what waits for staff first: new, in review, approved (not resolved yet).
_QUEUE_ORDER = {"submitted": 0, "in_review": 1, "approved": 2, "rejected": 3, "resolved": 4}


@dataclass(frozen=True)
class ShippedLine:
    """A line of a posted sale to the dealer, as a claim sees it."""

    sale_id: int
    sale_number: str
    sale_line_id: int
    line_no: int
    item_id: int
    item_kind: str
    quantity: Decimal
    claimed: Decimal
    customer_order_id: int
    partner_id: int
    contractor_id: int
    warehouse_id: int


def shipped_line(
    s: Session, sale_line_id: int, *, partner_id: int | None = None, posted_only: bool = True
) -> ShippedLine:
    """The line of a posted sale (of this dealer, when partner_id is given). `posted_only=False`:
    the line of a claim made earlier, whatever became of its sale since (the claim's pages)."""
    query = (
        select(SaleLine, Sale, Item.kind)
        .join(Sale, Sale.id == SaleLine.sale_id)
        .join(Item, Item.id == SaleLine.item_id)
        .where(SaleLine.id == sale_line_id)
    )
    if posted_only:
        query = query.where(Sale.status == "posted")
    if partner_id is not None:
        query = query.where(Sale.partner_id == partner_id)
    row = s.execute(query).first()
    if row is None:
        raise ShippedLineNotFound(T("there is no such line of a posted sale"), sale_line_id=sale_line_id)
    line, sale, kind = row
    return ShippedLine(
        sale.id, sale.number, line.id, line.line_no, line.item_id, kind, line.quantity,
        claimed_by_sale_line(s, [line.id]).get(line.id, Decimal(0)),
        sale.customer_order_id, sale.partner_id, sale.contractor_id, sale.warehouse_id,
    )


def claimed_by_sale_line(s: Session, sale_line_ids: Iterable[int]) -> dict[int, Decimal]:
    """What claims that still count (not rejected) hold of each sale line."""
    ids = set(sale_line_ids)
    if not ids:
        return {}
    rows = s.execute(
        select(Claim.sale_line_id, func.sum(Claim.quantity))
        .where(Claim.sale_line_id.in_(ids), Claim.status.in_(COUNTING))
        .group_by(Claim.sale_line_id)
    )
    return dict(rows.all())


def get_claim(s: Session, claim_id: int, *, partner_id: int | None = None) -> Claim:
    """The claim; with partner_id (a dealer asking) only one of that dealer's."""
    query = select(Claim).where(Claim.id == claim_id)
    if partner_id is not None:
        query = query.where(Claim.partner_id == partner_id)
    claim = s.scalar(query)
    if claim is None:
        raise ClaimNotFound(T("there is no such claim"), claim_id=claim_id)
    return claim


def list_dealer_claims(s: Session, partner_id: int, *, limit: int = 100) -> Sequence[Claim]:
    """The dealer's claims, newest first."""
    return s.scalars(
        select(Claim).where(Claim.partner_id == partner_id).order_by(Claim.id.desc()).limit(limit)
    ).all()


@dataclass(frozen=True)
class QueueRow:
    claim: Claim
    dealer: str


def claims_queue(
    s: Session, *, status: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[QueueRow], int]:
    """Claims for staff: what waits first (submitted, in review, approved), oldest first within."""
    where = [Claim.status == status] if status in STATUSES else []
    rank = case(_QUEUE_ORDER, value=Claim.status, else_=9)
    rows = s.execute(
        select(Claim, Partner.name)
        .join(Partner, Partner.id == Claim.partner_id)
        .where(*where)
        .order_by(rank, Claim.id)
        .limit(limit)
        .offset(offset)
    ).all()
    total = s.scalar(select(func.count()).select_from(Claim).where(*where)) or 0
    return [QueueRow(claim, dealer) for claim, dealer in rows], total


def claims_of_sale_lines(s: Session, sale_line_ids: Iterable[int]) -> dict[int, list[Claim]]:
    """The claims made on each of these sale lines (for the order page)."""
    ids = set(sale_line_ids)
    found: dict[int, list[Claim]] = {}
    if ids:
        for claim in s.scalars(select(Claim).where(Claim.sale_line_id.in_(ids)).order_by(Claim.id)):
            found.setdefault(claim.sale_line_id, []).append(claim)
    return found
