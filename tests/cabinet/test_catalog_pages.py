"""The cabinet's catalog pages on SQLite and PostgreSQL: search with filters and the group tree,
each dealer's own prices and stock on their priority warehouses (with the as-of time), the item card
with its analogues offered first when the item is out of stock, roles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from dealerhub.core import catalog as cat
from dealerhub.core.cabinet import catalog_reference
from dealerhub.core.pricing import DiscountInput, create_agreement
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests import factories as f
from tests.cabinet.conftest import Company, log_in_dealer

NOW = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


@pytest.fixture
def shop(core_db: Database, dealer_a: Company, dealer_b: Company) -> SimpleNamespace:
    """Pump (in stock on A's second warehouse only), seal (out of stock; its analogue kit is in stock),
    a filter in another group; A has 10 % off everything, B has no discount and other warehouses."""
    clock.freeze(NOW)
    with core_db.transaction() as s:
        u = f.staff(s).id
        pcs = cat.create_unit(s, user_id=u, code="pcs", names={"ru": "шт", "en": "pcs"}).id
        brand = cat.create_brand(s, user_id=u, name="Shanmon").id
        parts = cat.create_group(s, user_id=u, code="PARTS", names={"ru": "Запчасти", "en": "Parts"}).id
        hyd = cat.create_group(s, user_id=u, code="HYD", names={"ru": "Гидравлика", "en": "Hydraulics"}, parent_id=parts).id
        flt = cat.create_group(s, user_id=u, code="FLT", names={"ru": "Фильтры", "en": "Filters"}, parent_id=parts).id

        def item(code: str, article: str, group: int, ru: str, en: str) -> int:
            return cat.create_item(
                s, user_id=u, code=code, article=article, group_id=group, unit_id=pcs, brand_id=brand,
                names={"ru": ru, "en": en}, descriptions={"en": f"{en}, original part"},
            ).id

        pump = item("P1", "AB-123", hyd, "Насос гидравлический", "Hydraulic pump")
        seal = item("P2", "SK-1", hyd, "Ремкомплект", "Seal kit")
        kit = item("P3", "SK-2", hyd, "Ремкомплект усиленный", "Heavy seal kit")
        oil = item("P4", "F-100", flt, "Фильтр масляный", "Oil filter")
        cat.link_analogues(s, seal, kit, user_id=u, two_way=True)
        prop = cat.create_property(s, user_id=u, code="PRESSURE", names={"ru": "Давление", "en": "Pressure"}, unit="bar").id
        cat.set_property(s, pump, user_id=u, property_id=prop, value="250")
        model = cat.create_machine_model(s, user_id=u, brand_id=brand, name="SE215", machine_type="excavator").id
        cat.set_applicability(s, pump, user_id=u, machine_model_ids=[model])
        cat.set_packaging(s, pump, user_id=u, name="Box", quantity=Decimal(2))
        cat.add_barcode(s, pump, user_id=u, barcode="4600000000008")
        base, dealer_type = f.price_type(s, base=True), f.price_type(s, base=False)
        for it, list_price, dealer_price in ((pump, "1000.00", "900.00"), (seal, "50.00", "45.00"), (kit, "70.00", "60.00")):
            obj = s.get(cat.models.Item, it)
            f.price(s, obj, base, list_price)
            f.price(s, obj, dealer_type, dealer_price)
        w1, w2, w3 = f.warehouse(s), f.warehouse(s), f.warehouse(s)
        f.put_stock(s, s.get(cat.models.Item, pump), w2, "7")
        f.put_stock(s, s.get(cat.models.Item, kit), w1, "3")
        f.put_stock(s, s.get(cat.models.Item, oil), w3, "5")
        create_agreement(
            s, user_id=u, partner_id=dealer_a.partner_id, number="A-1", price_type_id=dealer_type.id,
            valid_from=date(2026, 1, 1), warehouse_ids=[w1.id, w2.id], discounts=[DiscountInput("all", Decimal(10))],
        )
        create_agreement(
            s, user_id=u, partner_id=dealer_b.partner_id, number="B-1", price_type_id=base.id,
            valid_from=date(2026, 1, 1), warehouse_ids=[w3.id],
        )
    return SimpleNamespace(pump=pump, seal=seal, kit=kit, oil=oil, hyd=hyd, flt=flt, parts=parts, model=model,
                           w1=w1, w2=w2, w3=w3, base=base.id, dealer_type=dealer_type.id, brand=brand)


def rows(html: str) -> list[str]:
    """The result rows' ids in order."""
    return re.findall(r'<tr id="item-(\d+)"', html)


def test_search_shows_each_dealers_price_and_stock_on_their_warehouses_in_priority_order(client, dealer_a, dealer_b, shop):
    log_in_dealer(client, "alpha-buyer")
    page = client.get("/cabinet/catalog", params={"q": "ab 123"})
    assert page.status_code == 200
    assert rows(page.text) == [str(shop.pump)]
    row = page.text.split(f'<tr id="item-{shop.pump}"')[1].split("</tr>")[0]
    # Base 1000, A's price type 900 less 10 %: 810; free stock: first warehouse 0, second 7, as of now.
    assert "1,000.00" in row and "810.00" in row and "−10%" in row
    assert row.index(shop.w1.name) < row.index(shop.w2.name)
    assert re.search(rf"{shop.w1.name}: 0<", row) and re.search(rf"{shop.w2.name}: 7<", row)
    assert shop.w3.name not in row
    assert "as of 11/28/26, 9:30" in row
    client.post("/cabinet/logout", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]})
    log_in_dealer(client, "beta-owner")
    row = client.get("/cabinet/catalog", params={"q": "AB-123"}).text.split(f'<tr id="item-{shop.pump}"')[1].split("</tr>")[0]
    assert "810.00" not in row and row.count("1,000.00") == 2  # base price type: the base price is theirs
    assert re.search(rf"{shop.w3.name}: 0<", row) and shop.w1.name not in row


