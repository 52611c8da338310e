"""The supervisor gives open tasks to storekeepers (and takes them back to the pool), starts counts,
closes a count's round (a recount when lines pass the threshold, else the count closes with
INVENTORY), and reads a count's lines with the book; a storekeeper's refusals change nothing."""

from __future__ import annotations

import html
import re
from decimal import Decimal

from sqlalchemy import select

from dealerhub.wms.counts.models import Count, CountLine
from dealerhub.wms.staff.models import Storekeeper
from dealerhub.wms.tasks.models import Task
from tests.wms.helpers import outbox
from tests.wms_web.conftest import Wms
from tests.wms_web.test_picking_pages import order, pick_task, scan
from tests.wms_web.test_supervisor_page import rows

D = Decimal


def _keeper(wms: Wms, login: str) -> int:
    with wms.db.session() as s:
        return s.scalar(select(Storekeeper.id).where(Storekeeper.login == login))


def _task(wms: Wms, task_id: int) -> tuple:
    with wms.db.session() as s:
        task = s.get(Task, task_id)
        return task.status, task.assignee_id


def test_tasks_are_given_and_taken_back(wms: Wms) -> None:
    task_id = pick_task(wms, order(wms, lines=(("A1", "2"),)))
    boris = _keeper(wms, "boris")
    wms.login("anna")
    assert wms.client.get("/wms/supervisor").status_code == 403  # a storekeeper is no supervisor
    page = wms.client.get(f"/wms/tasks/{task_id}").text
    page = scan(wms, task_id, page, code="PCK-01-01-1").text  # anna has not taken it yet: nothing done
    wms.client.cookies.clear()
    wms.login("sveta")
    page = wms.client.get("/wms/supervisor").text
    assert 'id="task-list"' in page and f"/wms/supervisor/tasks/{task_id}/give" in page
    for assignee, status in (("999", 404), ("x", 422)):
        assert wms.post(f"/wms/supervisor/tasks/{task_id}/give", {"assignee": assignee}, page=page).status_code == status
    assert _task(wms, task_id) == ("open", None)
    answer = wms.post(f"/wms/supervisor/tasks/{task_id}/give", {"assignee": str(boris)}, page=page)
    assert answer.headers["location"] == "/wms/supervisor?notice=given#give-tasks"
    assert _task(wms, task_id) == ("open", boris)
    assert rows(wms.client.get("/wms/supervisor").text, "open-tasks") == [["Подбор", "Boris", "1"]]
    # anna can no longer act on it; boris sees it first.
    wms.client.cookies.clear()
    wms.login("anna")
    assert f"/wms/tasks/{task_id}\"" not in wms.client.get("/wms/tasks").text
    assert wms.client.get(f"/wms/tasks/{task_id}").status_code == 403
    wms.client.cookies.clear()
    wms.login("boris")
    page = wms.client.get(f"/wms/tasks/{task_id}").text
    page = scan(wms, task_id, page, code="PCK-01-01-1").text
    page = scan(wms, task_id, page, code="460A1").text
    assert 'name="stage" value="quantity"' in page
    scan(wms, task_id, page, quantity="1")  # one of two picked: the task is boris's, in progress
    assert _task(wms, task_id) == ("in_progress", boris)
    # Back to the pool: open again, for anyone; what boris picked stays picked.
    wms.client.cookies.clear()
    wms.login("sveta")
    page = wms.client.get("/wms/supervisor").text
    wms.post(f"/wms/supervisor/tasks/{task_id}/give", {"assignee": ""}, page=page)
    assert _task(wms, task_id) == ("open", None)
    wms.client.cookies.clear()
    wms.login("anna")
    page = wms.client.get(f"/wms/tasks/{task_id}").text
    assert 'id="step-qty">1<' in page
    page = scan(wms, task_id, page, code="PCK-01-01-1").text
    assert scan(wms, task_id, page, code="460A1").status_code == 303  # the last unit: no quantity asked
    assert _task(wms, task_id)[0] == "done"
    wms.client.cookies.clear()
    wms.login("sveta")
    page = wms.client.get("/wms/supervisor").text
    assert wms.post(f"/wms/supervisor/tasks/{task_id}/give", {"assignee": str(boris)}, page=page).status_code == 409


