"""Receiving serial-tracked machines on the phone: the item scan with a count asks for each
machine's serial number in turn; a repeated or malformed serial is refused in red and loses nothing
scanned before; the acceptance lists the serials; taking back off the dock asks for the serial of each
machine taken back."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from dealerhub.wms.catalog.service import item_by_code
from dealerhub.wms.receiving.asns import ExpectedLine, create_asn
from dealerhub.wms.receiving.models import Receipt, ReceiptLine
from dealerhub.wms.stock.models import Serial
from tests.wms.helpers import items, ledger
from tests.wms_web.conftest import Wms

D = Decimal


def _open_acceptance(wms: Wms) -> tuple[int, str]:
    with wms.db.transaction() as s:
        items(s, "EXC", serial=True)
        create_asn(s, wms.warehouse_id, asn_number="ASN-9", kind="supplier_order", source_number="PO-9",
                   counterparty_code="S1", expected_date=None, lines=[ExpectedLine(1, item_by_code(s, "EXC").id, D(2))])
    wms.login("anna")
    wms.post("/wms/receiving/start", {"asn_number": "ASN-9", "supplier_invoice": "INV-9"})
    with wms.db.session() as s:
        rid = s.scalar(select(Receipt.id))
    return rid, wms.client.get(f"/wms/receiving/{rid}").text


def _hidden(page: str) -> dict[str, str]:
    form = page[page.index('id="serial-form"'):page.index("</form>", page.index('id="serial-form"'))]
    return dict(re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', form))


def _state(wms: Wms) -> tuple:
    with wms.db.session() as s:
        return (s.execute(select(ReceiptLine.accepted).order_by(ReceiptLine.id)).scalars().all(),
                sorted(s.scalars(select(Serial.serial_no))), len([m for m in ledger(s) if m[4] == "receipt"]))


def test_each_machine_is_received_by_scanning_its_serial(wms: Wms) -> None:
    rid, page = _open_acceptance(wms)
    answer = wms.post(f"/wms/receiving/{rid}/scan", {"code": "460EXC", "quantity": "2", "condition": "good"}, page=page)
    assert answer.status_code == 200
    assert 'id="serial-form"' in answer.text and 'id="scan-form"' not in answer.text
    assert re.search(r'id="serial-progress">Машина 1 из 2<', answer.text)
    assert _state(wms) == ([], [], 0)  # asking for serials writes nothing yet
    state = _hidden(answer.text)
    assert {k: state[k] for k in ("stage", "code", "left", "done", "total")} == {
        "stage": "serial", "code": "460EXC", "left": "2", "done": "0", "total": "2"}
    answer = wms.post(f"/wms/receiving/{rid}/scan", {**state, "serial": "pin-001"}, page=page)
    assert answer.status_code == 200
    assert re.search(r'id="serial-progress">Машина 2 из 2<', answer.text)
    assert _state(wms) == ([D(1)], ["PIN-001"], 1)
    state = _hidden(answer.text)
    # Refused in the page's language (Russian).
    for serial, status, text in [("PIN-001", 422, "Серийный номер PIN-001 уже есть на складе"),
                                 ("PIN 2", 422, "«PIN 2» — не серийный номер"),
                                 ("460EXC", 422, "460EXC — штрихкод товара: отсканируйте табличку с серийным номером")]:
        refused = wms.post(f"/wms/receiving/{rid}/scan", {**state, "serial": serial}, page=page)
        assert refused.status_code == status
        assert text in refused.text
        assert re.search(r'id="serial-progress">Машина 2 из 2<', refused.text)  # the same step again
    assert _state(wms) == ([D(1)], ["PIN-001"], 1)
    answer = wms.post(f"/wms/receiving/{rid}/scan", {**state, "serial": "PIN-002"}, page=page)
    assert 'id="scan-form"' in answer.text and 'id="serial-form"' not in answer.text
    assert _state(wms) == ([D(2)], ["PIN-001", "PIN-002"], 2)
    assert "PIN-001, PIN-002" in wms.client.get(f"/wms/receiving/{rid}").text


def test_machines_need_a_whole_count_and_rejected_ones_no_serial(wms: Wms) -> None:
    rid, page = _open_acceptance(wms)
    answer = wms.post(f"/wms/receiving/{rid}/scan", {"code": "460EXC", "quantity": "1,5"}, page=page)
    assert answer.status_code == 422
    assert "число машин 1.5: для этой единицы измерения допускается не больше 0 знаков после запятой" in answer.text
    # Refused at the dock: not taken in, so no serial is asked.
    answer = wms.post(f"/wms/receiving/{rid}/scan", {"code": "460EXC", "quantity": "1", "condition": "rejected"},
                      page=page)
    assert answer.status_code == 200 and 'id="serial-form"' not in answer.text
    with wms.db.session() as s:
        assert s.execute(select(ReceiptLine.accepted, ReceiptLine.rejected)).all() == [(D(0), D(1))]


def test_a_forged_serial_step_is_refused(wms: Wms) -> None:
    rid, page = _open_acceptance(wms)
    answer = wms.post(f"/wms/receiving/{rid}/scan", {"stage": "serial", "code": "460EXC", "left": "0", "done": "0",
                                                      "total": "0", "serial": "PIN-001"}, page=page)
    assert answer.status_code == 422
    assert _state(wms) == ([], [], 0)


def test_machines_and_goods_are_taken_back_off_the_dock(wms: Wms) -> None:
    rid, page = _open_acceptance(wms)
    state = _hidden(wms.post(f"/wms/receiving/{rid}/scan", {"code": "460EXC", "quantity": "2"}, page=page).text)
    wms.post(f"/wms/receiving/{rid}/scan", {**state, "serial": "PIN-001"}, page=page)
    state = {**state, "left": "1", "done": "1"}
    wms.post(f"/wms/receiving/{rid}/scan", {**state, "serial": "PIN-002"}, page=page)
    wms.post(f"/wms/receiving/{rid}/scan", {"code": "460A1", "quantity": "3"}, page=page)  # unannounced goods
    with wms.db.session() as s:
        exc_line, a_line = s.scalars(select(ReceiptLine.id).order_by(ReceiptLine.id)).all()
    page = wms.client.get(f"/wms/receiving/{rid}").text
    assert f"/wms/receiving/{rid}/lines/{exc_line}/undo" in page
    undo = wms.client.get(f"/wms/receiving/{rid}/lines/{exc_line}/undo").text
    assert 'name="serial"' in undo and "PIN-001, PIN-002" in undo
    refused = wms.post(f"/wms/receiving/{rid}/lines/{exc_line}/undo", {"serial": "PIN-009"}, page=undo)
    assert refused.status_code == 422 and "Серийные номера PIN-009 не принимались по этой строке" in refused.text
    assert _state(wms) == ([D(2), D(3)], ["PIN-001", "PIN-002"], 3)
    answer = wms.post(f"/wms/receiving/{rid}/lines/{exc_line}/undo", {"serial": "pin-002"}, page=undo)
    assert answer.headers["location"] == f"/wms/receiving/{rid}/lines/{exc_line}/undo?notice=taken_back"
    assert _state(wms) == ([D(1), D(3)], ["PIN-001"], 4)
    undo = wms.client.get(f"/wms/receiving/{rid}/lines/{a_line}/undo").text
    assert 'name="quantity"' in undo
    assert wms.post(f"/wms/receiving/{rid}/lines/{a_line}/undo", {"quantity": "4"}, page=undo).status_code == 422
    answer = wms.post(f"/wms/receiving/{rid}/lines/{a_line}/undo", {"quantity": "2"}, page=undo)
    assert answer.headers["location"] == f"/wms/receiving/{rid}?notice=taken_back"
    assert _state(wms) == ([D(1), D(1)], ["PIN-001"], 5)
    # Reported: nothing is left to take back.
    wms.post(f"/wms/receiving/{rid}/part", page=page)
    assert "/undo" not in wms.client.get(f"/wms/receiving/{rid}").text
    undo = wms.client.get(f"/wms/receiving/{rid}/lines/{exc_line}/undo").text
    assert 'id="undo-form"' not in undo
