"""Customer returns against a posted sale: onto a chosen warehouse (a defect one included), never
more than was sold, reversible while the goods are still free."""

from __future__ import annotations

from decimal import Decimal

from dealerhub.core import sales, stock
from dealerhub.core.documents import DocumentNotInStatus, InvalidDocument
from tests import factories as f
from tests.integration.sales_builders import (
    approved_order,
    audit,
    balance,
    make_world,
    nothing_written,
    posted_sale,
    posted_task,
    stock_moves,
)

D = Decimal


def _sold(core_db, quantities=("4", "2")):
    """A world whose dealer bought `quantities`; returns (world, sale id, sale line ids)."""
    w = make_world(core_db)
    sale_id = posted_sale(core_db, w, posted_task(core_db, w, approved_order(core_db, w, quantities)))
    with core_db.session() as s:
        return w, sale_id, [ln.id for ln in sales.get_sale(s, sale_id).lines]


def _warehouse(core_db, kind):
    with core_db.transaction() as s:
        return f.warehouse(s, kind=kind).id


def test_a_return_onto_the_defect_warehouse_and_its_reversal(core_db):
    w, sale_id, (la, lb) = _sold(core_db)
    a, b = w.item_ids
    defect = _warehouse(core_db, "defect")
    with core_db.transaction() as s:
        ret = sales.create_customer_return(
            s,
            sale_id,
            user_id=w.manager_id,
            warehouse_id=defect,
            reason="broken housing",
            lines={la: D(1), lb: D(2)},
        )
        ret_id = ret.id
        assert [(ln.sale_line_id, ln.item_id, ln.quantity, ln.price, ln.amount) for ln in ret.lines] == [
            (la, a, D(1), D("100.00"), D("100.00")),
            (lb, b, D(2), D("250.00"), D("500.00")),
        ]
        assert (ret.partner_id, ret.contractor_id, ret.status) == (w.partner_id, w.contractor_id, "draft")
    assert stock_moves(core_db, "customer_return", ret_id) == []
    with core_db.transaction() as s:
        sales.post_customer_return(s, ret_id, user_id=w.manager_id)
    assert stock_moves(core_db, "customer_return", ret_id) == [
        (a, defect, D(1), False),
        (b, defect, D(2), False),
    ]
    assert balance(core_db, a, defect) == (D(1), D(0))
    with core_db.session() as s:
        assert stock.get_balance(s, a, defect).free == D(0)  # closed for sale
    with core_db.transaction() as s:
        sales.unpost_customer_return(s, ret_id, user_id=None)
    assert stock_moves(core_db, "customer_return", ret_id)[2:] == [
        (a, defect, D(-1), True),
        (b, defect, D(-2), True),
    ]
    assert balance(core_db, a, defect) == (D(0), D(0))
    assert audit(core_db, "customer_return", ret_id) == [
        ("create", None, "draft"),
        ("post", "draft", "posted"),
        ("unpost", "posted", "draft"),
    ]
    with core_db.session() as s:
        assert stock.find_differences(s) == []


def test_no_more_comes_back_than_was_sold(core_db):
    w, sale_id, (la, _) = _sold(core_db)
    with core_db.transaction() as s:
        first = sales.create_customer_return(
            s, sale_id, user_id=None, warehouse_id=w.warehouse_id, reason="surplus", lines={la: D(3)}
        ).id
        sales.post_customer_return(s, first, user_id=None)
    with nothing_written(core_db, sales.ReturnExceedsSold) as err, core_db.transaction() as s:
        sales.create_customer_return(
            s, sale_id, user_id=None, warehouse_id=w.warehouse_id, reason="more", lines={la: D(2)}
        )
    assert "only 1 of the 4 sold" in err.value.message
    # Two drafts of 1 each fit on their own; posting the second would exceed what was sold.
    with core_db.transaction() as s:
        d1, d2 = (
            sales.create_customer_return(
                s, sale_id, user_id=None, warehouse_id=w.warehouse_id, reason="x", lines={la: D(1)}
            ).id
            for _ in range(2)
        )
        sales.post_customer_return(s, d1, user_id=None)
    with nothing_written(core_db, sales.ReturnExceedsSold), core_db.transaction() as s:
        sales.post_customer_return(s, d2, user_id=None)
    with core_db.transaction() as s:
        sales.cancel_customer_return(s, d2, user_id=None)
    assert balance(core_db, w.item_ids[0], w.warehouse_id) == (D(10), D(0))  # 10 - 4 sold + 3 + 1 back


def test_bad_returns_write_nothing(core_db):
    w, sale_id, (la, lb) = _sold(core_db, ("4", "2"))
    cases = [
        ({"lines": {la: D("0.5")}}, InvalidDocument),  # half a piece
        ({"lines": {la: D(0)}}, InvalidDocument),
        ({"lines": {}}, InvalidDocument),
        ({"lines": {lb + 1000: D(1)}}, InvalidDocument),  # not a line of the sale
        ({"lines": {la: D(1)}, "reason": " "}, InvalidDocument),
        ({"lines": {la: D(1)}, "warehouse_id": 999_999}, InvalidDocument),
    ]
    for kwargs, error in cases:
        args = {"warehouse_id": w.warehouse_id, "reason": "damaged"} | kwargs
        with nothing_written(core_db, error), core_db.transaction() as s:
            sales.create_customer_return(s, sale_id, user_id=None, **args)


def test_a_return_needs_a_posted_sale_and_blocks_its_unposting(core_db):
    w, sale_id, (la, _) = _sold(core_db)
    with core_db.transaction() as s:
        ret_id = sales.create_customer_return(
            s, sale_id, user_id=None, warehouse_id=w.warehouse_id, reason="wrong part", lines={la: D(1)}
        ).id
        sales.post_customer_return(s, ret_id, user_id=None)
    with nothing_written(core_db, sales.SaleHasReturns), core_db.transaction() as s:
        sales.unpost_sale(s, sale_id, user_id=None)
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.post_customer_return(s, ret_id, user_id=None)  # posted twice
    with core_db.transaction() as s:
        sales.unpost_customer_return(s, ret_id, user_id=None)
        sales.unpost_sale(s, sale_id, user_id=None)
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.post_customer_return(s, ret_id, user_id=None)  # its sale is no longer posted
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.create_customer_return(
            s, sale_id, user_id=None, warehouse_id=w.warehouse_id, reason="x", lines={la: D(1)}
        )


def test_a_return_whose_goods_are_gone_is_not_unposted(core_db):
    w, sale_id, (la, _) = _sold(core_db)
    with core_db.transaction() as s:
        ret_id = sales.create_customer_return(
            s, sale_id, user_id=None, warehouse_id=w.warehouse_id, reason="surplus", lines={la: D(2)}
        ).id
        sales.post_customer_return(s, ret_id, user_id=None)
    approved_order(core_db, w, ("8",))  # another order reserves all 8 on hand
    with nothing_written(core_db, stock.InsufficientStock), core_db.transaction() as s:
        sales.unpost_customer_return(s, ret_id, user_id=None)
    assert balance(core_db, w.item_ids[0], w.warehouse_id) == (D(8), D(8))
