"""The small use cases the inbox added to business areas: a warehouse's defect warehouse, removing
a packaging level, unposting one part of a despatch in several parts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from dealerhub.core import sales
from dealerhub.core.catalog import add_barcode, set_packaging
from dealerhub.core.catalog.models import Barcode, ItemPackaging
from dealerhub.core.catalog.packaging import remove_packaging
from dealerhub.core.warehouses import InvalidWarehouseData, defect_warehouse_of, set_defect_warehouse
from tests.integration import sales_builders as sb
from tests.integration.purchasing_builders import assert_refused, audit_of, make_world

D = Decimal


def test_a_warehouse_is_linked_to_a_defect_warehouse_and_unlinked(core_db):
    w = make_world(core_db)
    assert_refused(
        core_db, InvalidWarehouseData,
        lambda s: set_defect_warehouse(s, w.main_id, user_id=w.user_id, defect_warehouse_id=w.regional_id),
    )
    with core_db.transaction() as s:
        set_defect_warehouse(s, w.main_id, user_id=w.user_id, defect_warehouse_id=w.defect_id)
        assert defect_warehouse_of(s, w.main_id).id == w.defect_id
        set_defect_warehouse(s, w.main_id, user_id=w.user_id, defect_warehouse_id=None)
        assert defect_warehouse_of(s, w.main_id) is None
        assert [a[0] for a in audit_of(s, "warehouse", w.main_id)] == ["set_defect_warehouse"] * 2


def test_removing_a_packaging_level_keeps_its_barcode_on_the_item(core_db):
    w = make_world(core_db)
    with core_db.transaction() as s:
        box = set_packaging(s, w.pump_id, user_id=None, name="box", quantity=D(4))
        add_barcode(s, w.pump_id, user_id=None, barcode="4006381333931", packaging_id=box.id)
        assert remove_packaging(s, w.pump_id, user_id=None, name="box") is True
        assert remove_packaging(s, w.pump_id, user_id=None, name="box") is False
    with core_db.session() as s:
        assert s.scalars(select(ItemPackaging.id)).all() == []
        assert s.execute(select(Barcode.item_id, Barcode.packaging_id)).all() == [(w.pump_id, None)]


def test_a_part_of_a_despatch_can_be_unposted_while_its_task_is_still_picked(core_db):
    w = sb.make_world(core_db, stock=("10", "3"))
    order_id = sb.approved_order(core_db, w, ("4", "3"))
    task_id = sb.posted_task(core_db, w, order_id)
    with core_db.transaction() as s:
        first_line = sales.get_picking_task(s, task_id).lines[0].id
        sale = sales.record_despatch(s, task_id, user_id=None, despatched={first_line: D(2)}, final=False)
        assert sales.despatched_by_task_line(s, task_id) == {first_line: D(2)}
    assert sb.balance(core_db, w.item_ids[0], w.warehouse_id) == (D(8), D(2))
    with core_db.transaction() as s:
        sales.unpost_sale(s, sale.id, user_id=None)
    assert sb.status(core_db, "get_picking_task", task_id) == "posted"
    assert sb.status(core_db, "get_customer_order", order_id) == "picking"
    assert sb.balance(core_db, w.item_ids[0], w.warehouse_id) == (D(10), D(4))
    with pytest.raises(sales.DespatchExceedsPicked), core_db.transaction() as s:
        sales.record_despatch(s, task_id, user_id=None, despatched={first_line: D(5)}, final=True)
