"""Receiving against an ASN: scans, short / over / damaged / unannounced, several sessions, RECEIPT
parts then the final one; goods nobody announced go to quarantine; putaway to a suggested bin
confirmed by scanning it."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import update

from dealerhub.web.i18n import Translations
from dealerhub.wms.errors import CapacityExceeded, QuantityRefused, StateConflict, UnknownBarcode, WrongScan
from dealerhub.wms.layout.models import Bin
from dealerhub.wms.putaway.service import confirm_move, plan_receipt_putaway
from dealerhub.wms.receiving import acceptance as acc
from dealerhub.wms.receiving.asns import ExpectedLine, create_asn, get_asn
from dealerhub.wms.tasks.service import task_lines
from tests.wms.helpers import bin_stock, item_by_code, items, keeper, ledger, outbox, warehouse


def _setup(s):
    wh = warehouse(s)
    items(s, "A", "B", "C")
    user = keeper(s)
    create_asn(s, wh.id, asn_number="PO-1", kind="supplier_order", source_number="PO-1", counterparty_code="7",
               expected_date=None, lines=[ExpectedLine(1, item_by_code(s, "A").id, D(10)),
                                          ExpectedLine(2, item_by_code(s, "B").id, D(5))])
    return wh, user


def _lines(message):
    return [(x["asn_line_no"], x["item_code"], x["accepted"], x["rejected"], x["disposition"], x["discrepancy"])
            for x in message["payload"]["lines"]]


def test_partial_then_final_receipt_with_discrepancies(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        receipt = acc.start_receipt(s, wh, asn_number="PO-1", supplier_invoice="INV-1", user_id=user)
        assert get_asn(s, wh.id, "PO-1").status == "receiving"
        acc.scan_item(s, receipt.id, "460A", quantity=D(6))
        scanned = acc.scan_item(s, receipt.id, "460C")
        assert (scanned.asn_line_no, scanned.disposition) == (None, "stock")
        acc.send_part(s, receipt.id)
    # A second session, another day: the same acceptance goes on.
    with wms_db.transaction() as s:
        acc.scan_item(s, receipt.id, "460A", quantity=D(5))  # 11 of 10: over
        acc.scan_item(s, receipt.id, "460B", quantity=D(1), condition="damaged")
        acc.scan_item(s, receipt.id, "460B", quantity=D(2), condition="rejected")
        assert acc.send_part(s, receipt.id) is not None
        assert acc.send_part(s, receipt.id) is None  # nothing new
        acc.finish(s, receipt.id)
        sent = outbox(s, "RECEIPT")
        assert [(m["document_type"], m["document_number"], m["document_seq"], m["payload"]["final"]) for m in sent] == [
            ("asn", "PO-1", 1, False), ("asn", "PO-1", 2, False), ("asn", "PO-1", 3, True)]
        assert _lines(sent[0]) == [(1, "A", "6.000", "0.000", "stock", None), (None, "C", "1.000", "0.000", "stock", "unannounced")]
        assert _lines(sent[1]) == [(1, "A", "5.000", "0.000", "stock", None), (2, "B", "1.000", "0.000", "defect", "damaged"),
                                   (2, "B", "0.000", "2.000", "stock", "damaged")]
        # Final: nothing new accepted, but line 1 got 11 of 10 (reported over? only lines of this part
        # are marked) and line 2 got 3 of 5: short.
        assert _lines(sent[2]) == [(2, "B", "0.000", "0.000", "stock", "short")]
        assert sent[2]["payload"]["lines"][0]["comment"] == "2.000 short of 5.000"
        assert get_asn(s, wh.id, "PO-1").status == "closed"
        assert bin_stock(s, wh, "RCV-01", "A") == (D(11), D(0))
        assert bin_stock(s, wh, "RCV-01", "B", "defect") == (D(1), D(0))
        assert bin_stock(s, wh, "RCV-01", "B") == (D(0), D(0))  # rejected goods never came in


def test_over_is_flagged_on_the_part_that_brings_it(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        receipt = acc.start_receipt(s, wh, asn_number="PO-1", user_id=user)
        acc.scan_item(s, receipt.id, "460A", quantity=D(12))
        acc.scan_item(s, receipt.id, "460B", quantity=D(5))
        acc.finish(s, receipt.id)
        assert _lines(outbox(s, "RECEIPT")[0]) == [(1, "A", "12.000", "0.000", "stock", "over"),
                                                   (2, "B", "5.000", "0.000", "stock", None)]


def test_unknown_barcode_is_refused_and_nothing_is_written(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        receipt_id = acc.start_receipt(s, wh, asn_number="PO-1", user_id=user).id
    with pytest.raises(UnknownBarcode), wms_db.transaction() as s:
        acc.scan_item(s, receipt_id, "999999")
    with wms_db.session() as s:
        assert acc.receipt_lines(s, receipt_id) == []
        assert ledger(s) == []


def test_goods_without_an_asn_are_quarantined_and_reported_once_an_asn_is_attached(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        receipt = acc.start_receipt(s, wh, asn_number=None, user_id=user)
        acc.scan_item(s, receipt.id, "460A", quantity=D(3))
        assert bin_stock(s, wh, "RCV-01", "A", "quarantine") == (D(3), D(0))
        with pytest.raises(StateConflict, match="has no ASN"):
            acc.send_part(s, receipt.id)
        acc.attach_asn(s, receipt.id, "PO-1", user_id=user)
        assert bin_stock(s, wh, "RCV-01", "A", "quarantine") == (D(0), D(0))
        assert bin_stock(s, wh, "RCV-01", "A") == (D(3), D(0))
        acc.finish(s, receipt.id)
        assert _lines(outbox(s, "RECEIPT")[0]) == [(1, "A", "3.000", "0.000", "stock", "short"),
                                                   (2, "B", "0.000", "0.000", "stock", "short")]


def test_putaway_suggests_a_storage_bin_and_is_confirmed_by_scanning_it(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        receipt = acc.start_receipt(s, wh, asn_number="PO-1", user_id=user)
        acc.scan_item(s, receipt.id, "460A", quantity=D(10))
        acc.scan_item(s, receipt.id, "460B", quantity=D(1), condition="damaged")
        task = plan_receipt_putaway(s, receipt.id)
        assert plan_receipt_putaway(s, receipt.id) is None  # everything has its task
        lines = task_lines(s, task.id)
        assert [(s.get(Bin, x.to_bin_id).barcode, x.quantity, x.stock_status) for x in lines] == [
            ("STO-01-01-1", D(10), "available"), ("DEF-01", D(1), "defect")]
        with pytest.raises(WrongScan, match="defect zone"):
            confirm_move(s, lines[0].id, "DEF-01", user_id=user)
        # Another storage bin than suggested is fine when it takes the goods.
        confirm_move(s, lines[0].id, "STO-01-02-1", user_id=user)
        confirm_move(s, lines[1].id, "DEF-01", user_id=user)
        assert bin_stock(s, wh, "STO-01-02-1", "A") == (D(10), D(0))
        assert bin_stock(s, wh, "DEF-01", "B", "defect") == (D(1), D(0))
        assert bin_stock(s, wh, "RCV-01", "A") == (D(0), D(0))
        s.refresh(task)
        assert task.status == "done"


def test_putaway_keeps_an_item_together_and_respects_capacity(wms_db):
    with wms_db.transaction() as s:
        wh, user = _setup(s)
        receipt = acc.start_receipt(s, wh, asn_number="PO-1", user_id=user)
        acc.scan_item(s, receipt.id, "460A", quantity=D(4))
        first = task_lines(s, plan_receipt_putaway(s, receipt.id).id)[0]
        confirm_move(s, first.id, "STO-01-03-2", user_id=user)
        acc.scan_item(s, receipt.id, "460A", quantity=D(3))
        second = task_lines(s, plan_receipt_putaway(s, receipt.id).id)[0]
        assert s.get(Bin, second.to_bin_id).barcode == "STO-01-03-2"  # where A lies already
        s.execute(update(Bin).where(Bin.barcode == "STO-01-04-1").values(max_units=D(2)))
        with pytest.raises(CapacityExceeded, match="cannot take 3"):
            confirm_move(s, second.id, "STO-01-04-1", user_id=user)
        # The full bin is not suggested any more: 7 of 8 units, 3 more don't fit.
        s.execute(update(Bin).where(Bin.barcode == "STO-01-03-2").values(max_units=D(8)))
        acc.scan_item(s, receipt.id, "460A", quantity=D(3))
        third = task_lines(s, plan_receipt_putaway(s, receipt.id).id)[0]
        assert s.get(Bin, third.to_bin_id).barcode == "STO-01-03-1"  # the nearest bin with room


def test_supervisor_sees_the_discrepancies(wms_db):
    from dealerhub.wms.receiving.queries import Discrepancy, discrepancies

    with wms_db.transaction() as s:
        wh, user = _setup(s)
        receipt = acc.start_receipt(s, wh, asn_number="PO-1", user_id=user)
        acc.scan_item(s, receipt.id, "460A", quantity=D(12))
        acc.scan_item(s, receipt.id, "460B", quantity=D(1), condition="rejected")
        acc.scan_item(s, receipt.id, "460C")
        acc.finish(s, receipt.id, closes_asn=False)
        n = receipt.number
        assert discrepancies(s, wh.id) == [
            Discrepancy(n, "PO-1", "B", 2, "rejected", D(1)),
            Discrepancy(n, "PO-1", "C", None, "unannounced", D(1)),
            Discrepancy(n, "PO-1", "A", 1, "over", D(2)),
            Discrepancy(n, "PO-1", "B", 2, "short", D(4)),
        ]


def test_refusals_read_english_and_are_shown_in_russian(wms_db):
    """A refusal is its English sentence (the exchange, logs and the API read it); a Russian page shows
    it translated, the names in it (an ASN's state, the conditions) too."""
    ru = Translations(["ru", "en"], "ru").get("ru")
    with wms_db.transaction() as s:
        wh, _user = _setup(s)
        receipt = acc.start_receipt(s, wh, asn_number="PO-1")
        with pytest.raises(QuantityRefused) as refused:
            acc.scan_item(s, receipt.id, "460A", condition="broken")
        assert refused.value.message == "the condition is one of «good», «damaged», «rejected»"
        assert refused.value.message.localized(ru) == "Состояние товара — одно из: «исправен», «повреждён», «отклонён»"
        get_asn(s, wh.id, "PO-1").status = "closed"
        with pytest.raises(StateConflict) as refused:
            acc.start_receipt(s, wh, asn_number="PO-1")
        assert refused.value.message == "ASN PO-1 is closed: goods are accepted against open ASNs"
        assert refused.value.message.localized(ru) == (
            "Уведомление о поставке PO-1 закрыто: товар принимается только по открытым уведомлениям")
