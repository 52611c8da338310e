"""The supervisor's page: open tasks by kind and person, acceptances with discrepancies, stock by bin
with filters, and the REMAINS snapshot button (CSRF-protected)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from dealerhub.wms.exchange_link.models import RemainsSnapshot
from tests.wms.helpers import outbox
from tests.wms_web.conftest import Wms
from tests.wms_web.test_picking_pages import order, pick_task
from tests.wms_web.test_receiving_pages import asn


def rows(page: str, table: str) -> list[list[str]]:
    body = page[page.index(f'id="{table}"'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)]


def test_open_tasks_discrepancies_and_stock(wms: Wms) -> None:
    order(wms, lines=(("A1", "1"),))
    asn(wms)
    wms.login("anna")
    page = wms.client.get("/wms/tasks").text
    wms.post("/wms/receiving/start", {"asn_number": "ASN-1"}, page=page)
    wms.post("/wms/receiving/1/scan", {"code": "460B2", "quantity": "3"}, page=page)
    wms.post("/wms/receiving/1/finish", {"closes_asn": "on"}, page=page)
    wms.client.cookies.clear()
    wms.login("sveta")
    wms.post("/wms/language", {"language": "en"})
    page = wms.client.get("/wms/supervisor")
    assert page.status_code == 200
    assert rows(page.text, "open-tasks") == [["Picking goods", "nobody yet", "1"], ["Putting away", "nobody yet", "1"]]
    assert rows(page.text, "discrepancies") == [["RCV-000001", "ASN-1", "B2", "over", "1"]]
    assert rows(page.text, "stock")[:2] == [["RCV-01", "B2 Item B2", "available", "3", "0"],
                                            ["PCK-01-01-1", "A1 Item A1", "available", "5", "1"]]
    filtered = wms.client.get("/wms/supervisor", params={"zone": "STO", "item": "B2"}).text
    assert rows(filtered, "stock") == [["STO-01-01-1", "B2 Item B2", "available", "10", "0"]]
    unknown = wms.client.get("/wms/supervisor", params={"item": "ZZZ"}).text
    assert "no item ZZZ in the WMS" in unknown


def test_remains_button(wms: Wms) -> None:
    wms.login("sveta")
    page = wms.client.get("/wms/supervisor").text
    assert wms.client.post("/wms/supervisor/remains", follow_redirects=False).status_code == 403
    with wms.db.session() as s:
        assert s.scalar(select(func.count()).select_from(RemainsSnapshot)) == 0
    answer = wms.post("/wms/supervisor/remains", page=page)
    assert answer.headers["location"] == "/wms/supervisor?notice=remains"
    with wms.db.session() as s:
        (message,) = outbox(s, "REMAINS")
        assert message["payload"]["rows"] == [{"item_code": "A1", "status": "available", "quantity": "5.000"},
                                              {"item_code": "B2", "status": "available", "quantity": "10.000"}]


def test_storekeepers_cannot_send_remains(wms: Wms) -> None:
    wms.login("anna")
    assert wms.post("/wms/supervisor/remains").status_code == 403
    with wms.db.session() as s:
        assert outbox(s, "REMAINS") == []


def test_supervisor_sees_but_cannot_act_on_someone_elses_task(wms: Wms) -> None:
    task_id = pick_task(wms, order(wms, lines=(("A1", "1"),)))
    with wms.db.transaction() as s:
        from dealerhub.wms.staff.models import Storekeeper
        from dealerhub.wms.tasks.service import assign
        assign(s, task_id, s.scalar(select(Storekeeper.id).where(Storekeeper.login == "anna")))
    wms.login("sveta")
    page = wms.client.get(f"/wms/tasks/{task_id}")
    assert page.status_code == 200
    assert 'id="scan-form"' not in page.text
    assert wms.post(f"/wms/tasks/{task_id}/scan", {"code": "PCK-01-01-1"}).status_code == 403
