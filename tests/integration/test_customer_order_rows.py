"""The customer order moved through its use cases as table rows (sales.order_rows): the object the
use cases return stays the session's one and follows every move, each move is conditional and
audited, refusals write nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from dealerhub.core import pricing, sales
from dealerhub.core.documents import DocumentNotInStatus, InvalidDocument
from dealerhub.core.sales.models import CustomerOrder, CustomerOrderLine
from tests import factories as f
from tests.integration.sales_builders import audit, balance, create_order, make_world, nothing_written

D = Decimal


def _rows(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_one_transaction_creates_moderates_and_approves_the_same_order_object(core_db):
    w = make_world(core_db, stock=("10", "1"))
    with core_db.transaction() as s:
        order = sales.create_customer_order(
            s,
            user_id=w.manager_id,
            partner_id=w.partner_id,
            contractor_id=w.contractor_id,
            warehouse_id=w.warehouse_id,
            lines=[sales.OrderLineInput(w.item_ids[0], D(2)), sales.OrderLineInput(w.item_ids[1], D(3))],
        )
        assert (order.status, order.author_id, order.agreement_id) == ("draft", w.manager_id, w.agreement_id)
        assert [(ln.line_no, ln.item_id, ln.quantity, ln.price, ln.amount) for ln in order.lines] == [
            (1, w.item_ids[0], D(2), D("100.00"), D("200.00")),
            (2, w.item_ids[1], D(3), D("250.00"), D("750.00")),
        ]
        assert sales.submit_customer_order(s, order.id, user_id=None) is order
        assert order.status == "submitted"
        assert sales.take_for_moderation(s, order.id, user_id=w.manager_id) is order
        assert (order.status, order.moderator_id) == ("awaiting_moderation", w.manager_id)
        assert sales.approve_customer_order(s, order.id, user_id=w.manager_id) is order
        assert order.status == "approved"
        order_id = order.id
    assert (_rows(core_db, CustomerOrder), _rows(core_db, CustomerOrderLine)) == (1, 2)  # written once
    with core_db.session() as s:
        stored = sales.get_customer_order(s, order_id)
        assert (stored.status, stored.moderator_id) == ("approved", w.manager_id)
    assert balance(core_db, w.item_ids[0], w.warehouse_id) == (D(10), D(2))
    assert balance(core_db, w.item_ids[1], w.warehouse_id) == (D(1), D(1))  # 1 of the 3 was free
    assert audit(core_db, "customer_order", order_id) == [
        ("create", None, "draft"),
        ("submit", "draft", "submitted"),
        ("take_for_moderation", "submitted", "awaiting_moderation"),
        ("approve", "awaiting_moderation", "approved"),
    ]


def test_approval_straight_from_submitted_keeps_a_moderator_who_took_the_order(core_db):
    w = make_world(core_db)
    first, second = create_order(core_db, w, ("1",)), create_order(core_db, w, ("1",))
    with core_db.transaction() as s:
        other = f.staff(s).id
        sales.submit_customer_order(s, first, user_id=None)
        sales.submit_customer_order(s, second, user_id=None)
        sales.take_for_moderation(s, second, user_id=w.manager_id)
    with core_db.transaction() as s:  # a fresh session: the orders are loaded only at the end
        assert sales.approve_customer_order(s, first, user_id=other).moderator_id == other
        assert sales.approve_customer_order(s, second, user_id=other).moderator_id == w.manager_id
    assert audit(core_db, "customer_order", first)[-1] == ("approve", "submitted", "approved")
    assert audit(core_db, "customer_order", second)[-1] == ("approve", "awaiting_moderation", "approved")


@pytest.mark.parametrize(
    "move", [sales.submit_customer_order, sales.take_for_moderation, sales.approve_customer_order]
)
def test_moving_an_unknown_order_writes_nothing(core_db, move):
    make_world(core_db)
    with nothing_written(core_db, sales.SalesDocumentNotFound), core_db.transaction() as s:
        move(s, 999_999, user_id=None)


def test_a_move_from_the_wrong_status_names_the_order_and_writes_nothing(core_db):
    w = make_world(core_db)
    order_id = create_order(core_db, w, ("1",))
    for move in (sales.take_for_moderation, sales.approve_customer_order):
        with nothing_written(core_db, DocumentNotInStatus) as err, core_db.transaction() as s:
            move(s, order_id, user_id=w.manager_id)
        assert err.value.message.startswith("Customer order CO-") and " is «Draft»: " in err.value.message
    with core_db.transaction() as s:
        sales.submit_customer_order(s, order_id, user_id=None)
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.submit_customer_order(s, order_id, user_id=None)


def test_a_draft_moves_only_to_a_warehouse_open_for_sale(core_db):
    w = make_world(core_db)
    order_id = create_order(core_db, w, ("1",))
    with core_db.transaction() as s:
        defect, regional = f.warehouse(s, kind="defect").id, f.warehouse(s, kind="regional").id
    with nothing_written(core_db, InvalidDocument) as err, core_db.transaction() as s:
        sales.update_customer_order(s, order_id, user_id=None, warehouse_id=defect)
    assert "closed for sale" in err.value.message
    with core_db.transaction() as s:
        sales.update_customer_order(s, order_id, user_id=None, warehouse_id=regional)
    with core_db.session() as s:
        assert sales.get_customer_order(s, order_id).warehouse_id == regional


def test_a_group_discount_reaches_an_item_in_a_subgroup(core_db):
    """The order's prices come through the group tree query: the nearest discounted ancestor wins."""
    w = make_world(core_db)
    with core_db.transaction() as s:
        parts = f.group(s, name="Spare parts")
        filters = f.group(s, parent=parts, name="Filters")
        oil = f.group(s, parent=filters, name="Oil filters")
        it = f.item(s, grp=oil)
        f.price(
            s, it, pricing.get_price_type(s, pricing.get_agreement(s, w.agreement_id).price_type_id), "80.00"
        )
        discounts = [
            pricing.DiscountInput("group", D(5), parts.id),
            pricing.DiscountInput("group", D(10), filters.id),
        ]
        pricing.update_agreement(s, w.agreement_id, user_id=None, discounts=discounts)
        item_id = it.id
    with core_db.transaction() as s:
        order = sales.create_customer_order(
            s,
            user_id=None,
            partner_id=w.partner_id,
            contractor_id=w.contractor_id,
            warehouse_id=w.warehouse_id,
            lines=[sales.OrderLineInput(item_id, D(1)), sales.OrderLineInput(w.item_ids[0], D(1))],
        )
        assert [(ln.price, ln.discount_percent) for ln in order.lines] == [
            (D("72.00"), D(10)),  # Filters' 10 % beats Spare parts' 5 %
            (D("100.00"), D(0)),  # the world's item is in a group of its own
        ]
