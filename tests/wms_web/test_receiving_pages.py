"""Receiving against an ASN on the phone (scan, count, damaged, unannounced, short), then putaway
with the suggested bin confirmed by scanning it; replenishment and counting on the task screen."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from dealerhub.wms.catalog.service import item_by_code, set_item_place
from dealerhub.wms.counts.models import Count, CountLine
from dealerhub.wms.counts.service import start_count
from dealerhub.wms.layout.service import zones_of
from dealerhub.wms.receiving.asns import ExpectedLine, create_asn
from dealerhub.wms.receiving.models import Receipt, ReceiptLine
from dealerhub.wms.stock.models import Stock
from dealerhub.wms.tasks.models import Task, TaskLine
from tests.wms.helpers import bin_stock, ledger, outbox
from tests.wms_web.conftest import Wms
from tests.wms_web.test_picking_pages import order, re_hidden, scan

D = Decimal


def asn(wms: Wms) -> int:
    with wms.db.transaction() as s:
        return create_asn(s, wms.warehouse_id, asn_number="ASN-1", kind="supplier_order", source_number="PO-1",
                          counterparty_code="S1", expected_date=None,
                          lines=[ExpectedLine(1, item_by_code(s, "A1").id, D(4)),
                                 ExpectedLine(2, item_by_code(s, "B2").id, D(2))]).id


def receipt_id(wms: Wms) -> int:
    with wms.db.session() as s:
        return s.scalar(select(Receipt.id).order_by(Receipt.id.desc()))


def lines(wms: Wms) -> list[tuple]:
    with wms.db.session() as s:
        return s.execute(select(ReceiptLine.asn_line_no, ReceiptLine.disposition, ReceiptLine.accepted,
                                ReceiptLine.rejected).order_by(ReceiptLine.id)).all()


def test_receive_against_an_asn_then_put_away(wms: Wms) -> None:
    asn_id = asn(wms)
    wms.login("anna")
    assert f"/wms/receiving/asns/{asn_id}" in wms.client.get("/wms/tasks").text
    page = wms.client.get(f"/wms/receiving/asns/{asn_id}").text
    answer = wms.post("/wms/receiving/start", {"asn_number": "ASN-1", "supplier_invoice": "INV-7"}, page=page)
    assert answer.status_code == 303
    rid = receipt_id(wms)
    assert answer.headers["location"] == f"/wms/receiving/{rid}?notice=opened"
    page = wms.client.get(f"/wms/receiving/{rid}").text
    answer = wms.post(f"/wms/receiving/{rid}/scan", {"code": "460A1", "quantity": "3", "condition": "good"}, page=page)
    assert answer.status_code == 200
    assert re.search(r"3\s*/\s*4", answer.text)
    wms.post(f"/wms/receiving/{rid}/scan", {"code": "460A1", "quantity": "1", "condition": "damaged"}, page=page)
    before = (lines(wms), len(ledger_of(wms)))
    answer = wms.post(f"/wms/receiving/{rid}/scan", {"code": "NOPE", "quantity": "1"}, page=page)
    assert answer.status_code == 404
    assert "штрихкод NOPE не принадлежит ни одному товару" in answer.text  # anna reads Russian
    answer = wms.post(f"/wms/receiving/{rid}/scan", {"code": "460A1", "quantity": "abc"}, page=page)
    assert answer.status_code == 422
    assert (lines(wms), len(ledger_of(wms))) == before
    assert wms.post(f"/wms/receiving/{rid}/part", page=page).headers["location"].endswith("notice=part_sent")
    answer = wms.post(f"/wms/receiving/{rid}/finish", {"closes_asn": "on"}, page=page)
    assert answer.status_code == 303
    assert lines(wms) == [(1, "stock", D(3), D(0)), (1, "defect", D(1), D(0))]
    with wms.db.session() as s:
        parts = [m["payload"] for m in outbox(s, "RECEIPT")]
        assert [p["final"] for p in parts] == [False, True]
        assert [(x["item_code"], x["discrepancy"]) for x in parts[1]["lines"]] == [("B2", "short")]
        task = s.scalar(select(Task).where(Task.kind == "putaway"))
        steps = s.execute(select(TaskLine.stock_status, TaskLine.quantity).where(TaskLine.task_id == task.id)
                          .order_by(TaskLine.seq)).all()
    assert answer.headers["location"] == f"/wms/tasks/{task.id}"
    assert steps == [("available", D(3)), ("defect", D(1))]
    page = wms.client.get(f"/wms/tasks/{task.id}").text
    target = re.search(r'id="step-target">([^<]+)<', page).group(1)
    page = scan(wms, task.id, page, code="460A1").text
    assert 'name="stage" value="target"' in page
    wrong = scan(wms, task.id, page, code="DEF-01")
    assert wrong.status_code == 422
    assert "ячейка DEF-01: зона брака, а этот товар размещают только сюда: зона хранения или зона подбора" in wrong.text
    assert scan(wms, task.id, page, code=target).status_code == 303
    with wms.db.session() as s:
        wh = type("W", (), {"id": wms.warehouse_id})
        assert bin_stock(s, wh, target, "A1") == (D(3), D(0))


def ledger_of(wms: Wms):
    with wms.db.session() as s:
        return ledger(s)


def test_goods_without_an_asn_go_to_quarantine(wms: Wms) -> None:
    wms.login("anna")
    answer = wms.post("/wms/receiving/start")
    rid = receipt_id(wms)
    page = wms.client.get(answer.headers["location"]).text
    assert "without an ASN" in page or "без" in page
    wms.post(f"/wms/receiving/{rid}/scan", {"code": "460B2", "quantity": "2"}, page=page)
    assert lines(wms) == [(0, "quarantine", D(2), D(0))]


def test_replenishment_confirmed_by_source_item_and_target(wms: Wms) -> None:
    with wms.db.transaction() as s:
        set_item_place(s, wms.warehouse_id, item_by_code(s, "B2").id, pick_min=D(2), pick_max=D(6))
    order(wms, lines=(("B2", "1"),))  # B2 lies in storage only: the picking zone is below its minimum
    with wms.db.session() as s:
        task = s.scalar(select(Task).where(Task.kind == "replenishment"))
    wms.login("anna")
    page = wms.client.get(f"/wms/tasks/{task.id}").text
    assert 'id="step-bin">STO-01-01-1<' in page
    target = re.search(r'id="step-target">([^<]+)<', page).group(1)
    page = scan(wms, task.id, page, code="STO-01-01-1").text
    page = scan(wms, task.id, page, code="460B2").text
    assert scan(wms, task.id, page, code=target).status_code == 303
    with wms.db.session() as s:
        wh = type("W", (), {"id": wms.warehouse_id})
        assert bin_stock(s, wh, target, "B2")[0] == D(6)


def test_a_count_bin_by_bin(wms: Wms) -> None:
    with wms.db.transaction() as s:
        pck = next(z for z in zones_of(s, wms.warehouse_id, "picking"))
        count = start_count(s, wms.warehouse_id, zone_id=pck.id, threshold_percent=D(5))
        task = s.scalar(select(Task).where(Task.count_id == count.id))
        count_id, task_id = count.id, task.id
    wms.login("anna")
    page = wms.client.get(f"/wms/tasks/{task_id}").text
    assert 'id="step-bin">PCK-01-01-1<' in page
    page = scan(wms, task_id, page, code="PCK-01-01-1").text
    page = scan(wms, task_id, page, code="460A1").text
    assert 'name="stage" value="counted"' in page
    page = scan(wms, task_id, page, quantity="4").text
    assert 'name="stage" value="item"' in page
    hidden = dict(re_hidden(page))
    assert wms.post(f"/wms/tasks/{task_id}/bin-done", {"bin": hidden["bin"]}, page=page).status_code == 303
    with wms.db.session() as s:
        assert s.execute(select(CountLine.book, CountLine.counted).where(CountLine.count_id == count_id)).all() == [
            (D(5), D(4))]
        assert s.scalar(select(TaskLine.status).where(TaskLine.task_id == task_id).order_by(TaskLine.seq)) == "done"
        assert s.scalar(select(Count.status).where(Count.id == count_id)) == "counting"
        assert s.scalar(select(Stock.quantity).where(Stock.item_id == item_by_code(s, "A1").id)) == D(5)
