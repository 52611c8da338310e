"""Serial numbers of machines on an acceptance: each unit of a serial-tracked item is scanned by its
serial number when it is accepted; the serial lies in the dock bin (`wms_serials`, then wherever
putaway takes it) and is kept against its acceptance line (`wms_receipt_serials`).

RECEIPT v1 has no field for serial numbers, and the exchange contracts are not the WMS's to change:
the serials stay in the WMS (the stock by bin and the acceptance show them) and travel no further.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.shared.texts import T
from dealerhub.wms.catalog.models import Item, ItemBarcode
from dealerhub.wms.errors import SerialRefused
from dealerhub.wms.layout.models import Bin
from dealerhub.wms.receiving.models import ReceiptLine, ReceiptSerial
from dealerhub.wms.stock.models import Serial
from dealerhub.wms.stock.service import check_serials, receive_serials


def accept_serials(s: Session, line: ReceiptLine, dock: Bin, item: Item, serials: list[str], quantity: Decimal,
                   status: str, document: str) -> list[str]:
    """Check and take in the serials of `quantity` units just accepted on the line."""
    chosen = check_serials(serials, quantity)
    for serial_no in chosen:
        if s.get(ItemBarcode, serial_no) is not None:
            raise SerialRefused(T("%(serial)s is an item's barcode: scan the serial number plate", serial=serial_no),
                                serial=serial_no)
        if s.scalar(select(Bin.id).where(Bin.warehouse_id == dock.warehouse_id, Bin.barcode == serial_no)):
            raise SerialRefused(T("%(serial)s is a bin's barcode: scan the serial number plate", serial=serial_no),
                                serial=serial_no)
    prior = receive_serials(s, dock, item.id, chosen, status, document)
    for serial_no in chosen:
        before = prior.get(serial_no, (None, None))
        s.add(ReceiptSerial(receipt_line_id=line.id, item_id=item.id, serial_no=serial_no,
                            prior_received_in=before[0], prior_shipped_in=before[1]))
    s.flush()
    return chosen


def give_back_serials(s: Session, line: ReceiptLine, dock: Bin, serials: list[str], quantity: Decimal,
                      status: str) -> list[str]:
    """Undo the arrival of exactly these serials (scanned on this line, still on the dock): a serial
    new to the warehouse is forgotten, one that had left before is shipped again as it was."""
    chosen = check_serials(serials, quantity)
    scanned = {
        r.serial_no: r for r in s.scalars(
            select(ReceiptSerial).where(ReceiptSerial.receipt_line_id == line.id, ReceiptSerial.serial_no.in_(chosen))
        )
    }
    foreign = [x for x in chosen if x not in scanned]
    if foreign:
        raise SerialRefused(T("serial number(s) %(serials)s were not accepted on this line", serials=", ".join(foreign)),
                            serials=foreign)
    rows = {
        r.serial_no: r for r in s.scalars(
            select(Serial).where(Serial.item_id == line.item_id, Serial.serial_no.in_(chosen))
        )
    }
    gone = [x for x in chosen if x not in rows or rows[x].bin_id != dock.id or rows[x].status != status]
    if gone:
        raise SerialRefused(T("serial number(s) %(serials)s are no longer on the dock", serials=", ".join(gone)),
                            serials=gone)
    for serial_no in chosen:
        link, row = scanned[serial_no], rows[serial_no]
        if link.prior_shipped_in is None:
            s.delete(row)
        else:
            row.bin_id, row.status = None, "shipped"
            row.received_in, row.shipped_in = link.prior_received_in, link.prior_shipped_in
        s.delete(link)
    s.flush()
    return chosen


def serials_of_line(s: Session, line_id: int) -> list[str]:
    return list(s.scalars(select(ReceiptSerial.serial_no).where(ReceiptSerial.receipt_line_id == line_id)
                          .order_by(ReceiptSerial.id)))


def move_line_serials(s: Session, old: ReceiptLine, new: ReceiptLine, dock: Bin, status: str) -> None:
    """An acceptance line was matched again (an ASN attached): its serials follow to the new line and
    take the new line's status on the dock."""
    for link in s.scalars(select(ReceiptSerial).where(ReceiptSerial.receipt_line_id == old.id)).all():
        link.receipt_line_id = new.id
        row = s.scalar(select(Serial).where(Serial.item_id == link.item_id, Serial.serial_no == link.serial_no))
        if row is not None and row.bin_id == dock.id:
            row.status = status
    s.flush()
