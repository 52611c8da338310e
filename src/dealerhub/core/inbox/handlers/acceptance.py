"""What both kinds of RECEIPT keep besides their document: the lines that were not simply accepted
to stock as announced (rejected, to defect or quarantine, or with a discrepancy)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from dealerhub.core.inbox.models import ReceiptDiscrepancy
from dealerhub.exchange.contracts import ReceiptLine, to_decimal


def keep_discrepancies(
    s: Session, message_id: str, acceptance_id: int, lines: Iterable[ReceiptLine], items: dict[str, int]
) -> None:
    for line in lines:
        accepted, rejected = to_decimal(line.accepted), to_decimal(line.rejected)
        if line.disposition == "stock" and rejected == 0 and line.discrepancy is None:
            continue
        s.add(
            ReceiptDiscrepancy(
                message_id=message_id, acceptance_id=acceptance_id, asn_line_no=line.asn_line_no,
                item_id=items[line.item_code], accepted=accepted, rejected=rejected,
                disposition=line.disposition, discrepancy=line.discrepancy, comment=line.comment,
            )
        )
    s.flush()
