"""What the supervisor's receiving page reads: acceptances with discrepancies."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.wms.catalog.models import Item
from dealerhub.wms.receiving.models import Asn, AsnLine, Receipt, ReceiptLine

ZERO = Decimal(0)


@dataclass(frozen=True)
class Discrepancy:
    receipt_number: str
    asn_number: str | None
    item_code: str
    asn_line_no: int | None
    kind: str  # unannounced | damaged | rejected | short | over | no_asn
    quantity: Decimal


def discrepancies(s: Session, warehouse_id: int, *, limit: int = 200) -> list[Discrepancy]:
    out: list[Discrepancy] = []
    receipts = s.scalars(select(Receipt).where(Receipt.warehouse_id == warehouse_id).order_by(Receipt.id.desc())
                         .limit(limit)).all()
    for receipt in receipts:
        asn = s.get(Asn, receipt.asn_id) if receipt.asn_id else None
        lines = s.execute(select(ReceiptLine, Item.code).join(Item, Item.id == ReceiptLine.item_id)
                          .where(ReceiptLine.receipt_id == receipt.id).order_by(ReceiptLine.id)).all()
        number = asn.asn_number if asn else None
        for line, code in lines:
            no = line.asn_line_no or None
            if asn is None:
                out.append(Discrepancy(receipt.number, None, code, None, "no_asn", line.accepted))
            elif no is None:
                out.append(Discrepancy(receipt.number, number, code, None, "unannounced", line.accepted))
            if line.disposition == "defect":
                out.append(Discrepancy(receipt.number, number, code, no, "damaged", line.accepted))
            if line.rejected:
                out.append(Discrepancy(receipt.number, number, code, no, "rejected", line.rejected))
        if asn is not None and receipt.status == "final":
            got: dict[int, Decimal] = {}
            for line, _code in lines:
                if line.asn_line_no:
                    got[line.asn_line_no] = got.get(line.asn_line_no, ZERO) + line.accepted + line.rejected
            for asn_line, code in s.execute(select(AsnLine, Item.code).join(Item, Item.id == AsnLine.item_id)
                                            .where(AsnLine.asn_id == asn.id).order_by(AsnLine.line_no)):
                if asn_line.line_no in got and got[asn_line.line_no] != asn_line.expected:
                    kind = "over" if got[asn_line.line_no] > asn_line.expected else "short"
                    out.append(Discrepancy(receipt.number, number, code, asn_line.line_no, kind,
                                           abs(got[asn_line.line_no] - asn_line.expected)))
    return out
