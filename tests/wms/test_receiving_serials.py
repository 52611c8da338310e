"""Serial-tracked machines on an acceptance: every unit by its serial number (format, repeats and
serials already in the warehouse refused, nothing written), the serials kept per bin and per
acceptance line (RECEIPT has no field for them), and undo_scan giving back exactly the serials named."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from dealerhub.wms.errors import QuantityRefused, SerialRefused
from dealerhub.wms.layout.models import Bin
from dealerhub.wms.putaway.service import confirm_move, plan_receipt_putaway
from dealerhub.wms.receiving import acceptance as acc
from dealerhub.wms.receiving.asns import ExpectedLine, create_asn
from dealerhub.wms.receiving.models import ReceiptSerial
from dealerhub.wms.receiving.serials import serials_of_line
from dealerhub.wms.stock.models import Serial
from dealerhub.wms.stock.service import move_serials, receive_serials
from dealerhub.wms.tasks.service import task_lines
from tests.wms.helpers import bin_stock, item_by_code, items, keeper, ledger, outbox, warehouse


def _setup(s):
    wh = warehouse(s)
    items(s, "EXC", serial=True)
    items(s, "A")
    user = keeper(s)
    create_asn(s, wh.id, asn_number="PO-9", kind="supplier_order", source_number="PO-9", counterparty_code="7",
               expected_date=None, lines=[ExpectedLine(1, item_by_code(s, "EXC").id, D(3))])
    return wh, user


def _serials(s) -> dict[str, tuple[str | None, str, str | None, str | None]]:
    """serial -> (bin barcode, status, received in, shipped in)."""
    return {r.serial_no: (s.get(Bin, r.bin_id).barcode if r.bin_id else None, r.status, r.received_in, r.shipped_in)
            for r in s.scalars(select(Serial))}


def test_each_machine_is_accepted_by_its_serial_number_and_the_serials_lie_in_the_bin(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        receipt = acc.start_receipt(s, wh, asn_number="PO-9", user_id=user)
        acc.scan_item(s, receipt.id, "460EXC", quantity=D(2), serials=["pin-001", " PIN-002 "])
        acc.scan_item(s, receipt.id, "460EXC", serials=["PIN-003"])
        (line,) = acc.receipt_lines(s, receipt.id)
        assert line.accepted == D(3)
        assert serials_of_line(s, line.id) == ["PIN-001", "PIN-002", "PIN-003"]  # upper case: the same number
        assert _serials(s) == {f"PIN-00{n}": ("RCV-01", "available", receipt.number, None) for n in (1, 2, 3)}
        acc.finish(s, receipt.id)
        (message,) = outbox(s, "RECEIPT")
        # RECEIPT v1 has no field for serials: they stay in the WMS.
        assert message["payload"]["lines"] == [{
            "asn_line_no": 1, "item_code": "EXC", "accepted": "3.000", "rejected": "0.000", "disposition": "stock",
            "discrepancy": None, "comment": None}]
        # Putaway takes the serials along to the bin the machines went to.
        task = plan_receipt_putaway(s, receipt.id)
        (task_line,) = task_lines(s, task.id)
        confirm_move(s, task_line.id, "STO-01-03-1", user_id=user)
        assert {k: v[0] for k, v in _serials(s).items()} == {f"PIN-00{n}": "STO-01-03-1" for n in (1, 2, 3)}


@pytest.mark.parametrize(("serials", "quantity", "message"), [
    (["PIN-001", "pin-001"], D(2), "scanned twice"),
    (["PIN 001"], D(1), "is not a serial number"),
    (["P1"], D(1), "is not a serial number"),
    (["ПИН-001"], D(1), "is not a serial number"),
    (["PIN-001"], D(2), "need 2 serial numbers, got 1"),
    ([], D(1), "need 1 serial numbers, got 0"),
    (["460A"], D(1), "is an item's barcode"),
    (["STO-01-01-1"], D(1), "is a bin's barcode"),
    (["PIN-OLD"], D(1), "is in the warehouse already"),
])
def test_a_wrong_serial_is_refused_clearly_and_nothing_is_written(wms_db, serials, quantity, message):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        receive_serials(s, s.scalar(select(Bin).where(Bin.barcode == "STO-01-02-1")), item_by_code(s, "EXC").id,
                        ["PIN-OLD"], "available", "RCV-0")
        receipt_id = acc.start_receipt(s, wh, asn_number="PO-9", user_id=user).id
    with pytest.raises(SerialRefused, match=message), wms_db.transaction() as s:
        acc.scan_item(s, receipt_id, "460EXC", quantity=quantity, serials=serials)
    with wms_db.session() as s:
        assert acc.receipt_lines(s, receipt_id) == []
        assert ledger(s) == []
        assert list(s.scalars(select(ReceiptSerial))) == []
        assert set(_serials(s)) == {"PIN-OLD"}


def test_undo_scan_gives_back_exactly_the_serials_named(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        receipt = acc.start_receipt(s, wh, asn_number="PO-9", user_id=user)
        acc.scan_item(s, receipt.id, "460EXC", quantity=D(3), serials=["PIN-001", "PIN-002", "PIN-003"])
        (line,) = acc.receipt_lines(s, receipt.id)
        ids = (receipt.id, line.id)
    for serials, error, message in [
        ([], SerialRefused, "need 1 serial numbers, got 0"),
        (["PIN-009"], SerialRefused, "were not accepted on this line"),
        (["bad serial"], SerialRefused, "is not a serial number"),
    ]:
        with pytest.raises(error, match=message), wms_db.transaction() as s:
            acc.undo_scan(s, *ids, D(1), user_id=user, serials=serials)
    with pytest.raises(QuantityRefused), wms_db.transaction() as s:
        acc.undo_scan(s, *ids, D(4), user_id=user, serials=["PIN-001"])
    with wms_db.transaction() as s:
        assert len(ledger(s)) == 1  # the refusals wrote nothing
        acc.undo_scan(s, *ids, D(1), user_id=user, serials=["pin-002"])
        assert s.get(type(line), line.id).accepted == D(2)
        assert serials_of_line(s, line.id) == ["PIN-001", "PIN-003"]
        assert set(_serials(s)) == {"PIN-001", "PIN-003"}
        assert bin_stock(s, wh, "RCV-01", "EXC") == (D(2), D(0))
        # The serial given back can be scanned again (it never arrived).
        acc.scan_item(s, receipt.id, "460EXC", serials=["PIN-002"])
        assert serials_of_line(s, line.id) == ["PIN-001", "PIN-003", "PIN-002"]


def test_undo_of_a_returned_machine_restores_its_shipped_serial(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        exc = item_by_code(s, "EXC")
        storage = s.scalar(select(Bin).where(Bin.barcode == "STO-01-02-1"))
        receive_serials(s, storage, exc.id, ["PIN-100"], "available", "RCV-OLD")
        move_serials(s, storage, None, exc.id, ["PIN-100"], shipped_in="DSP-OLD")
        receipt = acc.start_receipt(s, wh, asn_number="PO-9", user_id=user)
        acc.scan_item(s, receipt.id, "460EXC", serials=["PIN-100"])
        assert _serials(s) == {"PIN-100": ("RCV-01", "available", receipt.number, None)}
        (line,) = acc.receipt_lines(s, receipt.id)
        acc.undo_scan(s, receipt.id, line.id, D(1), user_id=user, serials=["PIN-100"])
        assert _serials(s) == {"PIN-100": (None, "shipped", "RCV-OLD", "DSP-OLD")}


def test_a_serial_put_away_can_no_longer_be_undone(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        receipt = acc.start_receipt(s, wh, asn_number="PO-9", user_id=user)
        acc.scan_item(s, receipt.id, "460EXC", serials=["PIN-001"])
        (line,) = acc.receipt_lines(s, receipt.id)
        (task_line,) = task_lines(s, plan_receipt_putaway(s, receipt.id).id)
        confirm_move(s, task_line.id, "STO-01-01-1", user_id=user)
    with pytest.raises(QuantityRefused, match="neither reported nor put away"), wms_db.transaction() as s:
        acc.undo_scan(s, receipt.id, line.id, D(1), user_id=user, serials=["PIN-001"])


def test_serials_of_goods_without_an_asn_follow_when_the_asn_is_attached(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        receipt = acc.start_receipt(s, wh, asn_number=None, user_id=user)
        acc.scan_item(s, receipt.id, "460EXC", quantity=D(2), serials=["PIN-001", "PIN-002"])
        assert {k: v[1] for k, v in _serials(s).items()} == {"PIN-001": "quarantine", "PIN-002": "quarantine"}
        acc.attach_asn(s, receipt.id, "PO-9", user_id=user)
        (line,) = acc.receipt_lines(s, receipt.id)
        assert (line.asn_line_no, line.disposition) == (1, "stock")
        assert serials_of_line(s, line.id) == ["PIN-001", "PIN-002"]
        assert {k: v[1] for k, v in _serials(s).items()} == {"PIN-001": "available", "PIN-002": "available"}
        acc.undo_scan(s, receipt.id, line.id, D(1), user_id=user, serials=["PIN-001"])
        assert set(_serials(s)) == {"PIN-002"}
