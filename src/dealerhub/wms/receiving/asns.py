"""ASNs as the core announces them: create, replace (while nothing is final), cancel (while
nothing was accepted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from dealerhub.shared.texts import T, Text
from dealerhub.wms.errors import StateConflict, WmsNotFound
from dealerhub.wms.receiving.models import Asn, AsnLine, Receipt, ReceiptLine


@dataclass(frozen=True)
class ExpectedLine:
    line_no: int
    item_id: int
    quantity: Decimal


def find_asn(s: Session, warehouse_id: int, asn_number: str, *, lock: bool = False) -> Asn | None:
    query = select(Asn).where(Asn.warehouse_id == warehouse_id, Asn.asn_number == asn_number)
    return s.scalar(query.with_for_update() if lock else query)


def get_asn(s: Session, warehouse_id: int, asn_number: str) -> Asn:
    asn = find_asn(s, warehouse_id, asn_number)
    if asn is None:
        raise WmsNotFound(T("no ASN %(asn)s on this warehouse", asn=asn_number), asn=asn_number)
    return asn


def asn_lines(s: Session, asn_id: int) -> list[AsnLine]:
    return list(s.scalars(select(AsnLine).where(AsnLine.asn_id == asn_id).order_by(AsnLine.line_no)))


def create_asn(s: Session, warehouse_id: int, *, asn_number: str, kind: str, source_number: str,
               counterparty_code: str, expected_date: date | None, lines: list[ExpectedLine]) -> Asn:
    if find_asn(s, warehouse_id, asn_number) is not None:
        raise StateConflict(T("ASN %(asn)s exists already", asn=asn_number), asn=asn_number)
    asn = Asn(warehouse_id=warehouse_id, asn_number=asn_number, kind=kind, source_number=source_number,
              counterparty_code=counterparty_code, expected_date=expected_date, status="expected", revision=1)
    s.add(asn)
    s.flush()
    _set_lines(s, asn, lines)
    return asn


def replace_asn(s: Session, asn: Asn, *, expected_date: date | None, counterparty_code: str,
                lines: list[ExpectedLine]) -> Asn:
    """New expected lines; what was accepted stays (matched by line number)."""
    if asn.status not in ("expected", "receiving"):
        raise not_open(asn, T("it can no longer be replaced"))
    asn.expected_date, asn.counterparty_code, asn.revision = expected_date, counterparty_code, asn.revision + 1
    s.execute(delete(AsnLine).where(AsnLine.asn_id == asn.id))
    _set_lines(s, asn, lines)
    return asn


def cancel_asn(s: Session, asn: Asn) -> Asn:
    if asn.status == "cancelled":
        return asn
    accepted = s.scalar(
        select(func.count()).select_from(ReceiptLine).join(Receipt, Receipt.id == ReceiptLine.receipt_id)
        .where(Receipt.asn_id == asn.id)
    )
    if asn.status == "closed" or accepted:
        raise StateConflict(T("ASN %(asn)s has goods accepted already: it cannot be cancelled", asn=asn.asn_number),
                            asn=asn.asn_number)
    asn.status = "cancelled"
    s.flush()
    return asn


def not_open(asn: Asn, consequence: Text | None = None) -> StateConflict:
    """The refusal for an ASN that is closed or cancelled (goods are accepted against open ASNs only)."""
    if asn.status == "cancelled":
        state = T("ASN %(asn)s is cancelled", asn=asn.asn_number)
    else:
        state = T("ASN %(asn)s is closed", asn=asn.asn_number)
    text = state if consequence is None else T("%(state)s: %(consequence)s", state=state, consequence=consequence)
    return StateConflict(text, asn=asn.asn_number)


def _set_lines(s: Session, asn: Asn, lines: list[ExpectedLine]) -> None:
    for line in lines:
        s.add(AsnLine(asn_id=asn.id, line_no=line.line_no, item_id=line.item_id, expected=line.quantity))
    s.flush()
