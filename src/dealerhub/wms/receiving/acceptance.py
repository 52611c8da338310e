"""Accepting goods: a storekeeper opens an acceptance (against an ASN, one per supplier invoice),
scans item barcodes and counts, over as many sessions as it takes; each `send_part` reports what
was accepted since the last part (RECEIPT, final=false) and `finish` sends the final part with the
discrepancies: short / over against the ASN (when the acceptance closes the ASN), damaged (accepted
to the defect zone, or rejected at the dock), unannounced (an item the ASN did not name).

Goods that no ASN announced at all are never refused silently: they are accepted into quarantine
on an acceptance without an ASN, listed for the supervisor, and reported once an ASN is attached.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dealerhub.shared import clock
from dealerhub.shared.texts import T
from dealerhub.wms.catalog.models import Item
from dealerhub.wms.catalog.rules import check_quantity
from dealerhub.wms.catalog.service import item_by_barcode
from dealerhub.wms.errors import QuantityRefused, StateConflict, WmsNotFound
from dealerhub.wms.layout.models import Bin, Warehouse
from dealerhub.wms.layout.service import first_bin
from dealerhub.wms.names import CONDITION_NAMES, named
from dealerhub.wms.numbering import next_number
from dealerhub.wms.receiving.asns import asn_lines, get_asn, not_open
from dealerhub.wms.receiving.messages import send_receipt
from dealerhub.wms.receiving.models import Asn, AsnLine, Receipt, ReceiptLine
from dealerhub.wms.receiving.serials import accept_serials, give_back_serials, move_line_serials
from dealerhub.wms.stock.service import put, take

ZERO = Decimal(0)
# What the storekeeper says about scanned goods: good (to stock), damaged (accepted into the
# defect zone), rejected (refused at the dock, not taken in).
CONDITIONS = ("good", "damaged", "rejected")
_STATUS = {"stock": "available", "defect": "defect", "quarantine": "quarantine"}


def get_receipt(s: Session, receipt_id: int, *, lock: bool = False) -> Receipt:
    query = select(Receipt).where(Receipt.id == receipt_id)
    receipt = s.scalar(query.with_for_update() if lock else query)
    if receipt is None:
        raise WmsNotFound(T("the acceptance is not found"), receipt_id=receipt_id)
    return receipt


def receipt_lines(s: Session, receipt_id: int) -> list[ReceiptLine]:
    return list(s.scalars(select(ReceiptLine).where(ReceiptLine.receipt_id == receipt_id).order_by(ReceiptLine.id)))


def start_receipt(s: Session, warehouse: Warehouse, *, asn_number: str | None, supplier_invoice: str | None = None,
                  user_id: int | None = None) -> Receipt:
    """Open an acceptance on the warehouse's dock: against an ASN, or (goods nobody announced)
    without one."""
    asn = None
    if asn_number:
        asn = get_asn(s, warehouse.id, asn_number)
        if asn.status not in ("expected", "receiving"):
            raise not_open(asn, T("goods are accepted against open ASNs"))
        if supplier_invoice and s.scalar(
            select(Receipt.id).where(Receipt.asn_id == asn.id, Receipt.supplier_invoice == supplier_invoice)
        ):
            raise StateConflict(T("invoice %(invoice)s of ASN %(asn)s has its acceptance already",
                                  invoice=supplier_invoice, asn=asn_number))
        asn.status = "receiving"
    receipt = Receipt(
        number=next_number(s, "RCV"), warehouse_id=warehouse.id, asn_id=asn.id if asn else None,
        supplier_invoice=(supplier_invoice or "").strip() or None, dock_bin_id=first_bin(s, warehouse.id, "receiving").id,
        status="open", parts_sent=0, opened_by=user_id, opened_at=clock.now(),
    )
    s.add(receipt)
    s.flush()
    return receipt


@dataclass(frozen=True)
class Scanned:
    """What a scan did, for the scanning page to show."""

    item_code: str
    item_name: str
    asn_line_no: int | None  # None: unannounced
    disposition: str
    accepted_total: Decimal  # of this item on this acceptance, after the scan
    expected: Decimal | None  # on the ASN line


def scan_item(s: Session, receipt_id: int, barcode: str, *, quantity: Decimal = Decimal(1), condition: str = "good",
              serials: list[str] | None = None, comment: str | None = None, user_id: int | None = None) -> Scanned:
    """One scan (or a counted quantity) of an item on the dock. An unknown barcode is refused (nothing
    is written); an item the ASN does not name is accepted and flagged unannounced."""
    receipt = get_receipt(s, receipt_id, lock=True)
    if receipt.status != "open":
        raise _finished(receipt)
    if condition not in CONDITIONS:
        raise QuantityRefused(T("the condition is one of %(conditions)s",
                                conditions=named([CONDITION_NAMES[x] for x in CONDITIONS])))
    item = item_by_barcode(s, barcode)
    quantity = check_quantity(quantity, item.unit_decimals)
    asn_line = _match_line(s, receipt, item) if receipt.asn_id else None
    if receipt.asn_id is None:
        disposition = "quarantine"
    else:
        disposition = "defect" if condition == "damaged" else "stock"
    line = _line(s, receipt, item.id, asn_line.line_no if asn_line else 0, disposition)
    if condition == "rejected":
        line.rejected += quantity
    else:
        line.accepted += quantity
        dock = s.get(Bin, receipt.dock_bin_id)
        status = _STATUS[disposition]
        put(s, dock, item.id, status, quantity, "receipt", document_number=receipt.number, user_id=user_id)
        if item.serial_tracked:
            accept_serials(s, line, dock, item, serials or [], quantity, status, receipt.number)
    if comment:
        line.comment = comment[:2000]
    s.flush()
    total = sum((x.accepted for x in receipt_lines(s, receipt.id) if x.item_id == item.id), ZERO)
    return Scanned(item.code, item.name(), asn_line.line_no if asn_line else None, disposition, total,
                   asn_line.expected if asn_line else None)


def undo_scan(s: Session, receipt_id: int, line_id: int, quantity: Decimal, user_id: int | None = None,
              serials: list[str] | None = None) -> None:
    """Take back a miscounted quantity (not yet reported to the core) off the dock; for a
    serial-tracked item, exactly the serial numbers given (scanned on this line, still on the dock)."""
    receipt = get_receipt(s, receipt_id, lock=True)
    line = s.get(ReceiptLine, line_id)
    if line is None or line.receipt_id != receipt.id or receipt.status != "open":
        raise StateConflict(T("only lines of an open acceptance can be corrected"))
    if quantity <= 0 or line.accepted - quantity < max(line.reported_accepted, line.putaway_planned):
        raise QuantityRefused(T("only what was neither reported nor put away can be taken back"))
    dock = s.get(Bin, receipt.dock_bin_id)
    take(s, dock, line.item_id, _STATUS[line.disposition], quantity, "receipt",
         document_number=receipt.number, user_id=user_id)
    if s.get(Item, line.item_id).serial_tracked:
        give_back_serials(s, line, dock, serials or [], quantity, _STATUS[line.disposition])
    line.accepted -= quantity


def _match_line(s: Session, receipt: Receipt, item: Item) -> AsnLine | None:
    """The ASN line a scanned item counts toward: the first of its lines with something still
    expected (over every acceptance of the ASN), else its last line (over-delivery)."""
    lines = [x for x in asn_lines(s, receipt.asn_id) if x.item_id == item.id]
    if not lines:
        return None
    accepted = _accepted_by_line(s, receipt.asn_id)
    for line in lines:
        if accepted.get(line.line_no, ZERO) < line.expected:
            return line
    return lines[-1]


def _accepted_by_line(s: Session, asn_id: int) -> dict[int, Decimal]:
    rows = s.execute(
        select(ReceiptLine.asn_line_no, ReceiptLine.accepted, ReceiptLine.rejected, ReceiptLine.disposition)
        .join(Receipt, Receipt.id == ReceiptLine.receipt_id)
        .where(Receipt.asn_id == asn_id)
    )
    out: dict[int, Decimal] = {}
    for line_no, accepted, rejected, _disposition in rows:
        out[line_no] = out.get(line_no, ZERO) + accepted + rejected
    return out


def _line(s: Session, receipt: Receipt, item_id: int, asn_line_no: int, disposition: str) -> ReceiptLine:
    line = s.scalar(
        select(ReceiptLine).where(
            ReceiptLine.receipt_id == receipt.id, ReceiptLine.item_id == item_id,
            ReceiptLine.asn_line_no == asn_line_no, ReceiptLine.disposition == disposition,
        )
    )
    if line is None:
        line = ReceiptLine(receipt_id=receipt.id, item_id=item_id, asn_line_no=asn_line_no, disposition=disposition,
                           accepted=ZERO, rejected=ZERO, reported_accepted=ZERO, reported_rejected=ZERO,
                           putaway_planned=ZERO)
        s.add(line)
        s.flush()
    return line


def send_part(s: Session, receipt_id: int) -> str | None:
    """Report what was accepted since the last part (RECEIPT, final=false); None if nothing new."""
    receipt = get_receipt(s, receipt_id, lock=True)
    if receipt.status != "open":
        raise _finished(receipt)
    asn = _asn_for_report(s, receipt)
    lines = _delta_lines(s, receipt, final=False, asn=asn)
    if not lines:
        return None
    return _send(s, receipt, asn, lines, final=False)


def finish(s: Session, receipt_id: int, *, closes_asn: bool = True) -> str:
    """The final RECEIPT of this acceptance. `closes_asn`: no other invoice of the ASN is coming, so
    what is still missing on its lines is reported short (else only this invoice's lines go)."""
    receipt = get_receipt(s, receipt_id, lock=True)
    if receipt.status != "open":
        raise _finished(receipt)
    asn = _asn_for_report(s, receipt)
    lines = _delta_lines(s, receipt, final=True, asn=asn, closes_asn=closes_asn)
    message_id = _send(s, receipt, asn, lines, final=True)
    s.execute(update(Receipt).where(Receipt.id == receipt.id).values(status="final", finished_at=clock.now()))
    if closes_asn and not s.scalar(
        select(Receipt.id).where(Receipt.asn_id == asn.id, Receipt.status == "open", Receipt.id != receipt.id)
    ):
        asn.status = "closed"
    s.refresh(receipt)
    return message_id


def attach_asn(s: Session, receipt_id: int, asn_number: str, *, user_id: int | None = None) -> Receipt:
    """An ASN arrived for goods accepted without one: its lines are matched, the goods leave quarantine
    for stock (or stay flagged unannounced where the ASN does not name them) and can be reported."""
    receipt = get_receipt(s, receipt_id, lock=True)
    if receipt.asn_id is not None or receipt.status != "open":
        raise StateConflict(T("acceptance %(receipt)s has an ASN already or is finished", receipt=receipt.number),
                            receipt=receipt.number)
    asn = get_asn(s, receipt.warehouse_id, asn_number)
    if asn.status not in ("expected", "receiving"):
        raise not_open(asn)
    receipt.asn_id, asn.status = asn.id, "receiving"
    s.flush()
    dock = s.get(Bin, receipt.dock_bin_id)
    for old in receipt_lines(s, receipt.id):
        item = s.get(Item, old.item_id)
        matched = _match_line(s, receipt, item)
        line = _line(s, receipt, item.id, matched.line_no if matched else 0, "stock")
        line.accepted += old.accepted
        line.rejected += old.rejected
        move_line_serials(s, old, line, dock, "available")
        s.delete(old)
        s.flush()
        if old.accepted:
            take(s, dock, item.id, "quarantine", old.accepted, "receipt", document_number=receipt.number, user_id=user_id)
            put(s, dock, item.id, "available", old.accepted, "receipt", document_number=receipt.number, user_id=user_id)
    s.flush()
    return receipt


def _finished(receipt: Receipt) -> StateConflict:
    """The refusal for an acceptance that is no longer open (its final part has gone)."""
    return StateConflict(T("acceptance %(receipt)s is finished", receipt=receipt.number), receipt=receipt.number)


def _asn_for_report(s: Session, receipt: Receipt) -> Asn:
    if receipt.asn_id is None:
        raise StateConflict(
            T("acceptance %(receipt)s has no ASN: the accounting system is told once an ASN is attached",
              receipt=receipt.number),
            receipt=receipt.number,
        )
    return s.get(Asn, receipt.asn_id)


def _delta_lines(s: Session, receipt: Receipt, *, final: bool, asn: Asn, closes_asn: bool = False) -> list[dict]:
    items = {i.id: i for i in s.scalars(select(Item).join(ReceiptLine, ReceiptLine.item_id == Item.id)
                                         .where(ReceiptLine.receipt_id == receipt.id))}
    out = []
    lines = receipt_lines(s, receipt.id)
    for line in lines:
        accepted = line.accepted - line.reported_accepted
        rejected = line.rejected - line.reported_rejected
        if not accepted and not rejected and not final:
            continue
        discrepancy = None
        if line.asn_line_no == 0:
            discrepancy = "unannounced"
        elif line.disposition == "defect" or line.rejected:
            discrepancy = "damaged"
        out.append({
            "asn_line_no": line.asn_line_no or None, "item_code": items[line.item_id].code, "accepted": accepted,
            "rejected": rejected, "disposition": line.disposition, "discrepancy": discrepancy, "comment": line.comment,
            "_line": line,
        })
        line.reported_accepted, line.reported_rejected = line.accepted, line.rejected
    if final:
        out = [x for x in out if x["accepted"] or x["rejected"]]
        out += _short_and_over(s, asn, out, closes_asn)
    for x in out:
        x.pop("_line", None)
    s.flush()
    return out


def _short_and_over(s: Session, asn: Asn, out: list[dict], closes_asn: bool) -> list[dict]:
    """Mark this part's stock lines over where the ASN line got more than expected, and (when the
    ASN closes) add a short line for every ASN line that got less."""
    done = _accepted_by_line(s, asn.id)
    extra = []
    for asn_line in asn_lines(s, asn.id):
        got = done.get(asn_line.line_no, ZERO)
        mine = [x for x in out if x["asn_line_no"] == asn_line.line_no and x["disposition"] == "stock"]
        if got > asn_line.expected:
            for x in mine:
                x["discrepancy"] = x["discrepancy"] or "over"
        elif got < asn_line.expected and closes_asn:
            if mine and mine[0]["discrepancy"] is None:
                mine[0]["discrepancy"] = "short"
                mine[0]["comment"] = mine[0]["comment"] or f"{asn_line.expected - got} short of {asn_line.expected}"
            elif not mine:
                item = s.get(Item, asn_line.item_id)
                extra.append({
                    "asn_line_no": asn_line.line_no, "item_code": item.code, "accepted": ZERO, "rejected": ZERO,
                    "disposition": "stock", "discrepancy": "short",
                    "comment": f"{asn_line.expected - got} short of {asn_line.expected}",
                })
    return extra


def _send(s: Session, receipt: Receipt, asn: Asn, lines: list[dict], *, final: bool) -> str:
    warehouse = s.get(Warehouse, receipt.warehouse_id)
    receipt.parts_sent += 1
    return send_receipt(
        s, warehouse_code=warehouse.code, asn_number=asn.asn_number, receipt_number=receipt.number,
        supplier_invoice=receipt.supplier_invoice, final=final, received_at=clock.now(), lines=lines,
    )


def open_receipts(s: Session, warehouse_id: int) -> list[Receipt]:
    return list(s.scalars(select(Receipt).where(Receipt.warehouse_id == warehouse_id, Receipt.status == "open")
                          .order_by(Receipt.id)))
