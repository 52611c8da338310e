"""The suggested supplier order for what a dealer's order misses: prefilled from each item's last
supplier order (legal entity, currency, rate, price), a chosen supplier for never-bought items, the
draft made through purchasing's use case, and refusals that make nothing. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dealerhub.core import purchasing
from dealerhub.core.pricing.models import PriceType
from dealerhub.core.purchasing.models import SupplierOrder
from dealerhub.core.sales.models import CustomerOrder
from tests import factories as f
from tests.carts.builders import make_world
from tests.web.conftest import add_user, log_in, page_token
from tests.web.test_moderation import make_order, snapshot

D = Decimal


@pytest.fixture
def world(core_db):
    return make_world(core_db)


@pytest.fixture
def manager(client: TestClient, core_db) -> TestClient:
    add_user(core_db, "manager", "sales_manager")
    log_in(client, "manager")
    return client


@pytest.fixture
def bought(core_db, world):
    """The piece item was bought from a supplier in USD, a cancelled order from another aside."""
    with core_db.transaction() as s:
        supplier, entity = f.dealer(s, "Shantui Export", supplier=True)
        other, other_entity = f.dealer(s, "Old Supplier", supplier=True)
        line = [purchasing.SupplierOrderLineInput(world.piece, D(50), D("7.25"))]
        purchasing.create_supplier_order(
            s, user_id=None, partner_id=supplier.id, contractor_id=entity.id, warehouse_id=world.main,
            currency="USD", exchange_rate=D("92.5"), lines=line,
        )
        cancelled = purchasing.create_supplier_order(
            s, user_id=None, partner_id=other.id, contractor_id=other_entity.id, warehouse_id=world.main,
            currency="RUB", exchange_rate=D(1), lines=[purchasing.SupplierOrderLineInput(world.piece, D(1), D(1))],
        )
        purchasing.cancel_supplier_order(s, cancelled.id, user_id=None)
        return entity.id, supplier.id, other_entity.id


def supplier_orders(db) -> list[tuple]:
    with db.session() as s:
        rows = s.query(SupplierOrder).order_by(SupplierOrder.id).all()
        return [
            (o.status, o.partner_id, o.contractor_id, o.warehouse_id, o.currency, o.exchange_rate, o.comment,
             [(ln.item_id, ln.quantity, ln.price) for ln in o.lines])
            for o in rows
        ]


def test_the_suggestion_is_prefilled_from_the_last_purchase_and_makes_a_draft(core_db, world, manager, bought):
    entity_id, supplier_id, _ = bought
    with core_db.transaction() as s:
        never = f.item(s, article="NEVER-1")
        never_id = never.id
        f.price(s, never, s.get(PriceType, world.price_type_id), "3.00")
    # 14 pieces: 10 free on the main warehouse, 4 missing; the never-bought item: 2 missing.
    order_id = make_order(core_db, world, (world.piece, "14"), (never_id, "2"))
    page = manager.get(f"/backoffice/moderation/{order_id}/supply")
    assert page.status_code == 200
    first, second = re.findall(r'<form method="post" action="[^"]+/supply".*?</form>', page.text, re.DOTALL)
    assert re.search(rf'<option value="{entity_id}" selected>', first)
    assert "<option selected>USD</option>" in first and 'value="92.5"' in first
    assert f'name="quantity_{world.piece}" value="4"' in first and f'name="price_{world.piece}" value="7.25"' in first
    assert " selected>" not in second.split("currency")[0]  # never bought: no supplier chosen for it
    assert f'name="quantity_{never_id}" value="2"' in second

    before = supplier_orders(core_db)
    answer = manager.post(
        f"/backoffice/moderation/{order_id}/supply",
        data={
            "csrf_token": page_token(manager), "contractor_id": str(entity_id), "currency": "USD",
            "exchange_rate": "92.5", "item_id": [str(world.piece)], f"quantity_{world.piece}": "6",
            f"price_{world.piece}": "7.30",
        },
    )
    assert answer.status_code == 303
    made = supplier_orders(core_db)
    assert made[: len(before)] == before and len(made) == len(before) + 1
    with core_db.session() as s:
        new_id = s.scalar(select(func.max(SupplierOrder.id)))
        order_number = s.get(CustomerOrder, order_id).number
    assert answer.headers["location"] == f"/backoffice/purchasing/orders/{new_id}?notice=created"
    assert made[-1] == (
        "draft", supplier_id, entity_id, world.main, "USD", D("92.5"),
        f"Suggested for the missing goods of customer order {order_number}", [(world.piece, D(6), D("7.30"))],
    )


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"contractor_id": ""}, 422, "choose the supplier"),
        ({"quantity": "0"}, 422, "no line with a quantity"),
        ({"quantity": "-3"}, 422, "line 1"),
        ({"quantity": "1.5"}, 422, "line 1"),
        ({"quantity": "lots"}, 422, "are numbers"),
        ({"exchange_rate": "0"}, 422, "exchange rate"),
        ({"currency": "EUR"}, 422, "EUR"),
    ],
)
def test_a_refused_suggestion_makes_nothing(core_db, world, manager, bought, fields, status, message):
    entity_id = bought[0]
    order_id = make_order(core_db, world, (world.piece, "14"))
    data = {"contractor_id": str(entity_id), "currency": "USD", "exchange_rate": "92.5", "quantity": "4", "price": "7.25"}
    data.update(fields)
    before = snapshot(core_db)
    answer = manager.post(
        f"/backoffice/moderation/{order_id}/supply",
        data={
            "csrf_token": page_token(manager), "contractor_id": data["contractor_id"], "currency": data["currency"],
            "exchange_rate": data["exchange_rate"], "item_id": [str(world.piece)],
            f"quantity_{world.piece}": data["quantity"], f"price_{world.piece}": data["price"],
        },
    )
    assert answer.status_code == status, answer.text
    assert message in answer.text and "Nothing was changed." in answer.text
    assert snapshot(core_db) == before


def test_nothing_missing_means_no_suggestion(core_db, world, manager):
    order_id = make_order(core_db, world, (world.piece, "2"))
    page = manager.get(f"/backoffice/moderation/{order_id}/supply").text
    assert 'id="nothing-missing"' in page and "/supply\" class" not in page
    assert f'href="/backoffice/moderation/{order_id}/supply"' not in manager.get(f"/backoffice/moderation/{order_id}").text
