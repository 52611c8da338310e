"""Every back-office page renders for an administrator with the seeded figures; roles, languages,
security headers and error pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dealerhub.core import catalog, stock
from dealerhub.core.warehouses.models import Warehouse
from tests.web.conftest import add_user, log_in, page_token
from tests.web.pages import figure, table_rows, text_of
from tests.web.seed import Seeded, seed


@pytest.fixture
def data(core_db, admin) -> Seeded:
    return seed(core_db, admin)


def test_dashboard_shows_the_main_figures(admin_client, data):
    html = admin_client.get("/backoffice/").text
    figures = {
        key: figure(html, key)
        for key in ("items", "groups", "dealers", "suppliers", "warehouses", "stock_positions", "agreements")
    }
    assert figures == {
        "items": "3",
        "groups": "2",
        "dealers": "1",
        "suppliers": "1",
        "warehouses": "2",
        "stock_positions": "3",
        "agreements": "1",
    }


def test_catalog_lists_a_group_with_its_subgroups_and_finds_by_oem_number(admin_client, data):
    def articles(query: str) -> list[str]:
        answer = admin_client.get(f"/backoffice/catalog{query}")
        assert answer.status_code == 200
        return [row[0] for row in table_rows(answer.text, "item-list")]

    assert articles(f"?group={data.group_id}") == ["FL-100.20", "FL-100.21", "OIL-15W40"]
    assert articles(f"?group={data.subgroup_id}") == ["FL-100.20", "FL-100.21"]
    assert articles("?q=600 211 1340") == ["FL-100.20"]
    assert articles("?q=engine") == ["OIL-15W40"]
    assert articles("?q=nothing-like-this") == ["No items found."]
    assert articles("?q=&group=&brand=&page=") == ["FL-100.20", "FL-100.21", "OIL-15W40"]  # a form's empty filters
    tree = text_of(admin_client.get("/backoffice/catalog").text, "group-tree")
    assert "Spare parts" in tree and "Filters" in tree


def test_catalog_pages_through_long_lists(admin_client, core_db, data):
    with core_db.transaction() as s:
        unit_id = catalog.get_item(s, data.filter_id).unit_id
        for n in range(52):
            catalog.create_item(
                s,
                user_id=None,
                code=f"P{n:03d}",
                article=f"PAGE-{n:03d}",
                group_id=data.subgroup_id,
                unit_id=unit_id,
                names={"ru": f"Деталь {n}"},
            )
    first = admin_client.get(f"/backoffice/catalog?group={data.subgroup_id}").text
    second = admin_client.get(f"/backoffice/catalog?group={data.subgroup_id}&page=2").text
    assert len(table_rows(first, "item-list")) == 50
    assert [r[0] for r in table_rows(second, "item-list")] == ["PAGE-048", "PAGE-049", "PAGE-050", "PAGE-051"]
    assert text_of(second, "row-count") == "Rows 51–54 of 54"


def test_item_card_shows_everything_about_the_item(admin_client, core_db, data):
    with core_db.transaction() as s:
        stock.reserve(
            s,
            item_id=data.filter_id,
            warehouse_id=data.main_id,
            quantity=Decimal(5),
            holder=stock.Holder("test", 1),
            doc=stock.DocRef("test", 1),
        )
    html = admin_client.get(f"/backoffice/catalog/items/{data.filter_id}").text
    assert text_of(html, "item-title") == "FL-100.20 — Oil filter"
    assert table_rows(html, "item-names") == [["en", "Oil filter", ""], ["ru", "Фильтр масляный", ""]]
    assert text_of(html, "item-oem-numbers") == "600-211-1340 (Komatsu)"
    assert text_of(html, "item-analogues") == "FL-100.21 — Heavy-duty oil filter"
    assert text_of(html, "item-barcodes") == "4006381333931"
    assert text_of(html, "item-applicability") == "ZE215E"
    assert table_rows(html, "item-prices") == [["Base price", "1,234.50 RUB", "1/1/20", "—"]]
    assert table_rows(html, "item-stock") == [
        ["MSK · Moscow main", "12", "5", "7"],
        ["DEF · Defects closed for sale", "3", "0", "0"],
    ]


def test_partner_list_and_card_show_contractors_and_bank_accounts(admin_client, data):
    listing = admin_client.get("/backoffice/partners?q=7707083893").text
    assert table_rows(listing, "partner-list") == [["Stroytech Dealer", "Dealer", "Kazan", "1"]]
    suppliers = admin_client.get("/backoffice/partners?kind=supplier").text
    assert [r[0] for r in table_rows(suppliers, "partner-list")] == ["Zoomlion Heavy Industry"]
    card = admin_client.get(f"/backoffice/partners/{data.dealer_id}").text
    contractor = text_of(card, f"contractor-{data.contractor_id}")
    assert "LLC Stroytech" in contractor and "7707083893" in contractor and "773601001" in contractor
    assert table_rows(card, f"bank-accounts-{data.contractor_id}") == [
        ["Sberbank", "044525225", "40702810938000000001", "30101810400000000225", "RUB"]
    ]
    assert table_rows(card, "partner-agreements") == [
        ["AG-2024-001", "Base price", "1/1/24", "—", "500,000.00 RUB"]
    ]


def test_warehouse_list_and_locked_wms_code(admin_client, data):
    rows = table_rows(admin_client.get("/backoffice/warehouses").text, "warehouse-list")
    assert [r[:5] for r in rows] == [
        ["DEF", "Defects", "Defect", "—", "no"],
        ["MSK", "Moscow main", "Main", "WMS-MSK", "yes"],
    ]
    form = admin_client.get(f"/backoffice/warehouses/{data.main_id}/edit").text
    assert 'name="wms_code" type="text" value="WMS-MSK" readonly aria-readonly="true"' in form
    blank = admin_client.get(f"/backoffice/warehouses/{data.defect_id}/edit").text
    assert 'name="wms_code" type="text" value="" readonly' not in blank


def test_pricing_pages(admin_client, data):
    types = table_rows(admin_client.get("/backoffice/pricing/price-types").text, "price-type-list")
    assert types == [["BASE", "Base price", "RUB", "yes"]]
    prices = table_rows(
        admin_client.get(f"/backoffice/pricing/items/{data.filter_id}/prices").text, "price-list"
    )
    assert [r[:4] for r in prices] == [["Base price", "1,234.50 RUB", "1/1/20", "—"]]
    agreements = table_rows(admin_client.get("/backoffice/pricing/agreements").text, "agreement-list")
    assert agreements == [["AG-2024-001", "Stroytech Dealer", "Base price", "1/1/24", "—", "500,000.00 RUB"]]
    card = admin_client.get(f"/backoffice/pricing/agreements/{data.agreement_id}").text
    assert text_of(card, "agreement-warehouses") == "MSK · Moscow main"
    assert table_rows(card, "agreement-discounts") == [["Everything", "", "5"]]


def test_stock_balances_with_filters(admin_client, core_db, data):
    with core_db.transaction() as s:
        stock.reserve(
            s,
            item_id=data.filter_id,
            warehouse_id=data.main_id,
            quantity=Decimal(2),
            holder=stock.Holder("test", 1),
            doc=stock.DocRef("test", 1),
        )

    def balances(query: str = "") -> list[list[str]]:
        return [r[:7] for r in table_rows(admin_client.get(f"/backoffice/stock{query}").text, "balance-list")]

    assert balances() == [
        ["FL-100.20", "Oil filter", "DEF · Defects closed for sale", "pcs", "3", "0", "0"],
        ["FL-100.20", "Oil filter", "MSK · Moscow main", "pcs", "12", "2", "10"],
        ["OIL-15W40", "Engine oil", "MSK · Moscow main", "l", "200.5", "0", "200.5"],
    ]
    assert [r[0] for r in balances(f"?warehouse={data.defect_id}")] == ["FL-100.20"]
    assert balances("?q=oil-15") == [
        ["OIL-15W40", "Engine oil", "MSK · Moscow main", "l", "200.5", "0", "200.5"]
    ]
    assert balances(f"?q=600211&warehouse={data.main_id}") == [
        ["FL-100.20", "Oil filter", "MSK · Moscow main", "pcs", "12", "2", "10"]
    ]


def test_moves_of_an_item(admin_client, data):
    html = admin_client.get(f"/backoffice/stock/items/{data.filter_id}/moves").text
    assert sorted(r[1:4] for r in table_rows(html, "move-list")) == [
        ["DEF · Defects", "3", "opening_balance #1"],
        ["MSK · Moscow main", "12", "opening_balance #1"],
    ]
    only_main = admin_client.get(
        f"/backoffice/stock/items/{data.filter_id}/moves?warehouse={data.main_id}"
    ).text
    assert [r[1] for r in table_rows(only_main, "move-list")] == ["MSK · Moscow main"]


@pytest.mark.parametrize("role", ["sales_manager", "purchaser", "storekeeper_supervisor"])
def test_every_staff_role_may_look(app, core_db, data, role):
    add_user(core_db, "looker", role)
    with TestClient(app, follow_redirects=False) as client:
        log_in(client, "looker")
        for path in (
            "/backoffice/",
            "/backoffice/catalog",
            f"/backoffice/catalog/items/{data.filter_id}",
            "/backoffice/partners",
            "/backoffice/warehouses",
            "/backoffice/pricing/agreements",
            "/backoffice/stock",
        ):
            assert client.get(path).status_code == 200, path


def test_a_role_without_the_permission_gets_403_and_nothing_changes(app, core_db, data):
    add_user(core_db, "keeper", "storekeeper_supervisor")
    with TestClient(app, follow_redirects=False) as client:
        log_in(client, "keeper")
        token = page_token(client)
        assert client.get("/backoffice/warehouses/new").status_code == 403
        answer = client.post(
            "/backoffice/warehouses/new",
            data={"code": "NEW", "name": "New", "kind": "main", "csrf_token": token},
        )
        assert answer.status_code == 403
        assert "Access denied" in answer.text
        assert (
            client.post(
                f"/backoffice/catalog/items/{data.filter_id}/barcodes",
                data={"barcode": "4006381333948", "csrf_token": token},
            ).status_code
            == 403
        )
        card = client.get(f"/backoffice/catalog/items/{data.filter_id}").text
        assert "/oem-numbers" not in card and 'href="/backoffice/catalog/items/1/edit"' not in card
    with core_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Warehouse)) == 2
        assert [b.barcode for b in catalog.get_item(s, data.filter_id).barcodes] == ["4006381333931"]


def test_menu_offers_documents_for_later(admin_client, data):
    documents = text_of(admin_client.get("/backoffice/").text, "menu-documents")
    assert documents.startswith("Documents Sales Customer orders Picking tasks Sales Customer returns")
    assert "Purchasing and inventory Supplier orders Goods receipts Stock corrections Transfers" in documents


def test_english_and_russian(admin_client, core_db, admin, data):
    assert '<h1 class="h3">Stock balances</h1>' in admin_client.get("/backoffice/stock").text
    answer = admin_client.post(
        "/backoffice/language",
        data={"language": "ru", "next": "/backoffice/stock", "csrf_token": page_token(admin_client)},
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/backoffice/stock")
    page = admin_client.get("/backoffice/stock").text
    assert '<h1 class="h3">Остатки товаров</h1>' in page and '<html lang="ru">' in page
    card = admin_client.get(f"/backoffice/catalog/items/{data.filter_id}").text
    assert text_of(card, "item-title") == "FL-100.20 — Фильтр масляный"
    assert table_rows(card, "item-prices") == [["Base price", "1 234,50 RUB", "01.01.2020", "—"]]
    login_page = TestClient(admin_client.app).get(
        "/backoffice/login", headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    assert "Log in" in login_page.text and "Войти" not in login_page.text


def test_security_headers(admin_client, client):
    for answer in (admin_client.get("/backoffice/"), client.get("/backoffice/login")):
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        csp = answer.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp


def test_assets_are_served_by_the_app(client):
    assert client.get("/static/app/app.css").status_code == 200
    css = client.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    assert css.status_code == 200 and "Bootstrap" in css.text[:200]
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200


def test_missing_things_get_an_error_page(admin_client, data):
    answer = admin_client.get("/backoffice/catalog/items/9999")
    assert answer.status_code == 404
    assert text_of(answer.text, "error-message") == "item 9999 not found"
    assert admin_client.get("/backoffice/no-such-page").status_code == 404


def test_without_node_modules_pages_work_unstyled_and_the_log_says_how_to_install(
    core_db, monkeypatch, tmp_path, caplog
):
    from dealerhub.shared.config import Settings
    from dealerhub.web import app as web_app

    monkeypatch.setattr(web_app, "FRONTEND_DIR", tmp_path / "frontend")
    with caplog.at_level("WARNING", logger="dealerhub.web"):
        application = web_app.create_app(Settings(core_database_url=core_db.url))
    assert "npm ci --prefix" in caplog.text and str(tmp_path / "frontend") in caplog.text
    with TestClient(application) as client:
        page = client.get("/backoffice/login")
    assert page.status_code == 200
    assert "/static/vendor/" not in page.text and "/static/app/app.css" in page.text


def test_htmx_requests_without_a_session_are_told_where_to_log_in(client):
    answer = client.get("/backoffice/catalog?q=x", headers={"HX-Request": "true"})
    assert (answer.status_code, answer.headers["HX-Redirect"]) == (
        401,
        "/backoffice/login?next=%2Fbackoffice%2Fcatalog%3Fq%3Dx",
    )
