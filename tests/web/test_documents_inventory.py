"""Stock corrections and transfers through the back office: create by the form, post, see the
exact moves and status on the page, unpost; refusals show their reason and write nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealerhub.core import inventory
from dealerhub.core.inventory.models import StockCorrection, StockCorrectionLine, Transfer
from dealerhub.shared import clock
from tests.web.conftest import add_user, log_in
from tests.web.documents_builders import (
    audit_actions,
    balance,
    cells,
    counts,
    doc_id_from,
    stock_moves,
    submit,
)
from tests.web.pages import table_rows, text_of
from tests.web.seed import Seeded, seed

D = Decimal
CORRECTIONS = "/backoffice/inventory/corrections"
TRANSFERS = "/backoffice/inventory/transfers"


@pytest.fixture
def data(core_db, admin) -> Seeded:
    return seed(core_db, admin)


def _write_off(client, data: Seeded, quantity: str, article: str = "fl 100 20") -> int:
    answer = submit(
        client,
        f"{CORRECTIONS}/new",
        {
            "rows": "8",
            "warehouse_id": str(data.main_id),
            "kind": "write_off",
            "reason": "Damaged in the yard",
            "line_1_article": article,
            "line_1_quantity": quantity,
        },
    )
    return doc_id_from(answer)


def test_a_write_off_is_created_posted_and_unposted(admin_client, core_db, data):
    doc_id = _write_off(admin_client, data, "5")
    with core_db.session() as s:
        doc = s.get(StockCorrection, doc_id)
        assert (doc.status, doc.kind, doc.warehouse_id, doc.reason) == (
            "draft",
            "write_off",
            data.main_id,
            "Damaged in the yard",
        )
        assert [(ln.item_id, ln.quantity) for ln in doc.lines] == [(data.filter_id, D(5))]
    page = admin_client.get(f"{CORRECTIONS}/{doc_id}?notice=created").text
    assert "Created." in page
    assert table_rows(page, "document-lines") == [["1", "FL-100.20", "Oil filter", "5"]]
    assert text_of(page, "document-status") == "Draft"

    answer = submit(admin_client, f"{CORRECTIONS}/{doc_id}/post")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{CORRECTIONS}/{doc_id}?notice=post"
    page = admin_client.get(answer.headers["location"]).text
    assert "The document is posted." in page
    assert text_of(page, "document-status") == "Posted"
    assert cells(table_rows(page, "stock-moves")) == [
        ["FL-100.20", "Oil filter", "MSK · Moscow main", "-5", ""]
    ]
    assert stock_moves(core_db, "stock_correction", doc_id) == [(data.filter_id, data.main_id, D(-5), False)]
    assert balance(core_db, data.filter_id, data.main_id) == (D(7), D(0), D(7))
    assert cells(table_rows(page, "audit-trail")) == [
        ["Admin Staff", "created", "—", "Draft", ""],
        ["Admin Staff", "posted", "Draft", "Posted", ""],
    ]
    assert "action-unpost" in page and "action-post" not in page and "action-edit" not in page

    answer = submit(admin_client, f"{CORRECTIONS}/{doc_id}/unpost")
    page = admin_client.get(answer.headers["location"]).text
    assert text_of(page, "document-status") == "Draft"
    assert cells(table_rows(page, "stock-moves")) == [
        ["FL-100.20", "Oil filter", "MSK · Moscow main", "-5", ""],
        ["FL-100.20", "Oil filter", "MSK · Moscow main", "5", "reversal"],
    ]
    assert balance(core_db, data.filter_id, data.main_id) == (D(12), D(0), D(12))
    assert audit_actions(core_db, "stock_correction", doc_id)[-1] == ("unpost", "posted", "draft")


def test_a_write_off_beyond_free_stock_is_refused_and_writes_nothing(admin_client, core_db, data):
    doc_id = _write_off(admin_client, data, "13")
    before = counts(core_db)
    answer = submit(admin_client, f"{CORRECTIONS}/{doc_id}/post")
    assert answer.status_code == 409
    assert text_of(answer.text, "document-error").startswith("Not enough free stock")
    assert table_rows(answer.text, "shortages") == [
        ["FL-100.20", "Oil filter", "MSK · Moscow main", "13", "12"]
    ]
    assert text_of(answer.text, "document-status") == "Draft"
    assert counts(core_db) == before
    with core_db.session() as s:
        assert s.get(StockCorrection, doc_id).status == "draft"
    assert balance(core_db, data.filter_id, data.main_id) == (D(12), D(0), D(12))


def test_an_unknown_article_is_shown_beside_its_line(admin_client, core_db, data):
    before = counts(core_db, StockCorrection, StockCorrectionLine)
    answer = submit(
        admin_client,
        f"{CORRECTIONS}/new",
        {
            "rows": "8",
            "warehouse_id": str(data.main_id),
            "kind": "surplus",
            "reason": "Count",
            "line_1_article": "FL-100.20",
            "line_1_quantity": "1",
            "line_2_article": "NO-SUCH",
            "line_2_quantity": "2",
        },
    )
    assert answer.status_code == 422
    assert text_of(answer.text, "error-line_2_article") == "No active item has this article or code."
    assert 'value="NO-SUCH"' in answer.text
    assert counts(core_db, StockCorrection, StockCorrectionLine) == before


def test_a_draft_is_edited_and_a_posted_one_is_not(admin_client, core_db, data):
    doc_id = _write_off(admin_client, data, "2")
    form = admin_client.get(f"{CORRECTIONS}/{doc_id}/edit").text
    assert 'value="FL-100.20"' in form and 'value="2"' in form
    answer = submit(
        admin_client,
        f"{CORRECTIONS}/{doc_id}/edit",
        {
            "rows": "11",
            "warehouse_id": str(data.main_id),
            "kind": "surplus",
            "reason": "Found in a box",
            "line_1_article": "OIL-15W40",
            "line_1_quantity": "1.5",
        },
    )
    assert answer.headers["location"] == f"{CORRECTIONS}/{doc_id}?notice=saved"
    with core_db.session() as s:
        doc = s.get(StockCorrection, doc_id)
        assert (doc.kind, doc.reason, [(ln.item_id, ln.quantity) for ln in doc.lines]) == (
            "surplus",
            "Found in a box",
            [(data.oil_id, D("1.5"))],
        )
    submit(admin_client, f"{CORRECTIONS}/{doc_id}/post")
    before = counts(core_db)
    answer = submit(
        admin_client,
        f"{CORRECTIONS}/{doc_id}/edit",
        {
            "warehouse_id": str(data.main_id),
            "kind": "surplus",
            "reason": "x",
            "line_1_article": "OIL-15W40",
            "line_1_quantity": "9",
        },
    )
    assert answer.status_code == 409
    assert "posted" in text_of(answer.text, "error-__all__")
    assert counts(core_db) == before


def test_a_transfer_moves_goods_to_the_defect_warehouse_and_back(admin_client, core_db, data):
    answer = submit(
        admin_client,
        f"{TRANSFERS}/new",
        {
            "rows": "8",
            "from_warehouse_id": str(data.main_id),
            "to_warehouse_id": str(data.defect_id),
            "reason": "Cracked housing",
            "line_1_article": "FL-100.20",
            "line_1_quantity": "4",
        },
    )
    doc_id = doc_id_from(answer)
    page = admin_client.get(submit(admin_client, f"{TRANSFERS}/{doc_id}/post").headers["location"]).text
    assert text_of(page, "document-status") == "Posted"
    assert cells(table_rows(page, "stock-moves")) == [
        ["FL-100.20", "Oil filter", "MSK · Moscow main", "-4", ""],
        ["FL-100.20", "Oil filter", "DEF · Defects", "4", ""],
    ]
    assert balance(core_db, data.filter_id, data.main_id) == (D(8), D(0), D(8))
    assert balance(core_db, data.filter_id, data.defect_id) == (D(7), D(0), D(0))  # closed for sale
    submit(admin_client, f"{TRANSFERS}/{doc_id}/unpost")
    assert stock_moves(core_db, "transfer", doc_id) == [
        (data.filter_id, data.main_id, D(-4), False),
        (data.filter_id, data.defect_id, D(4), False),
        (data.filter_id, data.defect_id, D(-4), True),
        (data.filter_id, data.main_id, D(4), True),
    ]
    listing = admin_client.get(f"{TRANSFERS}?status=draft").text
    assert [row[0] for row in table_rows(listing, "document-list")] == [
        text_of(page, "document-title").split()[1]
    ]
    assert table_rows(admin_client.get(f"{TRANSFERS}?status=posted").text, "document-list") == [
        ["No documents found."]
    ]


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("en", "a transfer needs two different warehouses: the same one is given twice"),
        ("ru", "для перемещения нужны два разных склада, а указан один и тот же"),
    ],
)
def test_a_transfer_to_the_same_warehouse_is_refused_beside_the_field(client, core_db, data, language, refusal):
    add_user(core_db, "keeper", "administrator", language=language)
    log_in(client, "keeper")
    before = counts(core_db, Transfer)
    answer = submit(
        client,
        f"{TRANSFERS}/new",
        {
            "rows": "8",
            "from_warehouse_id": str(data.main_id),
            "to_warehouse_id": str(data.main_id),
            "line_1_article": "FL-100.20",
            "line_1_quantity": "1",
        },
    )
    assert answer.status_code == 422
    assert text_of(answer.text, "error-to_warehouse_id") == refusal
    assert counts(core_db, Transfer) == before


def test_posting_without_the_csrf_token_is_forbidden(admin_client, core_db, data):
    doc_id = _write_off(admin_client, data, "1")
    before = counts(core_db)
    answer = admin_client.post(f"{CORRECTIONS}/{doc_id}/post", data={})
    assert answer.status_code == 403
    assert counts(core_db) == before


def test_a_role_without_the_permission_sees_no_buttons_and_gets_403(client, core_db, admin, data):
    add_user(core_db, "seller", "sales_manager")
    log_in(client, "seller")
    assert client.get(CORRECTIONS).status_code == 200
    assert 'id="new-document"' not in client.get(CORRECTIONS).text
    before = counts(core_db, StockCorrection)
    answer = submit(
        client,
        f"{CORRECTIONS}/new",
        {
            "warehouse_id": str(data.main_id),
            "kind": "surplus",
            "reason": "x",
            "line_1_article": "FL-100.20",
            "line_1_quantity": "1",
        },
    )
    assert answer.status_code == 403
    assert counts(core_db, StockCorrection) == before
    assert client.get(f"{CORRECTIONS}/new").status_code == 403


def test_the_document_page_speaks_the_users_language(client, core_db, admin, data):
    add_user(core_db, "kladovshik", "storekeeper_supervisor", language="ru")
    log_in(client, "kladovshik")
    doc_id = _write_off(client, data, "2")
    page = client.get(submit(client, f"{CORRECTIONS}/{doc_id}/post").headers["location"]).text
    assert "Документ проведён." in page
    assert text_of(page, "document-status") == "Проведён"
    assert text_of(page, "document-title").startswith("Корректировка остатков SC-")
    assert cells(table_rows(page, "audit-trail"))[-1] == [
        "Kladovshik Staff",
        "проведён",
        "Черновик",
        "Проведён",
        "",
    ]
    assert cells(table_rows(page, "stock-moves")) == [
        ["FL-100.20", "Фильтр масляный", "MSK · Moscow main", "-2", ""]
    ]
    answer = submit(client, f"{CORRECTIONS}/{doc_id}/post")
    assert text_of(answer.text, "document-error").startswith("Статус документа не допускает этого действия")


def test_the_list_pages_through_the_documents_and_filters_by_status(admin_client, core_db, admin, data):
    with core_db.transaction() as s:
        for _ in range(51):
            inventory.create_stock_correction(
                s,
                user_id=admin,
                warehouse_id=data.main_id,
                kind="surplus",
                reason="Count",
                lines=[inventory.CorrectionLineInput(data.filter_id, D(1))],
            )
    first = admin_client.get(CORRECTIONS).text
    assert len(table_rows(first, "document-list")) == 50
    assert text_of(first, "row-count") == "Rows 1–50 of 51"
    second = admin_client.get(f"{CORRECTIONS}?page=2").text
    assert [row[0] for row in table_rows(second, "document-list")] == [f"SC-{clock.today().year}-000001"]
    assert table_rows(second, "document-list")[0][2:] == ["MSK · Moscow main", "Surplus", "Draft", "1"]
    assert text_of(admin_client.get(f"{CORRECTIONS}?status=posted").text, "row-count") == "Rows 0–0 of 0"