def test_a_count_started_counted_recounted_and_closed(wms: Wms) -> None:
    wms.login("sveta")
    page = wms.client.get("/wms/supervisor").text
    assert wms.post("/wms/supervisor/counts", {"zone": "PCK", "threshold": "101"}, page=page).status_code == 422
    assert wms.post("/wms/supervisor/counts", {"zone": "NOPE"}, page=page).status_code == 422
    assert wms.post("/wms/supervisor/counts", {"zone": "PCK", "item": "A1"}, page=page).status_code == 422
    with wms.db.session() as s:
        assert s.scalars(select(Count)).all() == []
    answer = wms.post("/wms/supervisor/counts", {"zone": "PCK", "threshold": "10"}, page=page)
    assert answer.headers["location"] == "/wms/supervisor?notice=count_started#counts"
    with wms.db.session() as s:
        count = s.scalar(select(Count))
        count_id, task_id = count.id, s.scalar(select(Task.id).where(Task.count_id == count.id))
        assert (count.threshold_percent, count.status) == (D(10), "counting")
    page = wms.client.get("/wms/supervisor").text
    assert "ячеек посчитано 0 / 6" in page  # the picking zone has 6 bins
    # Not counted yet: the round cannot close.
    assert wms.post(f"/wms/supervisor/counts/{count_id}/finish-round", page=page).status_code == 409
    wms.client.cookies.clear()
    wms.login("anna")
    page = wms.client.get(f"/wms/tasks/{task_id}").text
    page = scan(wms, task_id, page, code="PCK-01-01-1").text
    page = scan(wms, task_id, page, code="460A1").text
    assert 'name="status" id="found-available" value="available" checked' in page
    scan(wms, task_id, page, quantity="3")  # 3 of 5 on the book: 40 %
    wms.client.cookies.clear()
    wms.login("sveta")
    page = wms.client.get("/wms/supervisor").text
    answer = wms.post(f"/wms/supervisor/counts/{count_id}/finish-round", page=page)
    assert answer.headers["location"] == "/wms/supervisor?notice=recount#counts"
    detail = wms.client.get(f"/wms/supervisor/counts/{count_id}").text
    assert rows(detail, "count-lines") == [["PCK-01-01-1A1 · свободен", "5", "3на пересчёт"]]
    with wms.db.session() as s:
        recount_task = s.scalar(select(Task.id).where(Task.count_id == count_id, Task.status == "open"))
    wms.client.cookies.clear()
    wms.login("anna")
    page = wms.client.get(f"/wms/tasks/{recount_task}").text
    page = scan(wms, recount_task, page, code="PCK-01-01-1").text
    page = scan(wms, recount_task, page, code="460A1").text
    scan(wms, recount_task, page, quantity="4")
    wms.client.cookies.clear()
    wms.login("sveta")
    page = wms.client.get("/wms/supervisor").text
    answer = wms.post(f"/wms/supervisor/counts/{count_id}/finish-round", page=page)
    assert answer.headers["location"] == "/wms/supervisor?notice=count_closed#counts"
    with wms.db.session() as s:
        assert s.get(Count, count_id).status == "closed"
        assert s.execute(select(CountLine.book, CountLine.counted, CountLine.recounted)).all() == [(D(5), D(3), D(4))]
        (message,) = outbox(s, "INVENTORY")
    assert message["payload"]["lines"] == [{"item_code": "A1", "book_quantity": "5.000", "counted_quantity": "4.000"}]
    assert "Открытых инвентаризаций нет." in wms.client.get("/wms/supervisor").text


def test_a_count_asks_what_state_the_goods_are_in(wms: Wms) -> None:
    """A storage bin holding good and damaged units of B2: the count page suggests good there (the
    zone's own state), the storekeeper says which; each state is counted on its own line."""
    from dealerhub.wms.catalog.service import item_by_code
    from dealerhub.wms.counts.service import start_count
    from dealerhub.wms.layout.service import bin_by_barcode, zones_of
    from dealerhub.wms.stock.service import put

    with wms.db.transaction() as s:
        put(s, bin_by_barcode(s, wms.warehouse_id, "STO-01-01-1"), item_by_code(s, "B2").id, "defect", D(2), "receipt")
        storage = next(z for z in zones_of(s, wms.warehouse_id) if z.kind == "storage")
        count = start_count(s, wms.warehouse_id, zone_id=storage.id, threshold_percent=D(5))
        count_id = count.id
        task_id = s.scalar(select(Task.id).where(Task.count_id == count.id))
    wms.login("anna")
    page = wms.client.get(f"/wms/tasks/{task_id}").text
    page = scan(wms, task_id, page, code="STO-01-01-1").text
    page = scan(wms, task_id, page, code="460B2").text
    assert 'name="status" id="found-available" value="available" checked' in page
    page = scan(wms, task_id, page, quantity="10", status="available").text
    page = scan(wms, task_id, page, code="460B2").text
    refused = scan(wms, task_id, page, quantity="2", status="broken")
    assert refused.status_code == 422
    page = scan(wms, task_id, page, quantity="2", status="defect").text
    with wms.db.session() as s:
        assert sorted(s.execute(select(CountLine.status, CountLine.book, CountLine.counted)
                                .where(CountLine.count_id == count_id)).all()) == [
            ("available", D(10), D(10)), ("defect", D(2), D(2))]


def _refusal(page: str) -> str:
    match = re.search(r'<p class="alert alert-danger scan-error">([^<]*)</p>', page)
    assert match, "no refusal on the page"
    return html.unescape(match.group(1))


def test_the_refusals_are_in_the_language_of_the_page(wms: Wms) -> None:
    wms.login("sveta")  # Russian, the storekeepers' default
    page = wms.client.get("/wms/supervisor").text
    answer = wms.post("/wms/supervisor/counts", {"zone": "PCK", "threshold": "101"}, page=page)
    assert answer.status_code == 422
    assert _refusal(answer.text) == "порог пересчёта — процент от 0 до 100 (с точностью до 0,01), а не 101"
    answer = wms.post("/wms/supervisor/counts", {"zone": "NOPE"}, page=page)
    assert _refusal(answer.text) == "на этом складе нет зоны NOPE"
    wms.post("/wms/supervisor/counts", {"zone": "PCK", "threshold": "10"}, page=page)
    with wms.db.session() as s:
        count_id = s.scalar(select(Count.id))
    answer = wms.post(f"/wms/supervisor/counts/{count_id}/finish-round", page=page)
    assert answer.status_code == 409
    assert _refusal(answer.text) == "ещё не посчитано строк: 1"
    wms.post("/wms/language", {"language": "en"})
    answer = wms.post(f"/wms/supervisor/counts/{count_id}/finish-round", page=page)
    assert _refusal(answer.text) == "1 line(s) are not counted yet"