def test_filters_group_tree_and_in_stock(client, dealer_a, shop):
    log_in_dealer(client, "alpha-buyer")
    bare = client.get("/cabinet/catalog").text
    assert rows(bare) == [] and 'id="search-prompt"' in bare  # the tree and the box, not every item
    assert rows(client.get("/cabinet/catalog", params={"group": shop.parts}).text) == [
        str(i) for i in (shop.pump, shop.oil, shop.seal, shop.kit)
    ]
    page = client.get("/cabinet/catalog", params={"group": shop.hyd})
    assert rows(page.text) == [str(shop.pump), str(shop.seal), str(shop.kit)]
    assert f'href="/cabinet/catalog?group={shop.flt}"' in page.text  # the tree links each group
    assert rows(client.get("/cabinet/catalog", params={"group": shop.parts, "in_stock": "true"}).text) == [
        str(shop.pump), str(shop.kit)
    ]  # the oil filter is in stock on B's warehouse only
    assert rows(client.get("/cabinet/catalog", params={"model": shop.model, "brand": ""}).text) == [str(shop.pump)]
    assert rows(client.get("/cabinet/catalog", params={"q": "hydravlic"}).text) == [str(shop.pump)]
    nothing = client.get("/cabinet/catalog", params={"q": "zzzz"})
    assert rows(nothing.text) == [] and 'id="nothing-found"' in nothing.text


def test_the_item_card_in_the_dealers_language(client, dealer_a, shop):
    log_in_dealer(client, "alpha-buyer")
    card = client.get(f"/cabinet/catalog/items/{shop.pump}")
    assert card.status_code == 200
    for text in ("Hydraulic pump", "Hydraulic pump, original part", "Pressure", "250 bar", "SE215", "Box", "4600000000008",
                 "810.00", 'action="/cabinet/carts/add-item"'):
        assert text in card.text, text
    assert 'id="analogues"' not in card.text


def test_an_out_of_stock_item_offers_its_analogues_in_stock_first(client, dealer_a, shop):
    log_in_dealer(client, "alpha-buyer")
    card = client.get(f"/cabinet/catalog/items/{shop.seal}").text
    assert 'id="analogues-offered"' in card
    assert card.index(f'id="analogue-{shop.kit}"') < card.index('id="item-offer"')
    in_stock = client.get(f"/cabinet/catalog/items/{shop.kit}").text  # the kit's analogue (the seal) has none
    assert 'id="analogues-offered"' not in in_stock
    assert in_stock.index('id="item-offer"') < in_stock.index(f'id="analogue-{shop.seal}"')


def test_unknown_or_inactive_items_are_not_found(client, core_db, dealer_a, shop):
    log_in_dealer(client, "alpha-buyer")
    with core_db.transaction() as s:
        cat.update_item(s, shop.oil, user_id=None, is_active=False)
    assert client.get(f"/cabinet/catalog/items/{shop.oil}").status_code == 404
    assert client.get("/cabinet/catalog/items/999999").status_code == 404
    assert rows(client.get("/cabinet/catalog", params={"q": "F-100"}).text) == []


