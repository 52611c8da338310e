"""The back office's moderation of dealers' orders through the web: the queue, the availability of
each line on the order's warehouse, take / approve (with and without a picking task) / change
quantities / reject, the dealer reading the change and the reason in the cabinet, and refusals
(bad input, a missing CSRF token, a stale page, a storekeeper) that change nothing. SQLite and
PostgreSQL."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dealerhub.core import sales
from dealerhub.core.db import CoreBase
from dealerhub.core.pricing.models import PriceType
from dealerhub.core.sales.models import CustomerOrder, PickingTask
from dealerhub.core.stock.models import Reservation
from tests import factories as f
from tests.carts.builders import balance, make_world
from tests.web.conftest import add_user, log_in, page_token
from tests.web.pages import text_of

D = Decimal
TABLES = (
    "customer_orders", "customer_order_lines", "picking_tasks", "picking_task_lines", "reservations",
    "reservation_moves", "stock_balances", "audit_records", "supplier_orders", "supplier_order_lines",
    "document_counters",
)


def snapshot(db) -> dict[str, object]:
    tables = CoreBase.metadata.tables
    with db.session() as s:
        return {
            name: s.execute(select(tables[name]).order_by(*tables[name].primary_key.columns)).all()
            for name in TABLES
        }


def make_order(db, w, *pairs, submit: bool = True) -> int:
    with db.transaction() as s:
        order = sales.create_customer_order(
            s, user_id=None, partner_id=w.partner_id, contractor_id=w.contractor_id, warehouse_id=w.main,
            lines=[sales.OrderLineInput(item, D(q)) for item, q in pairs],
        )
        if submit:
            sales.submit_customer_order(s, order.id, user_id=None)
        return order.id


def order_row(db, order_id: int):
    with db.session() as s:
        order = s.get(CustomerOrder, order_id)
        lines = [(ln.line_no, ln.item_id, ln.quantity, ln.amount) for ln in order.lines]
        return order.status, order.moderator_id, order.moderation_note, lines


def order_reservations(db, order_id: int) -> list[tuple[int, Decimal]]:
    with db.session() as s:
        rows = s.execute(
            select(Reservation.item_id, func.sum(Reservation.quantity))
            .where(Reservation.holder_type == "customer_order", Reservation.holder_id == order_id)
            .group_by(Reservation.item_id)
            .order_by(Reservation.item_id)
        )
        return [(item, qty) for item, qty in rows if qty]


def tasks_of(db, order_id: int) -> list[tuple[str, list[tuple[int, Decimal]]]]:
    with db.session() as s:
        tasks = s.scalars(select(PickingTask).where(PickingTask.customer_order_id == order_id).order_by(PickingTask.id))
        return [(t.status, [(ln.item_id, ln.quantity) for ln in t.lines]) for t in tasks]


def version_on(client: TestClient, order_id: int) -> str:
    page = client.get(f"/backoffice/moderation/{order_id}")
    assert page.status_code == 200, page.text
    return re.search(r'name="version" value="(\d+)"', page.text).group(1)


def cells(html: str, line_no: int) -> dict[str, str]:
    row = re.search(rf'<tr data-line="{line_no}">(.*?)</tr>', html, re.DOTALL).group(1)
    return dict(re.findall(r'data-col="(\w+)">([^<]*)<', row))


@pytest.fixture
def world(core_db):
    return make_world(core_db)


@pytest.fixture
def manager(client: TestClient, core_db) -> TestClient:
    add_user(core_db, "manager", "sales_manager")
    log_in(client, "manager")
    return client


def post(client: TestClient, path: str, **data: object):
    return client.post(path, data={"csrf_token": page_token(client), **data})


def test_the_queue_shows_waiting_orders_oldest_first_and_nothing_else(core_db, world, manager):
    first = make_order(core_db, world, (world.piece, "2"))
    make_order(core_db, world, (world.piece, "1"), submit=False)  # a draft: not the manager's yet
    second = make_order(core_db, world, (world.piece, "1"), (world.litre, "2"))
    with core_db.transaction() as s:
        sales.take_for_moderation(s, second, user_id=None)
    third = make_order(core_db, world, (world.litre, "1"))
    with core_db.transaction() as s:
        sales.approve_customer_order(s, third, user_id=None)  # approved: gone from the queue
    page = manager.get("/backoffice/moderation")
    assert page.status_code == 200
    numbers = re.findall(r'<tr data-order="([^"]+)">', page.text)
    with core_db.session() as s:
        assert numbers == [s.get(CustomerOrder, first).number, s.get(CustomerOrder, second).number]
    second_row = re.search(rf'<tr data-order="{numbers[1]}">(.*?)</tr>', page.text, re.DOTALL).group(1)
    assert "Dealer " in second_row and ">2<" in second_row and "201.00 RUB" in second_row
    assert "Awaiting moderation" in second_row
    assert 'href="/backoffice/moderation"' in page.text  # the menu entry


def test_the_order_page_shows_free_reserved_and_missing_per_line(core_db, world, manager):
    # Two lines of the piece item share its 10 free pieces; the litre line is covered.
    order_id = make_order(core_db, world, (world.piece, "7"), (world.litre, "2"), (world.piece, "5"))
    page = manager.get(f"/backoffice/moderation/{order_id}").text
    assert cells(page, 1) == {"free": "10", "reserved": "0", "missing": "0"}
    assert cells(page, 2) == {"free": "5.5", "reserved": "0", "missing": "0"}
    assert cells(page, 3) == {"free": "3", "reserved": "0", "missing": "2"}
    assert f'href="/backoffice/pricing/agreements?partner_id={world.partner_id}"' in page
    assert f'href="/backoffice/moderation/{order_id}/supply"' in page


def test_take_then_approve_reserves_what_is_free_and_makes_the_picking_task(core_db, world, manager):
    order_id = make_order(core_db, world, (world.piece, "12"), (world.litre, "2"))
    manager_id = order_row(core_db, order_id)[1]
    assert manager_id is None
    answer = post(manager, f"/backoffice/moderation/{order_id}/take", version=version_on(manager, order_id))
    assert answer.status_code == 303 and answer.headers["location"].endswith("?done=taken")
    status, moderator, _, _ = order_row(core_db, order_id)
    assert status == "awaiting_moderation" and moderator is not None

    answer = post(manager, f"/backoffice/moderation/{order_id}/approve", version=version_on(manager, order_id))
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/backoffice/moderation/{order_id}?done=approved"
    assert order_row(core_db, order_id)[0] == "approved"
    assert order_reservations(core_db, order_id) == sorted([(world.piece, D(10)), (world.litre, D(2))])
    assert balance(core_db, world.piece, world.main) == (D(10), D(10))
    assert tasks_of(core_db, order_id) == [("draft", [(world.piece, D(10)), (world.litre, D(2))])]
    page = manager.get(answer.headers["location"]).text
    assert "A picking task was made for what is free" in page
    assert cells(page, 1) == {"free": "0", "reserved": "10", "missing": "2"}
    assert 'id="action-approve"' not in page  # decided: no more buttons


def test_approving_with_nothing_free_approves_without_a_task_and_says_so(core_db, world, manager):
    with core_db.transaction() as s:
        empty = f.item(s, article="NO-STOCK-1")
        f.price(s, empty, s.get(PriceType, world.price_type_id), "5.00")
        empty_id = empty.id
    order_id = make_order(core_db, world, (empty_id, "3"))
    answer = post(manager, f"/backoffice/moderation/{order_id}/approve", version=version_on(manager, order_id))
    assert answer.status_code == 303
    assert order_row(core_db, order_id)[0] == "approved"
    assert tasks_of(core_db, order_id) == []
    assert order_reservations(core_db, order_id) == []
    page = manager.get(answer.headers["location"]).text
    assert "approved without a picking task and waits for stock" in page


def test_changed_quantities_and_the_reason_reach_the_dealers_order_page(core_db, world, manager, app):
    order_id = make_order(core_db, world, (world.piece, "12"), (world.litre, "2"))
    with core_db.session() as s:
        lines = {ln.item_id: ln.id for ln in s.get(CustomerOrder, order_id).lines}
    answer = post(
        manager, f"/backoffice/moderation/{order_id}/quantities", version=version_on(manager, order_id),
        reason="Packs of 4 only", **{f"qty_{lines[world.piece]}": "8", f"qty_{lines[world.litre]}": ""},
    )
    assert answer.status_code == 303 and answer.headers["location"].endswith("?done=changed")
    status, _, note, rows = order_row(core_db, order_id)
    assert (status, note) == ("submitted", "Packs of 4 only")
    assert rows == [(1, world.piece, D(8), D("800.00")), (2, world.litre, D(2), D("101.00"))]

    with core_db.transaction() as s:
        from dealerhub.core.accounts import create_user

        create_user(
            s, user_id=None, login="dealer-buyer", password="correct horse battery", full_name="Buyer",
            role="buyer", partner_id=world.partner_id, language="en",
        )
    with TestClient(app, follow_redirects=False) as dealer:
        token = re.search(r'name="csrf_token" value="([^"]+)"', dealer.get("/cabinet/login").text).group(1)
        login = dealer.post("/cabinet/login", data={"login": "dealer-buyer", "password": "correct horse battery", "csrf_token": token})
        assert login.status_code == 303, login.text
        page = dealer.get(f"/cabinet/orders/{order_id}").text
    assert re.search(r'id="moderation-note">[^<]*Packs of 4 only', page)
    timeline = re.search(r'<ol[^>]*id="timeline">(.*?)</ol>', page, re.DOTALL).group(1)
    assert "Packs of 4 only" in timeline and "line 1: 12 → 8" in timeline


@pytest.mark.parametrize(
    ("quantity", "reason", "message"),
    [
        ("-1", "why", "is not a valid quantity"),
        ("1.5", "why", "is not a valid quantity"),
        ("abc", "why", "is not a number"),
        ("12", "why", "no quantity was changed"),
        ("4", "   ", "needs a reason"),
    ],
)
def test_bad_quantity_changes_are_refused_and_change_nothing(core_db, world, manager, quantity, reason, message):
    order_id = make_order(core_db, world, (world.piece, "12"))
    with core_db.session() as s:
        line_id = s.get(CustomerOrder, order_id).lines[0].id
    version = version_on(manager, order_id)
    before = snapshot(core_db)
    answer = post(
        manager, f"/backoffice/moderation/{order_id}/quantities", version=version, reason=reason,
        **{f"qty_{line_id}": quantity},
    )
    assert answer.status_code == 422
    assert message in answer.text and "Nothing was changed." in answer.text
    assert snapshot(core_db) == before


def test_reject_needs_a_reason_and_releases_what_the_order_held(core_db, world, manager):
    order_id = make_order(core_db, world, (world.piece, "4"))
    with core_db.transaction() as s:
        line = s.get(CustomerOrder, order_id).lines[0]
        from dealerhub.core.sales.reservations import reserve_exactly
        from dealerhub.core.stock import DocRef

        reserve_exactly(s, order_id=order_id, line_id=line.id, item_id=world.piece, warehouse_id=world.main,
                        quantity=D(4), doc=DocRef("customer_order", order_id))
    version = version_on(manager, order_id)
    before = snapshot(core_db)
    refused = post(manager, f"/backoffice/moderation/{order_id}/reject", version=version, reason=" ")
    assert refused.status_code == 422 and "needs a reason" in refused.text
    assert snapshot(core_db) == before

    answer = post(manager, f"/backoffice/moderation/{order_id}/reject", version=version, reason="Discontinued")
    assert answer.status_code == 303
    assert order_row(core_db, order_id)[:3] == ("cancelled", order_row(core_db, order_id)[1], "Discontinued")
    assert order_reservations(core_db, order_id) == []
    assert balance(core_db, world.piece, world.main) == (D(10), D(0))


def test_without_the_csrf_token_nothing_happens(core_db, world, manager):
    order_id = make_order(core_db, world, (world.piece, "2"))
    version = version_on(manager, order_id)
    before = snapshot(core_db)
    for action, extra in (("take", {}), ("approve", {}), ("reject", {"reason": "x"}), ("quantities", {"reason": "x"})):
        answer = manager.post(f"/backoffice/moderation/{order_id}/{action}", data={"version": version, **extra})
        assert answer.status_code == 403, action
    answer = manager.post(f"/backoffice/moderation/{order_id}/supply", data={"contractor_id": "1"})
    assert answer.status_code == 403
    assert snapshot(core_db) == before


def test_a_decision_on_a_stale_page_gets_409_and_changes_nothing(core_db, world, manager, app):
    order_id = make_order(core_db, world, (world.piece, "2"))
    seen = version_on(manager, order_id)
    add_user(core_db, "other", "sales_manager")
    with TestClient(app, follow_redirects=False) as other:
        log_in(other, "other")
        done = post(other, f"/backoffice/moderation/{order_id}/approve", version=version_on(other, order_id))
        assert done.status_code == 303
    before = snapshot(core_db)
    for action, extra in (("approve", {}), ("reject", {"reason": "late"}), ("take", {})):
        answer = post(manager, f"/backoffice/moderation/{order_id}/{action}", version=seen, **extra)
        assert answer.status_code == 409, action
        assert "has changed since your page was shown (it is «Approved» now)" in answer.text
        assert "Nothing was changed." in answer.text
    assert snapshot(core_db) == before
    assert order_row(core_db, order_id)[0] == "approved"


def test_an_older_page_of_an_order_still_waiting_is_refused_too(core_db, world, manager, app):
    """Someone changed the quantities meanwhile: approving what one saw before is refused."""
    order_id = make_order(core_db, world, (world.piece, "6"))
    seen = version_on(manager, order_id)
    with core_db.transaction() as s:
        line_id = s.get(CustomerOrder, order_id).lines[0].id
        sales.change_order_quantities(s, order_id, user_id=None, quantities={line_id: D(1)}, reason="limit")
    before = snapshot(core_db)
    answer = post(manager, f"/backoffice/moderation/{order_id}/approve", version=seen)
    assert answer.status_code == 409 and "it is «Submitted» now" in answer.text
    assert snapshot(core_db) == before



def test_a_stale_page_is_refused_in_the_language_of_the_page(core_db, world, client):
    order_id = make_order(core_db, world, (world.piece, "6"))
    add_user(core_db, "ru_manager", "sales_manager", language="ru")
    log_in(client, "ru_manager")
    seen = version_on(client, order_id)
    with core_db.transaction() as s:
        order = s.get(CustomerOrder, order_id)
        number, line_id = order.number, order.lines[0].id
        sales.change_order_quantities(s, order_id, user_id=None, quantities={line_id: D(1)}, reason="limit")
    answer = post(client, f"/backoffice/moderation/{order_id}/approve", version=seen)
    assert answer.status_code == 409
    assert text_of(answer.text, "moderation-error-message") == (
        f"заказ {number} изменился после того, как страница была открыта (теперь он в статусе «Отправлен»): "
        "с ним уже поработал кто-то другой; посмотрите его ещё раз"
    )
    answer = post(client, f"/backoffice/moderation/{order_id}/quantities", version=version_on(client, order_id),
                  reason="why", **{f"qty_{line_id}": "abc"})
    assert answer.status_code == 422
    assert text_of(answer.text, "moderation-error-message") == "строка 1: «abc» — не число"

def test_a_storekeeper_cannot_moderate(core_db, world, client):
    order_id = make_order(core_db, world, (world.piece, "2"))
    add_user(core_db, "keeper", "storekeeper_supervisor")
    log_in(client, "keeper")
    home = client.get("/backoffice/")
    assert 'href="/backoffice/moderation"' not in home.text
    assert client.get("/backoffice/moderation").status_code == 403
    assert client.get(f"/backoffice/moderation/{order_id}").status_code == 403
    assert client.get(f"/backoffice/moderation/{order_id}/supply").status_code == 403
    before = snapshot(core_db)
    token = page_token(client)
    for action in ("take", "approve", "reject", "quantities", "supply"):
        answer = client.post(
            f"/backoffice/moderation/{order_id}/{action}", data={"csrf_token": token, "version": "1", "reason": "x"}
        )
        assert answer.status_code == 403, action
    assert snapshot(core_db) == before


def test_an_unknown_order_is_404(manager):
    assert manager.get("/backoffice/moderation/999999").status_code == 404
    assert post(manager, "/backoffice/moderation/999999/approve", version="1").status_code == 404
