"""The cabinet's cart pages through the web: create, rename, delete, add (the catalog's control),
change a quantity (htmx), move lines, the quick order paste with an unknown article, reserve /
prolong / release with the expiry, and every refusal — a negative or fractional quantity of a
piece item, a taken name, a warehouse not of the agreement, an expired reservation, a missing CSRF
token, an accountant — answered clearly with nothing written. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from dealerhub.core import carts
from dealerhub.core.accounts import create_user
from dealerhub.core.accounts.models import User
from dealerhub.core.carts.models import Cart
from dealerhub.shared import clock
from tests.cabinet.conftest import cabinet_token, log_in_dealer
from tests.carts.builders import World, balance, cart_reserved, make_world, snapshot
from tests.web.conftest import PASSWORD
from tests.web.pages import text_of

D = Decimal
T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Shop:
    w: World
    buyer: str
    accountant: str


@pytest.fixture
def shop(core_db) -> Shop:
    return make_shop(core_db)


def make_shop(core_db) -> Shop:
    """make_world's dealer (agreement, two priority warehouses, a piece and a litre item) with a
    buyer and an accountant who log into the cabinet."""
    w = make_world(core_db)
    with core_db.transaction() as s:
        for role in ("buyer", "accountant"):
            create_user(
                s, user_id=None, login=f"shop-{role}", password=PASSWORD, full_name=f"Shop {role}", role=role,
                email=f"{role}@shop.example", language="en", partner_id=w.partner_id,
            )
    return Shop(w, "shop-buyer", "shop-accountant")


@pytest.fixture
def buyer(client: TestClient, shop: Shop) -> TestClient:
    log_in_dealer(client, shop.buyer)
    return client


def post(client: TestClient, path: str, data: dict | None = None, **headers: str):
    return client.post(path, data={"csrf_token": cabinet_token(client), **(data or {})}, headers=headers)


def make_cart(db, w: World, name: str, *pairs: tuple[int, str]) -> int:
    with db.transaction() as s:
        cart = carts.create_cart(s, partner_id=w.partner_id, user_id=None, name=name)
        if pairs:
            carts.add_items(s, cart.id, partner_id=w.partner_id, user_id=None,
                            items=[carts.ItemQuantity(i, D(q)) for i, q in pairs])
        return cart.id


def cart_lines(db, cart_id: int) -> list[tuple[int, Decimal]]:
    with db.session() as s:
        cart = s.get(Cart, cart_id)
        return sorted((ln.item_id, ln.quantity) for ln in cart.lines)


def line_id(db, cart_id: int, item_id: int) -> int:
    with db.session() as s:
        return next(ln.id for ln in s.get(Cart, cart_id).lines if ln.item_id == item_id)


def speaks_russian(db, login: str) -> None:
    with db.transaction() as s:
        s.execute(update(User).where(User.login == login).values(language="ru"))


def refused(answer, status: int, text: str) -> None:
    assert answer.status_code == status, answer.text
    assert text in answer.text


# Carts -----------------------------------------------------------------------------------------


def test_create_rename_and_delete_a_cart(core_db, shop, buyer):
    answer = post(buyer, "/cabinet/carts", {"name": "  Ivanov  "})
    assert answer.status_code == 303
    with core_db.session() as s:
        cart = s.scalars(select(Cart).where(Cart.partner_id == shop.w.partner_id)).one()
        assert cart.name == "Ivanov"
    assert answer.headers["location"] == f"/cabinet/carts/{cart.id}?notice=created"
    assert "Ivanov" in buyer.get("/cabinet/carts").text

    assert post(buyer, f"/cabinet/carts/{cart.id}/rename", {"name": "Ivanov, loader"}).status_code == 303
    with core_db.session() as s:
        assert s.get(Cart, cart.id).name == "Ivanov, loader"

    answer = post(buyer, f"/cabinet/carts/{cart.id}/delete")
    assert (answer.status_code, answer.headers["location"]) == (303, "/cabinet/carts?notice=saved")
    with core_db.session() as s:
        assert s.get(Cart, cart.id) is None


def test_a_blank_or_taken_cart_name_is_refused_and_nothing_changes(core_db, shop, buyer):
    first = make_cart(core_db, shop.w, "Ivanov")
    make_cart(core_db, shop.w, "Petrov")
    before = snapshot(core_db)
    refused(post(buyer, "/cabinet/carts", {"name": "   "}), 422, "a cart needs a name")
    refused(post(buyer, "/cabinet/carts", {"name": "Petrov"}), 409, "you already have a cart named «Petrov»")
    refused(post(buyer, f"/cabinet/carts/{first}/rename", {"name": "Petrov"}), 409, "already have a cart named")
    refused(post(buyer, "/cabinet/carts", {"name": "x" * 101}), 422, "at most 100 characters")
    assert snapshot(core_db) == before


def test_the_add_to_cart_control_adds_to_a_cart_or_a_new_one(core_db, shop, buyer):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov")
    answer = post(buyer, "/cabinet/carts/add-item", {"item_id": str(w.piece), "quantity": "2", "cart_id": str(cart_id)})
    assert (answer.status_code, answer.headers["location"]) == (303, f"/cabinet/carts/{cart_id}?notice=saved")
    post(buyer, "/cabinet/carts/add-item", {"item_id": str(w.piece), "quantity": "3", "cart_id": str(cart_id)})
    post(buyer, "/cabinet/carts/add-item", {"item_id": str(w.litre), "quantity": "1,25", "cart_id": str(cart_id)})
    assert cart_lines(core_db, cart_id) == [(w.piece, D(5)), (w.litre, D("1.25"))]

    answer = post(buyer, "/cabinet/carts/add-item", {"item_id": str(w.piece), "quantity": "1", "cart_id": "", "new_cart": "Sidorov"})
    assert answer.status_code == 303
    with core_db.session() as s:
        new = s.scalars(select(Cart).where(Cart.name == "Sidorov")).one()
    assert cart_lines(core_db, new.id) == [(w.piece, D(1))]
    page = buyer.get(f"/cabinet/carts/{cart_id}").text
    assert 'id="cart-total">563.13<' in page  # 5 × 100.00 + 1.25 × 50.50


@pytest.mark.parametrize(
    ("item", "quantity", "message"),
    [
        ("piece", "-2", "6I-2503: "),
        ("piece", "1.5", "6I-2503: "),
        ("piece", "1,5", "6I-2503: "),
        ("piece", "0", "6I-2503: "),
        ("piece", "two", "is not a number"),
        ("litre", "0.0005", "OIL.15W40: "),
        ("litre", "-1", "OIL.15W40: "),
    ],
)
def test_bad_quantities_are_refused_and_nothing_changes(core_db, shop, buyer, item, quantity, message):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "2"), (w.litre, "1"))
    item_id = getattr(w, item)
    before = snapshot(core_db)
    refused(post(buyer, "/cabinet/carts/add-item", {"item_id": str(item_id), "quantity": quantity, "cart_id": str(cart_id)}), 422, message)
    line = line_id(core_db, cart_id, item_id)
    refused(post(buyer, f"/cabinet/carts/{cart_id}/lines/{line}/quantity", {"quantity": quantity}), 422, message)
    refused(
        post(buyer, f"/cabinet/carts/{cart_id}/lines/{line}/quantity", {"quantity": quantity}, **{"HX-Request": "true"}),
        422, message,
    )
    assert snapshot(core_db) == before


def test_changing_a_quantity_in_place_answers_the_lines_only(core_db, shop, buyer):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "2"))
    line = line_id(core_db, cart_id, w.piece)
    answer = post(buyer, f"/cabinet/carts/{cart_id}/lines/{line}/quantity", {"quantity": "7"}, **{"HX-Request": "true"})
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<table class="table table-sm align-middle" id="cart-lines">')
    assert 'id="cart-total">700.00<' in answer.text
    assert cart_lines(core_db, cart_id) == [(w.piece, D(7))]
    answer = post(buyer, f"/cabinet/carts/{cart_id}/lines/{line}/remove")
    assert answer.status_code == 303 and cart_lines(core_db, cart_id) == []


def test_moving_lines_merges_them_into_the_other_cart(core_db, shop, buyer):
    w = shop.w
    ivanov = make_cart(core_db, w, "Ivanov", (w.piece, "2"), (w.litre, "1.5"))
    petrov = make_cart(core_db, w, "Petrov", (w.piece, "1"))
    answer = post(buyer, f"/cabinet/carts/{ivanov}/move", {"line_id": [str(line_id(core_db, ivanov, w.piece))], "to_cart_id": str(petrov)})
    assert (answer.status_code, answer.headers["location"]) == (303, f"/cabinet/carts/{petrov}?notice=saved")
    assert cart_lines(core_db, ivanov) == [(w.litre, D("1.5"))]
    assert cart_lines(core_db, petrov) == [(w.piece, D(3))]

    before = snapshot(core_db)
    refused(post(buyer, f"/cabinet/carts/{ivanov}/move", {"to_cart_id": str(petrov)}), 422, "choose the lines to move")
    refused(post(buyer, f"/cabinet/carts/{ivanov}/move", {"line_id": [str(line_id(core_db, ivanov, w.litre))]}), 422, "choose the cart")
    refused(
        post(buyer, f"/cabinet/carts/{ivanov}/move", {"line_id": [str(line_id(core_db, ivanov, w.litre))], "to_cart_id": str(ivanov)}),
        422, "already in this cart",
    )
    assert snapshot(core_db) == before


# Quick order -----------------------------------------------------------------------------------


def test_a_pasted_quick_order_adds_what_it_knows_and_reports_the_rest(core_db, shop, buyer):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "1"))
    text = "article;quantity\n6i 2503\t3\noil-15w40 2,5\nNO-SUCH-PART 4\n6I-2503 1.5\n"
    answer = post(buyer, f"/cabinet/carts/{cart_id}/quick", {"text": text})
    assert answer.status_code == 200
    assert cart_lines(core_db, cart_id) == [(w.piece, D(4)), (w.litre, D("2.5"))]
    page = answer.text
    added = page.split('id="quick-added">')[1].split("</ul>")[0]
    assert "6I-2503 — 3" in added and "OIL.15W40 — 2.5" in added
    unknown = page.split('id="quick-unknown">')[1].split("</ul>")[0]
    assert "line 4: <strong>NO-SUCH-PART</strong>" in unknown
    problems = page.split('id="quick-problems">')[1].split("</ul>")[0]
    assert "line 5: 6I-2503 1.5" in problems


def test_a_quick_order_of_unknown_articles_only_adds_nothing_and_says_so(core_db, shop, buyer):
    cart_id = make_cart(core_db, shop.w, "Ivanov")
    before = snapshot(core_db)
    answer = post(buyer, f"/cabinet/carts/{cart_id}/quick", {"text": "NO-SUCH-PART 4"})
    assert answer.status_code == 200 and "NO-SUCH-PART" in answer.text.split('id="quick-unknown">')[1]
    assert snapshot(core_db) == before
    refused(post(buyer, f"/cabinet/carts/{cart_id}/quick", {"text": "   "}), 422, "nothing to add")
    assert snapshot(core_db) == before


# Reservations ----------------------------------------------------------------------------------


@pytest.fixture
def frozen():
    clock.freeze(T0)
    yield
    clock.freeze(None)


def test_reserve_prolong_and_release(core_db, shop, frozen, buyer):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "4"), (w.litre, "2"))
    piece_line = line_id(core_db, cart_id, w.piece)
    answer = post(buyer, f"/cabinet/carts/{cart_id}/reserve", {"warehouse_id": str(w.main), "line_id": [str(piece_line)]})
    assert answer.status_code == 303
    assert cart_reserved(core_db, cart_id) == [(w.piece, w.main, D(4))]
    assert balance(core_db, w.piece, w.main) == (D(10), D(4))
    page = buyer.get(f"/cabinet/carts/{cart_id}").text
    row = page.split(f'id="line-{piece_line}"')[1].split("</tr>")[0]
    assert "4 · " in row and "until 11/30/26, 9:00" in row  # 48 hours

    clock.freeze(T0 + timedelta(hours=10))
    assert post(buyer, f"/cabinet/carts/{cart_id}/prolong").status_code == 303
    row = buyer.get(f"/cabinet/carts/{cart_id}").text.split(f'id="line-{piece_line}"')[1].split("</tr>")[0]
    assert "until 11/30/26, 7:00" in row

    assert post(buyer, f"/cabinet/carts/{cart_id}/release").status_code == 303
    assert cart_reserved(core_db, cart_id) == []
    assert balance(core_db, w.piece, w.main) == (D(10), D(0))


def test_reservation_refusals_change_nothing(core_db, shop, frozen, buyer):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "4"))
    before = snapshot(core_db)
    refused(post(buyer, f"/cabinet/carts/{cart_id}/reserve", {"warehouse_id": str(w.other)}), 422, "priority warehouse")
    refused(post(buyer, f"/cabinet/carts/{cart_id}/prolong"), 422, "6I-2503 is not reserved")
    refused(post(buyer, f"/cabinet/carts/{cart_id}/release"), 422, "nothing to release")
    assert snapshot(core_db) == before

    assert post(buyer, f"/cabinet/carts/{cart_id}/reserve", {"warehouse_id": str(w.main)}).status_code == 303
    clock.freeze(T0 + timedelta(hours=49))  # the reservation has run out (and the session: log in again)
    log_in_dealer(buyer, shop.buyer)
    line = line_id(core_db, cart_id, w.piece)
    page = buyer.get(f"/cabinet/carts/{cart_id}").text
    assert "expired" in page.split(f'id="line-{line}"')[1].split("</tr>")[0]
    before = snapshot(core_db)
    refused(post(buyer, f"/cabinet/carts/{cart_id}/prolong", {"line_id": [str(line)]}), 409, "the reservation ran out")
    assert snapshot(core_db) == before


def test_a_refusal_and_the_quick_orders_problems_are_in_the_buyers_language(core_db, shop, client):
    speaks_russian(core_db, shop.buyer)
    log_in_dealer(client, shop.buyer)
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "4"))
    answer = post(client, f"/cabinet/carts/{cart_id}/prolong")
    assert answer.status_code == 422
    assert text_of(answer.text, "error-message") == "6I-2503 не зарезервирован"
    answer = post(client, "/cabinet/carts", {"name": "Ivanov"})
    assert answer.status_code == 409
    assert text_of(answer.text, "error-message") == "у вас уже есть корзина «Ivanov»"

    # The quick order's report of the lines not added: the rows' problems are translated too.
    answer = post(client, f"/cabinet/carts/{cart_id}/quick", {"text": "6I-2503 1\n6I-2503 two\nOIL.15W40 0,0005"})
    assert answer.status_code == 200, answer.text
    problems = answer.text.split('id="quick-problems">')[1].split("</ul>")[0]
    first, second = problems.removeprefix("<li>").removesuffix("</li>").split("</li><li>")
    assert first == "строка 2: 6I-2503 two — количество «two» — не число"
    assert second.startswith("строка 3: OIL.15W40 0,0005 — 0.0005 ")  # the unit's code, then
    assert second.endswith(": знаков после запятой — не больше 3")


def test_more_than_is_free_is_not_reserved_beyond_free_stock(core_db, shop, frozen, buyer):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "5"))
    assert post(buyer, f"/cabinet/carts/{cart_id}/reserve", {"warehouse_id": str(w.second)}).status_code == 303
    assert cart_reserved(core_db, cart_id) == [(w.piece, w.second, D(3))]  # the second warehouse has 3


# Refusals for everyone -------------------------------------------------------------------------


def test_without_the_csrf_token_nothing_is_written(core_db, shop, buyer):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "2"))
    other = make_cart(core_db, w, "Petrov")
    line = line_id(core_db, cart_id, w.piece)
    before = snapshot(core_db)
    for path, data in (
        ("/cabinet/carts", {"name": "New"}),
        ("/cabinet/carts/add-item", {"item_id": str(w.piece), "quantity": "1", "cart_id": str(cart_id)}),
        (f"/cabinet/carts/{cart_id}/rename", {"name": "Other"}),
        (f"/cabinet/carts/{cart_id}/delete", {}),
        (f"/cabinet/carts/{cart_id}/lines/{line}/quantity", {"quantity": "5"}),
        (f"/cabinet/carts/{cart_id}/lines/{line}/remove", {}),
        (f"/cabinet/carts/{cart_id}/move", {"line_id": str(line), "to_cart_id": str(other)}),
        (f"/cabinet/carts/{cart_id}/reserve", {"warehouse_id": str(w.main)}),
        (f"/cabinet/carts/{cart_id}/quick", {"text": "6I-2503 1"}),
    ):
        answer = buyer.post(path, data=data)
        assert answer.status_code == 403, path
        answer = buyer.post(path, data={**data, "csrf_token": "forged"})
        assert answer.status_code == 403, path
    assert snapshot(core_db) == before


def test_an_accountant_has_no_cart_pages(core_db, shop, client):
    w = shop.w
    cart_id = make_cart(core_db, w, "Ivanov", (w.piece, "2"))
    log_in_dealer(client, shop.accountant)
    assert client.get("/cabinet/carts").status_code == 403
    assert client.get(f"/cabinet/carts/{cart_id}").status_code == 404
    before = snapshot(core_db)
    assert post(client, "/cabinet/carts", {"name": "Mine"}).status_code == 403
    assert post(client, f"/cabinet/carts/{cart_id}/reserve", {"warehouse_id": str(w.main)}).status_code == 404
    assert snapshot(core_db) == before
