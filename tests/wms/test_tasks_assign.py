"""The supervisor gives open tasks: to a storekeeper, from one to another (what was done stays done),
or back to the pool (a task in progress opens again); unknown or deactivated storekeepers and closed
tasks are refused with nothing changed."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from dealerhub.web.i18n import Translations
from dealerhub.wms.errors import StateConflict, WmsNotFound
from dealerhub.wms.picking.picks import confirm_pick
from dealerhub.wms.staff.service import set_active
from dealerhub.wms.tasks.models import Task
from dealerhub.wms.tasks.service import assign, start, task_lines
from tests.wms.helpers import items, keeper, stock_in, warehouse
from tests.wms.test_picking import _order, _tasks


def _task(s):
    wh = warehouse(s)
    items(s, "A")
    stock_in(s, wh, "PCK-01-01-1", "A", "5")
    order = _order(s, wh, [("A", "2")])
    (task,) = _tasks(s, order.id)
    return task


def test_a_task_given_moved_and_put_back_in_the_pool(wms_db):
    with wms_db.transaction() as s:
        task = _task(s)
        anna, boris = keeper(s, "anna"), keeper(s, "boris")
        assign(s, task.id, anna)
        assert (task.status, task.assignee_id) == ("open", anna)
        start(s, task.id, anna)
        (line,) = task_lines(s, task.id)
        confirm_pick(s, line.id, bin_barcode="PCK-01-01-1", item_barcode="460A", quantity=D(1), user_id=anna)
        assign(s, task.id, boris)
        assert (task.status, task.assignee_id) == ("in_progress", boris)
        with pytest.raises(StateConflict, match="given to another storekeeper"):
            confirm_pick(s, line.id, bin_barcode="PCK-01-01-1", item_barcode="460A", quantity=D(1), user_id=anna)
        assign(s, task.id, None)
        assert (task.status, task.assignee_id) == ("open", None)
        assert line.done_quantity == D(1)
        confirm_pick(s, line.id, bin_barcode="PCK-01-01-1", item_barcode="460A", quantity=D(1), user_id=anna)
        assert (task.status, task.assignee_id) == ("done", anna)
        with pytest.raises(StateConflict, match="only open tasks are given") as refused:
            assign(s, task.id, boris)
        # Shown on a Russian page, the sentence and the status's name in it are translated.
        assert refused.value.message.localized(Translations(["ru", "en"], "ru").get("ru")) == (
            f"задание {task.number} в статусе «сделано»: передать можно только открытое задание")


def test_unknown_or_inactive_storekeepers_are_refused(wms_db):
    with wms_db.transaction() as s:
        task_id = _task(s).id
        gone = keeper(s, "gone")
        set_active(s, gone, False)
    for who in (gone, 9999):
        with pytest.raises(WmsNotFound, match="no such active storekeeper"), wms_db.transaction() as s:
            assign(s, task_id, who)
    with wms_db.session() as s:
        task = s.get(Task, task_id)
        assert (task.status, task.assignee_id) == ("open", None)
