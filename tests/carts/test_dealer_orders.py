"""The order side of the cabinet and of moderation: quantities changed with a reason the dealer
sees, rejection releasing what the cart passed on, the dealer's cancel before approval, the
timeline from the audit trail. SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

from dealerhub.core import carts, sales
from dealerhub.core.documents import DocumentNotInStatus, InvalidDocument
from tests.carts.builders import balance, make_world, nothing_written

D = Decimal


def _submitted(db, w, *pairs, reserve=True):
    with db.transaction() as s:
        cart = carts.create_cart(s, partner_id=w.partner_id, user_id=None, name=f"C{len(carts.list_carts(s, w.partner_id))}")
        carts.add_items(s, cart.id, partner_id=w.partner_id, user_id=None, items=[carts.ItemQuantity(i, D(q)) for i, q in pairs])
        if reserve:
            carts.reserve_lines(s, cart.id, partner_id=w.partner_id, user_id=None, warehouse_id=w.main)
        preview = carts.preview_submit(s, cart.id, partner_id=w.partner_id, contractor_id=w.contractor_id, warehouse_id=w.main)
        return carts.submit_cart(
            s, cart.id, partner_id=w.partner_id, user_id=None, contractor_id=w.contractor_id,
            warehouse_id=w.main, fingerprint=preview.fingerprint,
        ).id


def test_a_manager_changes_quantities_with_a_reason_and_the_excess_reservation_goes(core_db):
    w = make_world(core_db)
    order_id = _submitted(core_db, w, (w.piece, "6"), (w.litre, "2"))
    with core_db.session() as s:
        lines = {ln.item_id: ln.id for ln in sales.get_customer_order(s, order_id).lines}
    with core_db.transaction() as s:
        sales.take_for_moderation(s, order_id, user_id=w.user_id)
        sales.change_order_quantities(
            s, order_id, user_id=w.user_id, quantities={lines[w.piece]: D(4), lines[w.litre]: D(0)},
            reason="packs of 4; oil is discontinued",
        )
    with core_db.session() as s:
        order = sales.get_customer_order(s, order_id)
        assert [(ln.line_no, ln.item_id, ln.quantity, ln.amount) for ln in order.lines] == [(1, w.piece, D(4), D("400.00"))]
        assert order.moderation_note == "packs of 4; oil is discontinued"
        timeline = sales.order_timeline(s, order_id)
    assert [(t.action, t.to_status) for t in timeline] == [
        ("create", "draft"), ("submit", "submitted"), ("take_for_moderation", "awaiting_moderation"),
        ("change_quantities", None),
    ]
    assert timeline[-1].reason == "packs of 4; oil is discontinued"
    assert timeline[-1].changes == [
        {"line_no": 1, "item_id": w.piece, "from": "6.000", "to": "4"},
        {"line_no": 2, "item_id": w.litre, "from": "2.000", "to": "0"},
    ]
    assert balance(core_db, w.piece, w.main) == (D(10), D(4))
    assert balance(core_db, w.litre, w.main) == (D("5.5"), D(0))


def test_bad_changes_are_refused_and_nothing_changes(core_db):
    w = make_world(core_db)
    order_id = _submitted(core_db, w, (w.piece, "2"))
    with core_db.session() as s:
        line_id = sales.get_customer_order(s, order_id).lines[0].id
    for quantities, reason in (({line_id: D("1.5")}, "x"), ({line_id: D(1)}, "  "), ({line_id: D(0)}, "x")):
        with nothing_written(core_db, InvalidDocument), core_db.transaction() as s:
            sales.change_order_quantities(s, order_id, user_id=w.user_id, quantities=quantities, reason=reason)


def test_rejection_releases_what_the_cart_passed_on(core_db):
    w = make_world(core_db)
    order_id = _submitted(core_db, w, (w.piece, "3"))
    assert balance(core_db, w.piece, w.main) == (D(10), D(3))
    with core_db.transaction() as s:
        sales.reject_customer_order(s, order_id, user_id=w.user_id, reason="no credit left")
    assert balance(core_db, w.piece, w.main) == (D(10), D(0))


def test_the_dealer_cancels_before_approval_only_and_only_its_own(core_db):
    w, other = make_world(core_db), make_world(core_db)
    first, second = _submitted(core_db, w, (w.piece, "1")), _submitted(core_db, w, (w.piece, "1"), reserve=False)
    with nothing_written(core_db, sales.SalesDocumentNotFound), core_db.transaction() as s:
        sales.cancel_by_dealer(s, first, partner_id=other.partner_id, user_id=None)
    with core_db.transaction() as s:
        sales.cancel_by_dealer(s, first, partner_id=w.partner_id, user_id=None)
        sales.approve_customer_order(s, second, user_id=w.user_id)
    with nothing_written(core_db, DocumentNotInStatus), core_db.transaction() as s:
        sales.cancel_by_dealer(s, second, partner_id=w.partner_id, user_id=None)
    with core_db.session() as s:
        rows, total = sales.list_dealer_orders(s, w.partner_id)
        assert total == 2 and [(r.id, r.status, r.total, r.lines) for r in rows] == [
            (second, "approved", D("100.00"), 1), (first, "cancelled", D("100.00"), 1)
        ]
        assert sales.list_dealer_orders(s, other.partner_id) == ([], 0)
    assert balance(core_db, w.piece, w.main) == (D(10), D(1))
