"""Packing on the phone: several packages, each with its weight and the quantities of the order's
lines (prefilled with what is loose); a package taken apart; the chosen packages leave as a part
(DESPATCH final=false), the rest later with the final DESPATCH."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from dealerhub.wms.layout.models import Bin
from dealerhub.wms.picking.models import Order, Package
from dealerhub.wms.picking.picks import confirm_pick
from dealerhub.wms.staff.models import Storekeeper
from dealerhub.wms.tasks.models import Task, TaskLine
from tests.wms.helpers import outbox
from tests.wms_web.conftest import Wms
from tests.wms_web.test_picking_pages import order

D = Decimal


def _picked(wms: Wms) -> int:
    """PT-1: line 1 A1 x 2, line 2 B2 x 3, all picked."""
    order_id = order(wms, lines=(("A1", "2"), ("B2", "3")))
    with wms.db.transaction() as s:
        user = s.scalar(select(Storekeeper.id).where(Storekeeper.login == "anna"))
        for line in s.scalars(select(TaskLine).join(Task, Task.id == TaskLine.task_id)
                              .where(Task.order_id == order_id).order_by(TaskLine.id)).all():
            confirm_pick(s, line.id, bin_barcode=s.get(Bin, line.from_bin_id).barcode,
                         item_barcode="460A1" if line.quantity == D(2) else "460B2", quantity=line.quantity,
                         user_id=user)
        assert s.get(Order, order_id).status == "picked"
    return order_id


def _packages(wms: Wms) -> list[tuple]:
    with wms.db.session() as s:
        return s.execute(select(Package.package_no, Package.weight_kg, Package.despatch_number)
                         .order_by(Package.id)).all()


def test_two_packages_two_parts(wms: Wms) -> None:
    order_id = _picked(wms)
    wms.login("anna")
    page = wms.client.get(f"/wms/packing/{order_id}").text
    assert re.search(r'name="line_1" inputmode="decimal" value="2"', page)
    assert re.search(r'name="line_2" inputmode="decimal" value="3"', page)
    # More than is loose: refused in red, nothing recorded.
    answer = wms.post(f"/wms/packing/{order_id}/pack", {"weight_kg": "3", "line_1": "5", "line_2": "0"}, page=page)
    assert answer.status_code == 422
    assert "Больше, чем подобрано и ещё не упаковано: в строке 1 (A1) осталось 2" in answer.text  # ru page
    assert _packages(wms) == []
    answer = wms.post(f"/wms/packing/{order_id}/pack", {"weight_kg": "2,5", "line_1": "2", "line_2": "1"}, page=page)
    assert answer.headers["location"] == f"/wms/packing/{order_id}?notice=packed"
    page = wms.client.get(f"/wms/packing/{order_id}").text
    assert 'name="line_1"' not in page  # nothing of line 1 is loose now
    assert re.search(r'name="line_2" inputmode="decimal" value="2"', page)
    wms.post(f"/wms/packing/{order_id}/pack", {"weight_kg": "4", "line_2": "2"}, page=page)
    page = wms.client.get(f"/wms/packing/{order_id}").text
    assert 'id="pack-form"' not in page
    assert _packages(wms) == [("PT-1-1", D("2.5"), None), ("PT-1-2", D(4), None)]
    # None ticked: refused.
    answer = wms.post(f"/wms/packing/{order_id}/despatch", {"choose": "1"}, page=page)
    assert answer.status_code == 422 and "Выберите места, которые отгружаются сейчас" in answer.text
    answer = wms.post(f"/wms/packing/{order_id}/despatch", {"choose": "1", "package": "PT-1-2"}, page=page)
    assert answer.headers["location"] == f"/wms/packing/{order_id}?notice=part"
    page = wms.client.get(f"/wms/packing/{order_id}").text
    assert 'id="order-status">отгружен частично<' in page
    assert "/wms/packing/" in wms.client.get("/wms/tasks").text  # still on the list: the rest waits
    answer = wms.post(f"/wms/packing/{order_id}/despatch", {"choose": "1", "package": "PT-1-1"}, page=page)
    assert answer.headers["location"] == f"/wms/packing/{order_id}"
    assert 'id="shipped"' in wms.client.get(f"/wms/packing/{order_id}").text
    # Once shipped, a despatch is refused in the page's language, the order's status named as the page names it.
    answer = wms.post(f"/wms/packing/{order_id}/despatch", {"choose": "1", "package": "PT-1-1"}, page=page)
    assert answer.status_code == 409
    assert "Заказ PT-1 в статусе «отгружен»: отгрузить можно только подобранный товар" in answer.text
    with wms.db.session() as s:
        part, final = (m["payload"] for m in outbox(s, "DESPATCH"))
    assert (part["final"], [x["line_no"] for x in part["lines"]], [p["package_no"] for p in part["packages"]]) == (
        False, [2], ["PT-1-2"])
    assert (final["final"], [(x["line_no"], x["shipped"]) for x in final["lines"]]) == (
        True, [(1, "2.000"), (2, "1.000")])
    assert [p[2] is not None for p in _packages(wms)] == [True, True]


def test_a_package_taken_apart_before_it_leaves(wms: Wms) -> None:
    order_id = _picked(wms)
    wms.login("anna")
    page = wms.client.get(f"/wms/packing/{order_id}").text
    wms.post(f"/wms/packing/{order_id}/pack", {"weight_kg": "6"}, page=page)  # no lines given: everything loose
    page = wms.client.get(f"/wms/packing/{order_id}").text
    assert 'id="order-status">упакован<' in page
    answer = wms.post(f"/wms/packing/{order_id}/unpack", {"package_no": "PT-1-1"}, page=page)
    assert answer.headers["location"] == f"/wms/packing/{order_id}?notice=removed"
    assert _packages(wms) == []
    assert wms.post(f"/wms/packing/{order_id}/unpack", {"package_no": "PT-1-1"}, page=page).status_code == 422
    page = wms.client.get(f"/wms/packing/{order_id}").text
    assert 'id="order-status">подобран<' in page and 'id="despatch"' not in page