def test_an_accountant_has_no_catalog(client, dealer_a, shop):
    log_in_dealer(client, "alpha-accountant")
    assert client.get("/cabinet/catalog").status_code == 403
    assert client.get(f"/cabinet/catalog/items/{shop.pump}").status_code == 404
    assert client.get("/cabinet/catalog/price-list.csv").status_code == 403


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements `db` runs inside the block (every connection of its engine)."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's explicit transaction start (PostgreSQL's is implicit)
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_a_catalog_page_runs_a_fixed_handful_of_statements_whatever_it_shows(client, core_db, dealer_a, shop):
    """The catalog page is on every dealer's screen all day: its statements are few and don't grow
    with the number of hits, warehouses or groups. A regression guard: a new per-row query, or a
    reference list read on every page, changes these numbers."""
    log_in_dealer(client, "alpha-buyer")
    client.get("/cabinet/catalog")  # reads the group tree, brands and models once for this process
    postgres = core_db.engine.dialect.name == "postgresql"
    pages = {
        "bare": ({}, 0),
        "one article": ({"q": "ab 123"}, 1),
        "a name, two hits": ({"q": "seal kit"}, 2),
        "a group": ({"group": shop.parts}, 4),
        "a group in stock": ({"group": shop.parts, "in_stock": "true"}, 2),
    }
    counts = {}
    for label, (params, hits) in pages.items():
        with statements(client.app.state.db) as seen:  # the application's own engine
            page = client.get("/cabinet/catalog", params=params)
        assert page.status_code == 200 and len(rows(page.text)) == hits, label
        counts[label] = len(seen)
    # session 1, company 1, the dealer's terms 2, carts 1; a search: its statement (PostgreSQL: with
    # the typo-mending words first), the group's subgroups for a group; prices 1, free stock 1. (The
    # dealer's program discounts are one statement more, prepared: engine events don't see it.)
    text_search = 2 if postgres else 1
    assert counts == {
        "bare": 5,
        "one article": 5 + text_search + 2,
        "a name, two hits": 5 + text_search + 2,
        "a group": 5 + 2 + 2,
        "a group in stock": 5 + 2 + 2,
    }


def test_group_discounts_are_priced_from_the_same_statement_as_the_prices(client, core_db, dealer_b, shop):
    """B's newer agreement: A's dealer price type, 15 % off the PARTS group (and so its subgroups),
    20 % off the kit alone (more specific wins); the base price stays the base type's."""
    with core_db.transaction() as s:
        create_agreement(
            s, user_id=None, partner_id=dealer_b.partner_id, number="B-2", price_type_id=shop.dealer_type,
            valid_from=date(2026, 6, 1), warehouse_ids=[shop.w3.id],
            discounts=[DiscountInput("group", Decimal(15), shop.parts), DiscountInput("item", Decimal(20), shop.kit)],
        )
    log_in_dealer(client, "beta-buyer")
    page = client.get("/cabinet/catalog", params={"group": shop.hyd}).text

    def row(item: int) -> str:
        return page.split(f'<tr id="item-{item}"')[1].split("</tr>")[0]

    assert "1,000.00" in row(shop.pump) and "765.00" in row(shop.pump) and "−15%" in row(shop.pump)  # 900 - 15 %
    assert "70.00" in row(shop.kit) and "48.00" in row(shop.kit) and "−20%" in row(shop.kit)  # 60 - 20 %
    assert "38.25" in row(shop.seal)  # 45 - 15 %


def test_the_group_tree_nests_and_follows_a_change_at_once(client, core_db, dealer_a, shop):
    log_in_dealer(client, "alpha-buyer")
    tree = client.get("/cabinet/catalog").text.split('id="group-tree"')[1].split("</nav>")[0]
    names = re.findall(r">([^<>]+)</a>", tree)
    assert names == ["All groups", "Parts", "Filters", "Hydraulics"]
    # Parts holds a list of its two subgroups; every list and item is closed.
    assert re.search(r">Parts</a><ul[^>]*>\s*<li><a[^>]*>Filters</a></li>\s*<li><a[^>]*>Hydraulics</a></li></ul></li>", tree)
    assert tree.count("<ul") == tree.count("</ul>") and tree.count("<li>") == tree.count("</li>")
    with core_db.transaction() as s:  # a commit in this process: the kept lists are dropped
        cat.create_group(s, user_id=None, code="ENG", names={"ru": "Двигатель", "en": "Engine"})
        cat.create_brand(s, user_id=None, name="Komatsu")
    page = client.get("/cabinet/catalog").text
    assert ">Engine</a>" in page and ">Komatsu</option>" in page


def test_reference_lists_are_read_again_after_their_time(client, core_db, dealer_a, shop, monkeypatch):
    log_in_dealer(client, "alpha-buyer")
    client.get("/cabinet/catalog")
    with core_db.engine.begin() as conn:  # plain SQL: no commit of this process's ORM tells the cache
        conn.execute(cat.models.Brand.__table__.update().values(name="Shanmon Heavy"))
    assert ">Shanmon</option>" in client.get("/cabinet/catalog").text  # the kept copy, within its time
    monkeypatch.setattr(catalog_reference, "REFERENCE_TTL", 0.0)
    assert ">Shanmon Heavy</option>" in client.get("/cabinet/catalog").text
