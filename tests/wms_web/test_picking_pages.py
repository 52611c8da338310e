"""Picking on the task screen: bin, item, quantity; wrong scans and someone else's task change
nothing; shortage with a reason; packing and despatch send DESPATCH."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from dealerhub.wms.picking.models import Order, OrderLine
from dealerhub.wms.picking.orders import WantedLine, create_order
from dealerhub.wms.tasks.models import Task, TaskLine
from tests.wms.helpers import bin_stock, ledger, outbox
from tests.wms_web.conftest import Wms

D = Decimal


def order(wms: Wms, number: str = "PT-1", lines=(("A1", "3"),)) -> int:
    from dealerhub.wms.catalog.service import item_by_code

    with wms.db.transaction() as s:
        made = create_order(s, wms.warehouse_id, order_number=number, customer_order_number="CO-1",
                            counterparty_code="C1", ship_by=None, comment=None,
                            lines=[WantedLine(n, item_by_code(s, code).id, D(q)) for n, (code, q) in enumerate(lines, 1)])
        return made.id


def pick_task(wms: Wms, order_id: int) -> int:
    with wms.db.session() as s:
        return s.scalar(select(Task.id).where(Task.order_id == order_id, Task.kind == "pick"))


def state(wms: Wms):
    with wms.db.session() as s:
        wh = type("W", (), {"id": wms.warehouse_id})
        return (bin_stock(s, wh, "PCK-01-01-1", "A1"), len(ledger(s)),
                s.execute(select(TaskLine.status, TaskLine.done_quantity).order_by(TaskLine.id)).all(),
                s.execute(select(Task.status, Task.assignee_id).order_by(Task.id)).all())


def scan(wms: Wms, task_id: int, page: str, **fields):
    hidden = dict(re_hidden(page))
    return wms.post(f"/wms/tasks/{task_id}/scan", {**hidden, **fields}, page=page)


def re_hidden(page: str):
    import re

    form = page[page.index('id="scan-form"'):]
    form = form[:form.index("</form>")]
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form):
        if name != "csrf_token":
            yield name, value


def test_a_pick_by_bin_item_and_quantity(wms: Wms) -> None:
    order_id = order(wms)
    task_id = pick_task(wms, order_id)
    wms.login("anna")
    tasks = wms.client.get("/wms/tasks")
    assert f'/wms/tasks/{task_id}"' in tasks.text
    page = wms.client.get(f"/wms/tasks/{task_id}")
    assert page.status_code == 200
    assert 'id="step-bin">PCK-01-01-1<' in page.text
    assert 'id="step-item">A1<' in page.text
    answer = scan(wms, task_id, page.text, code="PCK-01-01-1")
    assert answer.status_code == 200
    assert 'name="stage" value="item"' in answer.text
    answer = scan(wms, task_id, answer.text, code="460A1")
    assert 'name="stage" value="quantity"' in answer.text
    answer = scan(wms, task_id, answer.text, quantity="3")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/wms/tasks?notice=task_done"
    with wms.db.session() as s:
        assert s.scalar(select(Order.status).where(Order.id == order_id)) == "picked"
        assert s.scalar(select(OrderLine.picked).where(OrderLine.order_id == order_id)) == D(3)
        wh = type("W", (), {"id": wms.warehouse_id})
        assert bin_stock(s, wh, "PCK-01-01-1", "A1") == (D(2), D(0))
        assert bin_stock(s, wh, "PAK-01", "A1") == (D(3), D(0))


def test_wrong_bin_wrong_item_and_unknown_barcode_change_nothing(wms: Wms) -> None:
    task_id = pick_task(wms, order(wms))
    wms.login("anna")
    before = state(wms)
    page = wms.client.get(f"/wms/tasks/{task_id}").text
    answer = scan(wms, task_id, page, code="STO-01-01-1")
    assert answer.status_code == 422
    assert "не та ячейка STO-01-01-1: идите к ячейке PCK-01-01-1" in answer.text  # anna reads Russian
    assert 'name="stage" value="bin"' in answer.text
    page = scan(wms, task_id, page, code="PCK-01-01-1").text
    answer = scan(wms, task_id, page, code="460B2")
    assert answer.status_code == 422
    assert "не тот товар B2: возьмите A1" in answer.text
    assert 'name="stage" value="item"' in answer.text  # the bin scan is kept
    answer = scan(wms, task_id, page, code="NO-SUCH-CODE")
    assert answer.status_code == 404
    assert "штрихкод NO-SUCH-CODE не принадлежит ни одному товару" in answer.text
    page = scan(wms, task_id, page, code="460A1").text
    answer = scan(wms, task_id, page, quantity="4")
    assert answer.status_code == 422
    assert "По этой строке осталось подобрать только 3" in answer.text  # the storekeeper's page is in Russian
    assert state(wms) == before


def test_a_scan_without_the_csrf_token_is_refused(wms: Wms) -> None:
    task_id = pick_task(wms, order(wms, lines=(("A1", "1"),)))
    wms.login("anna")
    page = wms.client.get(f"/wms/tasks/{task_id}").text
    before = state(wms)
    hidden = dict(re_hidden(page))
    answer = wms.client.post(f"/wms/tasks/{task_id}/scan", data={**hidden, "stage": "item", "bin": "PCK-01-01-1",
                                                                  "code": "460A1"}, follow_redirects=False)
    assert answer.status_code == 403
    assert state(wms) == before
    answer = wms.post(f"/wms/tasks/{task_id}/scan", {**hidden, "stage": "item", "bin": "PCK-01-01-1", "code": "460A1"})
    assert answer.status_code == 303
    assert state(wms) != before


def test_someone_elses_task_is_refused(wms: Wms) -> None:
    task_id = pick_task(wms, order(wms, lines=(("A1", "1"),)))
    wms.login("boris")
    page = wms.client.get(f"/wms/tasks/{task_id}").text
    assert scan(wms, task_id, page, code="PCK-01-01-1").status_code == 200
    hidden = dict(re_hidden(page))
    assert wms.post(f"/wms/tasks/{task_id}/scan", {**hidden, "stage": "item", "bin": "PCK-01-01-1",
                                                   "code": "460A1"}).status_code == 303  # boris took it
    task2 = pick_task(wms, order(wms, "PT-2", lines=(("A1", "1"),)))
    with wms.db.transaction() as s:
        from dealerhub.wms.tasks.service import assign
        assign(s, task2, s.scalar(select(Task.assignee_id).where(Task.id == task_id)))  # boris's
    wms.client.cookies.clear()
    wms.login("anna")
    assert f"/wms/tasks/{task2}\"" not in wms.client.get("/wms/tasks").text
    assert wms.client.get(f"/wms/tasks/{task2}").status_code == 403
    before = state(wms)
    answer = wms.post(f"/wms/tasks/{task2}/scan", {"stage": "item", "bin": "PCK-01-01-1", "code": "460A1"})
    assert answer.status_code == 403
    assert "передано другому кладовщику" in answer.text
    assert wms.post(f"/wms/tasks/{task2}/short", {"reason": "damaged"}).status_code == 403
    assert state(wms) == before


def test_shortage_with_a_reason(wms: Wms) -> None:
    order_id = order(wms, lines=(("A1", "2"),))
    task_id = pick_task(wms, order_id)
    wms.login("anna")
    page = wms.client.get(f"/wms/tasks/{task_id}").text
    before = state(wms)
    answer = wms.post(f"/wms/tasks/{task_id}/short", {"reason": "", "other": ""}, page=page)
    assert answer.status_code == 422
    assert state(wms) == before
    answer = wms.post(f"/wms/tasks/{task_id}/short", {"reason": "damaged"}, page=page)
    assert answer.headers["location"] == "/wms/tasks?notice=task_done"
    with wms.db.session() as s:
        line = s.scalar(select(OrderLine).where(OrderLine.order_id == order_id))
        assert (line.picked, line.shortage, line.shortage_reason) == (D(0), D(2), "damaged")
        wh = type("W", (), {"id": wms.warehouse_id})
        assert bin_stock(s, wh, "PCK-01-01-1", "A1") == (D(5), D(0))


def test_pack_and_despatch(wms: Wms) -> None:
    order_id = order(wms, lines=(("A1", "1"),))
    task_id = pick_task(wms, order_id)
    wms.login("anna")
    page = wms.client.get(f"/wms/tasks/{task_id}").text
    page = scan(wms, task_id, page, code="PCK-01-01-1").text
    assert scan(wms, task_id, page, code="460A1").status_code == 303  # one unit: no quantity asked
    assert f"/wms/packing/{order_id}" in wms.client.get("/wms/tasks").text
    page = wms.client.get(f"/wms/packing/{order_id}").text
    answer = wms.post(f"/wms/packing/{order_id}/pack", {"weight_kg": "0"}, page=page)
    assert answer.status_code == 422
    assert wms.post(f"/wms/packing/{order_id}/despatch", page=page).status_code == 409  # not packed yet
    answer = wms.post(f"/wms/packing/{order_id}/pack", {"weight_kg": "1,5", "length_mm": "300"}, page=page)
    assert answer.status_code == 303
    page = wms.client.get(f"/wms/packing/{order_id}").text
    assert 'id="despatch"' in page
    assert wms.post(f"/wms/packing/{order_id}/despatch", page=page).status_code == 303
    with wms.db.session() as s:
        (message,) = outbox(s, "DESPATCH")
        assert message["payload"]["lines"] == [{"line_no": 1, "item_code": "A1", "picked": "1.000", "shipped": "1.000",
                                                "shortage": "0.000", "shortage_reason": None}]
        assert [(p["weight_kg"], p["length_mm"]) for p in message["payload"]["packages"]] == [("1.500", "300")]
        assert s.scalar(select(Order.status).where(Order.id == order_id)) == "shipped"
