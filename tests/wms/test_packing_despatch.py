"""Several packages per order (weight, which lines and how much), packages taken apart before they
leave, and the despatch in parts: DESPATCH final=false for each part, the final one with the
shortages; serials leave with the part that ships them."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from dealerhub.wms.errors import QuantityRefused, StateConflict
from dealerhub.wms.layout.models import Bin
from dealerhub.wms.picking.despatch import despatch
from dealerhub.wms.picking.models import Order, OrderLine, Package
from dealerhub.wms.picking.packing import PackageInput, add_package, remove_package, unpacked
from dealerhub.wms.picking.picks import confirm_pick, report_shortage
from dealerhub.wms.stock.models import Serial
from dealerhub.wms.stock.service import receive_serials
from dealerhub.wms.tasks.service import task_lines
from tests.wms.helpers import bin_stock, item_by_code, items, keeper, ledger, outbox, stock_in, warehouse
from tests.wms.test_picking import _order, _tasks


def _picked_order(s):
    """PT-1: line 1 A x 6 (5 picked, 1 short), line 2 B x 4 (all picked), line 3 A x 2 (picked)."""
    wh = warehouse(s)
    items(s, "A", "B")
    user = keeper(s)
    stock_in(s, wh, "PCK-01-01-1", "A", "8")
    stock_in(s, wh, "PCK-01-01-2", "B", "4")
    order = _order(s, wh, [("A", "6"), ("B", "4"), ("A", "2")])
    (task,) = _tasks(s, order.id)
    for line in task_lines(s, task.id):
        code = "460B" if line.from_bin_id == s.scalar(select(Bin.id).where(Bin.barcode == "PCK-01-01-2")) else "460A"
        bin_barcode = "PCK-01-01-2" if code == "460B" else "PCK-01-01-1"
        quantity = D(5) if line.quantity == D(6) else line.quantity
        confirm_pick(s, line.id, bin_barcode=bin_barcode, item_barcode=code, quantity=quantity, user_id=user)
        if line.quantity == D(6):
            report_shortage(s, line.id, reason="damaged", user_id=user)
    s.refresh(order)
    assert order.status == "picked"
    return wh, user, order


def _lines(message):
    return [(x["line_no"], x["item_code"], x["picked"], x["shipped"], x["shortage"], x["shortage_reason"])
            for x in message["payload"]["lines"]]


def _packages(message):
    return [(p["package_no"], p["weight_kg"], [(c["item_code"], c["quantity"]) for c in p["contents"]])
            for p in message["payload"]["packages"]]


def test_packages_one_by_one_then_two_parts_the_last_one_final(wms_db):
    with wms_db.transaction() as s:
        wh, user, order = _picked_order(s)
        add_package(s, order.id, PackageInput(weight_kg=D("20.5"), lines={1: D(3), 2: D(4)}, length_mm=800), user_id=user)
        add_package(s, order.id, PackageInput(weight_kg=D(4), contents={"A": D(2)}, package_no="BOX-B"), user_id=user)
        assert order.status == "picked"  # A is not all in packages yet
        assert sorted(unpacked(s, order).values()) == [D(0), D(0), D(2)]
        first = despatch(s, order.id, user_id=user, package_nos=["PT-1-1"])
        assert order.status == "part_shipped"
        assert bin_stock(s, wh, "PAK-01", "A") == (D(4), D(0))
        assert bin_stock(s, wh, "PAK-01", "B") == (D(0), D(0))
        add_package(s, order.id, PackageInput(weight_kg=D(4), lines={3: D(2)}), user_id=user)
        second = despatch(s, order.id, user_id=user)
        assert order.status == "shipped"
        assert bin_stock(s, wh, "PAK-01", "A") == (D(0), D(0))
        part, last = outbox(s, "DESPATCH")
        assert (part["payload"]["despatch_number"], part["payload"]["final"]) == (first, False)
        assert (last["payload"]["despatch_number"], last["payload"]["final"]) == (second, True)
        assert _lines(part) == [(1, "A", "3.000", "3.000", "0.000", None), (2, "B", "4.000", "4.000", "0.000", None)]
        assert _packages(part) == [("PT-1-1", "20.500", [("A", "3.000"), ("B", "4.000")])]
        # BOX-B held 2 of A: line 1's last 2 (spread in line order), line 3 came in PT-1-3.
        assert _lines(last) == [(1, "A", "2.000", "2.000", "1.000", "damaged"), (3, "A", "2.000", "2.000", "0.000", None)]
        assert _packages(last) == [("BOX-B", "4.000", [("A", "2.000")]), ("PT-1-3", "4.000", [("A", "2.000")])]
        assert [(x.line_no, x.shipped) for x in s.scalars(select(OrderLine).order_by(OrderLine.line_no))] == [
            (1, D(5)), (2, D(4)), (3, D(2))]
        assert {no: dsp for no, dsp in s.execute(select(Package.package_no, Package.despatch_number))} == {
            "PT-1-1": first, "BOX-B": second, "PT-1-3": second}


@pytest.mark.parametrize(("package", "error", "message"), [
    (PackageInput(weight_kg=D(0), lines={2: D(1)}), QuantityRefused, "needs its weight"),
    (PackageInput(weight_kg=D(1)), QuantityRefused, "holds at least one item"),
    (PackageInput(weight_kg=D("0.0001"), lines={2: D(1)}), QuantityRefused, "more than 3 decimal places"),
    (PackageInput(weight_kg=D(1), lines={2: D(1)}, width_mm=-5), QuantityRefused, "whole millimetres"),
    (PackageInput(weight_kg=D(1), lines={2: D(5)}), QuantityRefused, r"line 2 \(B\) has 4 left"),
    (PackageInput(weight_kg=D(1), contents={"A": D(8)}), QuantityRefused, r"line 3 \(A\) has 2 left"),
    (PackageInput(weight_kg=D(1), lines={9: D(1)}), QuantityRefused, "no line 9"),
    (PackageInput(weight_kg=D(1), lines={2: D("0.5")}), QuantityRefused, "decimal places"),
    (PackageInput(weight_kg=D(1), lines={2: D(1)}, package_no="PT-1-1"), StateConflict, "has a package PT-1-1"),
])
def test_a_wrong_package_is_refused_and_nothing_is_written(wms_db, package, error, message):
    with wms_db.transaction() as s:
        _wh, user, order = _picked_order(s)
        add_package(s, order.id, PackageInput(weight_kg=D(1), lines={1: D(1)}), user_id=user)
        order_id = order.id
    with pytest.raises(error, match=message), wms_db.transaction() as s:
        add_package(s, order_id, package, user_id=user)
    with wms_db.session() as s:
        assert s.scalars(select(Package.package_no)).all() == ["PT-1-1"]
        assert s.get(Order, order_id).status == "picked"


def test_a_package_is_taken_apart_until_it_leaves(wms_db):
    with wms_db.transaction() as s:
        _wh, user, order = _picked_order(s)
        add_package(s, order.id, PackageInput(weight_kg=D(9), lines={1: D(5), 2: D(4), 3: D(2)}), user_id=user)
        assert order.status == "packed"
        remove_package(s, order.id, "PT-1-1", user_id=user)
        assert order.status == "picked"
        assert s.scalars(select(Package)).all() == []
        add_package(s, order.id, PackageInput(weight_kg=D(9), lines={1: D(5), 2: D(4)}), user_id=user)
        despatch(s, order.id, user_id=user, package_nos=["PT-1-1"])
        with pytest.raises(StateConflict, match="has left in DSP"):
            remove_package(s, order.id, "PT-1-1", user_id=user)
        with pytest.raises(QuantityRefused, match="no package NOPE waits"):
            despatch(s, order.id, user_id=user, package_nos=["NOPE"])
        with pytest.raises(QuantityRefused, match="no package PT-1-1 waits"):
            despatch(s, order.id, user_id=user, package_nos=["PT-1-1"])
        # Loose goods (line 3) do not leave without a package.
        with pytest.raises(StateConflict, match="pack the goods first"):
            despatch(s, order.id, user_id=user)
        moves = len(ledger(s))
    with pytest.raises(StateConflict), wms_db.transaction() as s:
        despatch(s, order.id, user_id=user, package_nos=[])
    with wms_db.session() as s:
        assert len(ledger(s)) == moves
        assert len(outbox(s, "DESPATCH")) == 1


def test_serials_leave_with_the_part_that_ships_them(wms_db):
    with wms_db.transaction() as s:
        wh = warehouse(s)
        items(s, "EXC", serial=True)
        user = keeper(s)
        stock_in(s, wh, "STO-01-01-1", "EXC", "2")
        storage = s.scalar(select(Bin).where(Bin.barcode == "STO-01-01-1"))
        receive_serials(s, storage, item_by_code(s, "EXC").id, ["SN1", "SN2"], "available", "X")
        order = _order(s, wh, [("EXC", "2")])
        (task,) = _tasks(s, order.id)
        (line,) = task_lines(s, task.id)
        for serial in ("SN2", "SN1"):
            confirm_pick(s, line.id, bin_barcode="STO-01-01-1", item_barcode="460EXC", quantity=D(1), user_id=user,
                         serials=[serial])
        add_package(s, order.id, PackageInput(weight_kg=D(8000), contents={"EXC": D(1)}), user_id=user)
        add_package(s, order.id, PackageInput(weight_kg=D(8100), contents={"EXC": D(1)}), user_id=user)
        first = despatch(s, order.id, user_id=user, package_nos=["PT-1-1"])
        assert {x.serial_no: (x.status, x.shipped_in) for x in s.scalars(select(Serial))} == {
            "SN2": ("shipped", first), "SN1": ("available", None)}
        second = despatch(s, order.id, user_id=user)
        assert {x.serial_no: (x.status, x.shipped_in) for x in s.scalars(select(Serial))} == {
            "SN2": ("shipped", first), "SN1": ("shipped", second)}

