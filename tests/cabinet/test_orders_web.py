"""The cabinet's order pages through the web: the two-step submit (the review with its differences,
then the confirmation carrying the review's fingerprint), a stale cart or an outdated review
refused with nothing written, the orders list and the order with its timeline, cancel before
approval (refused after), repeat into a cart or a new one, and a missing CSRF token. SQLite and
PostgreSQL."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from dealerhub.core import carts, sales
from dealerhub.core.carts.models import Cart
from dealerhub.core.pricing.models import ItemPrice
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.shared import clock
from tests import factories as f
from tests.cabinet.conftest import log_in_dealer
from tests.cabinet.test_carts_web import Shop, cart_lines, line_id, make_cart, make_shop, post, refused
from tests.carts.builders import balance, snapshot

D = Decimal


@pytest.fixture
def shop(core_db) -> Shop:
    return make_shop(core_db)


@pytest.fixture
def buyer(client: TestClient, shop: Shop) -> TestClient:
    log_in_dealer(client, shop.buyer)
    return client


def review(client, cart_id: int) -> dict[str, str]:
    page = client.get(f"/cabinet/carts/{cart_id}/submit")
    assert page.status_code == 200, page.text
    form = page.text.split('id="confirm"')[1].split("</form>")[0]
    fields = dict(re.findall(r'name="(fingerprint|contractor_id|warehouse_id)" value="([^"]*)"', form))
    fields["page"] = page.text
    return fields


def confirm(client, cart_id: int, fields: dict[str, str], comment: str = ""):
    data = {k: v for k, v in fields.items() if k != "page"}
    return post(client, f"/cabinet/carts/{cart_id}/submit", {**data, "comment": comment})


def orders_of(db, partner_id: int) -> list[tuple]:
    with db.session() as s:
        rows = s.scalars(select(CustomerOrder).where(CustomerOrder.partner_id == partner_id).order_by(CustomerOrder.id))
        return [(o.status, o.warehouse_id, o.comment, [(ln.item_id, ln.quantity, ln.price) for ln in o.lines]) for o in rows]


def submitted_order(db, client, shop, *pairs) -> int:
    cart_id = make_cart(db, shop.w, f"Cart {len(orders_of(db, shop.w.partner_id))}", *pairs)
    answer = confirm(client, cart_id, review(client, cart_id))
    assert answer.status_code == 303, answer.text
    return int(answer.headers["location"].split("/cabinet/orders/")[1].split("?")[0])


def test_the_two_step_submit_makes_the_order_and_empties_the_cart(core_db, shop, buyer):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "12"), (w.litre, "2"))
    fields = review(buyer, cart_id)
    assert (fields["contractor_id"], fields["warehouse_id"]) == (str(w.contractor_id), str(w.main))
    differences = fields["page"].split('id="differences"')[1].split("</div>")[0]
    assert "6I-2503" in differences and "10 of 12 available now" in differences
    assert orders_of(core_db, w.partner_id) == []  # the review writes nothing

    answer = confirm(buyer, cart_id, fields, comment="for the Ivanov site")
    assert answer.status_code == 303
    order_id = int(answer.headers["location"].split("/cabinet/orders/")[1].split("?")[0])
    assert answer.headers["location"] == f"/cabinet/orders/{order_id}?notice=created"
    assert orders_of(core_db, w.partner_id) == [
        ("submitted", w.main, "for the Ivanov site", [(w.piece, D(12), D("100.00")), (w.litre, D(2), D("50.50"))])
    ]
    assert cart_lines(core_db, cart_id) == []

    page = buyer.get(f"/cabinet/orders/{order_id}").text
    assert re.search(r'id="order-status">submitted<', page)
    timeline = page.split('id="timeline">')[1].split("</ol>")[0]
    assert [s.strip() for s in re.findall(r"· ([a-z ]+)\s*(?:<|$)", timeline)] == ["draft", "submitted"]
    listing = buyer.get("/cabinet/orders").text.split('id="orders"')[1]
    assert f'href="/cabinet/orders/{order_id}"' in listing and "1,301.00" in listing


def test_a_cart_changed_after_the_review_is_refused_and_nothing_is_written(core_db, shop, buyer):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "2"))
    fields = review(buyer, cart_id)
    with core_db.transaction() as s:  # another user of the dealer changes the cart meanwhile
        carts.set_quantity(s, cart_id, line_id(core_db, cart_id, w.piece), partner_id=w.partner_id, user_id=None, quantity="3")
    before = snapshot(core_db)
    refused(confirm(buyer, cart_id, fields), 409, "was changed by another user since you reviewed it")
    assert snapshot(core_db) == before


def test_a_price_changed_after_the_review_is_refused_and_nothing_is_written(core_db, shop, buyer):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "2"))
    fields = review(buyer, cart_id)
    with core_db.transaction() as s:
        s.add(ItemPrice(item_id=w.piece, price_type_id=w.price_type_id, price=D("120.00"), currency="RUB", valid_from=clock.today()))
    before = snapshot(core_db)
    refused(confirm(buyer, cart_id, fields), 409, "prices or stock changed since you reviewed the order")
    assert snapshot(core_db) == before
    # Reviewed again, the new price is shown and accepted.
    fields = review(buyer, cart_id)
    assert "price changed from 100.00 to 120.00" in fields["page"]
    assert confirm(buyer, cart_id, fields).status_code == 303


def test_a_forged_fingerprint_or_a_foreign_legal_entity_is_refused(core_db, shop, buyer):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "2"))
    fields = review(buyer, cart_id)
    with core_db.transaction() as s:
        foreign = f.dealer(s)[1].id  # another dealer's legal entity
    before = snapshot(core_db)
    refused(confirm(buyer, cart_id, {**fields, "fingerprint": "1:forged"}), 409, "changed by another user")
    refused(confirm(buyer, cart_id, {**fields, "warehouse_id": str(w.other)}), 422, "priority warehouses")
    # The review was for another legal entity: the order it confirms is not this one.
    refused(confirm(buyer, cart_id, {**fields, "contractor_id": str(foreign)}), 409, "review the differences again")
    empty = make_cart(core_db, w, "Empty")
    before = snapshot(core_db)
    refused(confirm(buyer, empty, fields), 422, "the cart is empty")
    assert snapshot(core_db) == before


def test_cancel_before_approval_and_not_after(core_db, shop, buyer):
    w = shop.w
    order_id = submitted_order(core_db, buyer, shop, (w.piece, "2"))
    answer = post(buyer, f"/cabinet/orders/{order_id}/cancel")
    assert (answer.status_code, answer.headers["location"]) == (303, f"/cabinet/orders/{order_id}?notice=saved")
    assert orders_of(core_db, w.partner_id)[0][0] == "cancelled"
    page = buyer.get(f"/cabinet/orders/{order_id}").text
    assert 'id="cancel-order"' not in page and "cancelled by the dealer" in page

    approved = submitted_order(core_db, buyer, shop, (w.piece, "3"))
    with core_db.transaction() as s:
        sales.approve_customer_order(s, approved, user_id=w.user_id)
    assert 'id="cancel-order"' not in buyer.get(f"/cabinet/orders/{approved}").text
    before = snapshot(core_db)
    refused(post(buyer, f"/cabinet/orders/{approved}/cancel"), 409, "ask your manager once it is approved")
    assert snapshot(core_db) == before
    assert balance(core_db, w.piece, w.main) == (D(10), D(3))


def test_repeat_into_a_cart_or_a_new_one(core_db, shop, buyer):
    w = shop.w
    order_id = submitted_order(core_db, buyer, shop, (w.piece, "2"), (w.litre, "1.5"))
    target = make_cart(core_db, w, "Petrov", (w.piece, "1"))
    answer = post(buyer, f"/cabinet/orders/{order_id}/repeat", {"cart_id": str(target)})
    assert (answer.status_code, answer.headers["location"]) == (303, f"/cabinet/carts/{target}?notice=saved")
    assert cart_lines(core_db, target) == [(w.piece, D(3)), (w.litre, D("1.5"))]

    answer = post(buyer, f"/cabinet/orders/{order_id}/repeat", {"cart_id": ""})
    assert answer.status_code == 303
    with core_db.session() as s:
        number = s.get(CustomerOrder, order_id).number
        new = s.scalars(select(Cart).where(Cart.partner_id == w.partner_id, Cart.name == number)).one()
    assert cart_lines(core_db, new.id) == [(w.piece, D(2)), (w.litre, D("1.5"))]


def test_without_the_csrf_token_nothing_is_written(core_db, shop, buyer):
    w = shop.w
    order_id = submitted_order(core_db, buyer, shop, (w.piece, "2"))
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "1"))
    fields = review(buyer, cart_id)
    before = snapshot(core_db)
    data = {k: v for k, v in fields.items() if k != "page"}
    for path, form in (
        (f"/cabinet/carts/{cart_id}/submit", data),
        (f"/cabinet/orders/{order_id}/cancel", {}),
        (f"/cabinet/orders/{order_id}/repeat", {"cart_id": str(cart_id)}),
    ):
        assert buyer.post(path, data=form).status_code == 403, path
    assert snapshot(core_db) == before
