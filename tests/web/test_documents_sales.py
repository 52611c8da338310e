"""Customer orders, picking tasks, sales and returns through the back office: a dealer's order is
entered, moderated and approved (stock reserved), picked, partly despatched and sold, and goods come
back; every refusal shows its reason on the page and writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealerhub.core.sales.models import CustomerOrder, CustomerReturn, PickingTask, Sale
from tests.web.conftest import add_user, log_in
from tests.web.documents_builders import (
    LEDGERS,
    audit_actions,
    balance,
    cells,
    counts,
    doc_id_from,
    reservation_moves,
    stock_moves,
    submit,
)
from tests.web.pages import table_rows, text_of
from tests.web.seed import Seeded, seed

D = Decimal
ORDERS = "/backoffice/sales/orders"
TASKS = "/backoffice/sales/picking-tasks"
SALES = "/backoffice/sales/sales"
RETURNS = "/backoffice/sales/returns"


@pytest.fixture
def data(core_db, admin) -> Seeded:
    return seed(core_db, admin)


def _order(client, data: Seeded, *lines: tuple[str, str, str]) -> int:
    form = {"rows": "8", "contractor_id": str(data.contractor_id), "warehouse_id": str(data.main_id)}
    for n, (article, quantity, price) in enumerate(lines, start=1):
        form.update({f"line_{n}_article": article, f"line_{n}_quantity": quantity, f"line_{n}_price": price})
    return doc_id_from(submit(client, f"{ORDERS}/new", form))


def _approved_order(client, data: Seeded) -> int:
    order_id = _order(client, data, ("FL-100.20", "5", ""), ("oil-15w40", "10.5", "450"))
    for action in ("submit", "take", "approve"):
        assert submit(client, f"{ORDERS}/{order_id}/{action}").status_code == 303
    return order_id


def _line_ids(db, model: type, doc_id: int) -> list[int]:
    with db.session() as s:
        return [line.id for line in s.get(model, doc_id).lines]


def _sold(client, core_db, data: Seeded) -> tuple[int, int, int]:
    """An approved order, its posted picking task and a posted sale of 4 filters and all the oil."""
    order_id = _approved_order(client, data)
    task_id = doc_id_from(submit(client, f"{ORDERS}/{order_id}/picking-task"))
    submit(client, f"{TASKS}/{task_id}/post")
    task_lines = _line_ids(core_db, PickingTask, task_id)
    form = {f"qty_{task_lines[0]}": "4", f"qty_{task_lines[1]}": "10.5"}
    sale_id = doc_id_from(submit(client, f"{TASKS}/{task_id}/sale", form))
    assert submit(client, f"{SALES}/{sale_id}/post").status_code == 303
    return order_id, task_id, sale_id


def test_an_order_is_moderated_approved_and_reserves_stock(admin_client, core_db, data):
    order_id = _order(admin_client, data, ("FL-100.20", "5", ""), ("oil-15w40", "10.5", "450"))
    with core_db.session() as s:
        order = s.get(CustomerOrder, order_id)
        assert (order.status, order.partner_id, order.agreement_id) == (
            "draft",
            data.dealer_id,
            data.agreement_id,
        )
        assert [(ln.item_id, ln.quantity, ln.price, ln.discount_percent) for ln in order.lines] == [
            (data.filter_id, D(5), D("1172.78"), D(5)),
            (data.oil_id, D("10.5"), D(450), D(0)),
        ]
    for action, status in (("submit", "Submitted"), ("take", "Awaiting moderation"), ("approve", "Approved")):
        page = admin_client.get(
            submit(admin_client, f"{ORDERS}/{order_id}/{action}").headers["location"]
        ).text
        assert text_of(page, "document-status") == status
    assert "The order is approved: free stock is reserved for it." in page
    assert [row[3:7] for row in table_rows(page, "document-lines")] == [
        ["5", "5", "0", "0"],
        ["10.5", "10.5", "0", "0"],
    ]
    assert cells(table_rows(page, "reservation-moves")) == [
        [
            "FL-100.20",
            "Oil filter",
            "MSK · Moscow main",
            "5",
            "reserved",
            text_of(page, "document-title").split()[2],
        ],
        [
            "OIL-15W40",
            "Engine oil",
            "MSK · Moscow main",
            "10.5",
            "reserved",
            text_of(page, "document-title").split()[2],
        ],
    ]
    assert balance(core_db, data.filter_id, data.main_id) == (D(12), D(5), D(7))
    assert [row[1:4] for row in cells(table_rows(page, "audit-trail"))] == [
        ["created", "—", "Draft"],
        ["submitted", "Draft", "Submitted"],
        ["taken for moderation", "Submitted", "Awaiting moderation"],
        ["approved", "Awaiting moderation", "Approved"],
    ]
    buttons = [
        key
        for key in ("picking-task", "unapprove", "cancel", "approve", "submit")
        if f'id="action-{key}"' in page
    ]
    assert buttons == ["picking-task", "unapprove", "cancel"]


def test_approving_twice_is_refused_and_writes_nothing(admin_client, core_db, data):
    order_id = _approved_order(admin_client, data)
    before = counts(core_db)
    answer = submit(admin_client, f"{ORDERS}/{order_id}/approve")
    assert answer.status_code == 409
    assert text_of(answer.text, "document-error").startswith(
        "The document is not in a status that allows this"
    )
    assert text_of(answer.text, "document-error-message").startswith("Customer order CO-")
    assert text_of(answer.text, "document-status") == "Approved"
    assert counts(core_db) == before
    assert balance(core_db, data.filter_id, data.main_id) == (D(12), D(5), D(7))


def test_the_refusal_is_in_the_language_of_the_page(client, core_db, data):
    add_user(core_db, "ru_admin", "administrator", language="ru")
    log_in(client, "ru_admin")
    order_id = _approved_order(client, data)
    answer = submit(client, f"{ORDERS}/{order_id}/approve")
    assert answer.status_code == 409
    message = text_of(answer.text, "document-error-message")
    assert message.startswith("Заказ клиента CO-")
    assert message.endswith("в статусе «Согласован»: это можно сделать только в статусе «Отправлен», «На модерации»")


def test_a_picking_task_with_nothing_free_is_refused_with_the_shortage(admin_client, core_db, data):
    order_id = _order(admin_client, data, ("FL-100.21", "2", "900"))
    for action in ("submit", "approve"):
        submit(admin_client, f"{ORDERS}/{order_id}/{action}")
    before = counts(core_db, PickingTask, *LEDGERS)
    answer = submit(admin_client, f"{ORDERS}/{order_id}/picking-task")
    assert answer.status_code == 409
    assert table_rows(answer.text, "shortages") == [
        ["FL-100.21", "Heavy-duty oil filter", "MSK · Moscow main", "2", "0"]
    ]
    assert counts(core_db, PickingTask, *LEDGERS) == before


def test_picking_and_selling_writes_the_stock_off_and_unposting_puts_it_back(admin_client, core_db, data):
    order_id, task_id, sale_id = _sold(admin_client, core_db, data)
    assert reservation_moves(core_db, "sale", sale_id) == [
        (data.filter_id, data.main_id, D(-4), "consume"),
        (data.oil_id, data.main_id, D("-10.5"), "consume"),
    ]
    sale = admin_client.get(f"{SALES}/{sale_id}").text
    assert text_of(sale, "document-status") == "Posted"
    assert table_rows(sale, "document-lines") == [
        ["1", "FL-100.20", "Oil filter", "4", "1,172.78", "4,691.12", "20", "781.85"],
        ["2", "OIL-15W40", "Engine oil", "10.5", "450.00", "4,725.00", "20", "787.50"],
    ]
    assert cells(table_rows(sale, "stock-moves")) == [
        ["FL-100.20", "Oil filter", "MSK · Moscow main", "-4", ""],
        ["OIL-15W40", "Engine oil", "MSK · Moscow main", "-10.5", ""],
    ]
    assert balance(core_db, data.filter_id, data.main_id) == (D(8), D(1), D(7))
    order = admin_client.get(f"{ORDERS}/{order_id}").text
    assert text_of(order, "document-status") == "Partially shipped"
    assert [row[3:7] for row in table_rows(order, "document-lines")] == [
        ["5", "1", "5", "4"],
        ["10.5", "0", "10.5", "10.5"],
    ]
    assert text_of(admin_client.get(f"{TASKS}/{task_id}").text, "document-status") == "Done"

    page = admin_client.get(submit(admin_client, f"{SALES}/{sale_id}/unpost").headers["location"]).text
    assert text_of(page, "document-status") == "Draft"
    assert stock_moves(core_db, "sale", sale_id)[2:] == [
        (data.filter_id, data.main_id, D(4), True),
        (data.oil_id, data.main_id, D("10.5"), True),
    ]
    assert balance(core_db, data.filter_id, data.main_id) == (D(12), D(5), D(7))
    assert text_of(admin_client.get(f"{ORDERS}/{order_id}").text, "document-status") == "Picking"
    assert audit_actions(core_db, "picking_task", task_id)[-2:] == [
        ("despatch", "posted", "done"),
        ("reopen", "done", "posted"),
    ]


def test_a_despatch_above_the_picked_quantity_is_shown_beside_its_line(admin_client, core_db, data):
    order_id = _approved_order(admin_client, data)
    task_id = doc_id_from(submit(admin_client, f"{ORDERS}/{order_id}/picking-task"))
    submit(admin_client, f"{TASKS}/{task_id}/post")
    task_lines = _line_ids(core_db, PickingTask, task_id)
    before = counts(core_db, Sale)
    answer = submit(admin_client, f"{TASKS}/{task_id}/sale", {f"qty_{task_lines[0]}": "6"})
    assert answer.status_code == 422
    assert (
        text_of(answer.text, f"error-qty_{task_lines[0]}") == "line 1: despatched 6 is more than the 5 picked"
    )
    assert counts(core_db, Sale) == before


def test_goods_come_back_on_a_customer_return(admin_client, core_db, data):
    _order_id, _task_id, sale_id = _sold(admin_client, core_db, data)
    sale_lines = _line_ids(core_db, Sale, sale_id)
    before = counts(core_db, CustomerReturn)
    answer = submit(
        admin_client,
        f"{SALES}/{sale_id}/return",
        {"warehouse_id": str(data.defect_id), "reason": "Cracked", f"qty_{sale_lines[0]}": "5"},
    )
    assert answer.status_code == 422
    assert "only 4 of the 4 sold can come back" in text_of(answer.text, f"error-qty_{sale_lines[0]}")
    assert counts(core_db, CustomerReturn) == before
    answer = submit(
        admin_client,
        f"{SALES}/{sale_id}/return",
        {"warehouse_id": str(data.defect_id), "reason": "Cracked", f"qty_{sale_lines[0]}": "1"},
    )
    return_id = doc_id_from(answer)
    page = admin_client.get(submit(admin_client, f"{RETURNS}/{return_id}/post").headers["location"]).text
    assert text_of(page, "document-status") == "Posted"
    assert table_rows(page, "document-lines") == [
        ["1", "FL-100.20", "Oil filter", "1", "1,172.78", "1,172.78"]
    ]
    assert cells(table_rows(page, "stock-moves")) == [["FL-100.20", "Oil filter", "DEF · Defects", "1", ""]]
    assert balance(core_db, data.filter_id, data.defect_id) == (D(4), D(0), D(0))
    listing = admin_client.get(f"{RETURNS}?status=posted").text
    assert [row[4] for row in table_rows(listing, "document-list")] == ["Posted"]


def test_rejecting_needs_a_reason_for_the_dealer(admin_client, core_db, data):
    order_id = _order(admin_client, data, ("FL-100.20", "1", ""))
    submit(admin_client, f"{ORDERS}/{order_id}/submit")
    before = counts(core_db)
    answer = submit(admin_client, f"{ORDERS}/{order_id}/reject", {"reason": " "})
    assert answer.status_code == 422
    assert (
        text_of(answer.text, "document-error-message") == "rejecting an order needs a reason for the dealer"
    )
    assert counts(core_db) == before
    page = admin_client.get(
        submit(admin_client, f"{ORDERS}/{order_id}/reject", {"reason": "No such model"}).headers["location"]
    ).text
    assert text_of(page, "document-status") == "Cancelled"
    assert "No such model" in text_of(page, "document-fields")


def test_a_line_without_a_personal_price_is_refused_beside_its_price(admin_client, core_db, data):
    before = counts(core_db, CustomerOrder)
    answer = submit(
        admin_client,
        f"{ORDERS}/new",
        {
            "rows": "8",
            "contractor_id": str(data.contractor_id),
            "warehouse_id": str(data.main_id),
            "line_2_article": "OIL-15W40",
            "line_2_quantity": "1",
            "line_4_article": "NOPE",
            "line_4_quantity": "1",
        },
    )
    assert answer.status_code == 422
    assert text_of(answer.text, "error-line_4_article") == "No active item has this article or code."
    answer = submit(
        admin_client,
        f"{ORDERS}/new",
        {
            "rows": "8",
            "contractor_id": str(data.contractor_id),
            "warehouse_id": str(data.main_id),
            "line_2_article": "OIL-15W40",
            "line_2_quantity": "1",
        },
    )
    assert answer.status_code == 422
    assert "has no price of the price type" in text_of(answer.text, "error-line_2_price")
    assert counts(core_db, CustomerOrder) == before


def test_approving_needs_the_permission_and_the_token(client, core_db, admin, data):
    add_user(core_db, "buyer", "purchaser")
    log_in(client, "buyer")
    with core_db.transaction() as s:
        from dealerhub.core import sales

        order = sales.create_customer_order(
            s,
            user_id=admin,
            partner_id=data.dealer_id,
            contractor_id=data.contractor_id,
            warehouse_id=data.main_id,
            lines=[sales.OrderLineInput(data.filter_id, D(1))],
        )
        sales.submit_customer_order(s, order.id, user_id=admin)
        order_id = order.id
    page = client.get(f"{ORDERS}/{order_id}").text
    assert text_of(page, "document-status") == "Submitted" and "action-approve" not in page
    before = counts(core_db)
    assert submit(client, f"{ORDERS}/{order_id}/approve").status_code == 403
    assert client.post(f"{ORDERS}/{order_id}/approve", data={}).status_code == 403
    assert counts(core_db) == before


def test_a_draft_order_is_edited_and_priced_again(admin_client, core_db, data):
    order_id = _order(admin_client, data, ("FL-100.20", "1", ""))
    form = admin_client.get(f"{ORDERS}/{order_id}/edit").text
    assert 'value="FL-100.20"' in form and 'value="1172.78"' in form
    answer = submit(
        admin_client,
        f"{ORDERS}/{order_id}/edit",
        {
            "rows": "11",
            "warehouse_id": str(data.main_id),
            "comment": "Call before delivery",
            "line_1_article": "FL-100.20",
            "line_1_quantity": "3",
            "line_2_article": "OIL-15W40",
            "line_2_quantity": "2",
            "line_2_price": "400",
        },
    )
    assert answer.headers["location"] == f"{ORDERS}/{order_id}?notice=saved"
    with core_db.session() as s:
        order = s.get(CustomerOrder, order_id)
        assert order.comment == "Call before delivery"
        assert [(ln.item_id, ln.quantity, ln.price) for ln in order.lines] == [
            (data.filter_id, D(3), D("1172.78")),
            (data.oil_id, D(2), D(400)),
        ]
    submit(admin_client, f"{ORDERS}/{order_id}/submit")
    assert admin_client.get(f"{ORDERS}/{order_id}/edit").status_code == 409


def test_withdrawing_the_approval_releases_the_reservations(admin_client, core_db, data):
    order_id = _approved_order(admin_client, data)
    page = admin_client.get(submit(admin_client, f"{ORDERS}/{order_id}/unapprove").headers["location"]).text
    assert text_of(page, "document-status") == "Awaiting moderation"
    number = text_of(page, "document-title").split()[2]
    assert [row[3:] for row in cells(table_rows(page, "reservation-moves"))] == [
        ["5", "reserved", number],
        ["10.5", "reserved", number],
        ["-5", "released", number],
        ["-10.5", "released", number],
    ]
    assert balance(core_db, data.filter_id, data.main_id) == (D(12), D(0), D(12))
    assert audit_actions(core_db, "customer_order", order_id)[-1] == (
        "unapprove",
        "approved",
        "awaiting_moderation",
    )


def test_a_picking_task_is_posted_and_unposted(admin_client, core_db, data):
    order_id = _approved_order(admin_client, data)
    task_id = doc_id_from(submit(admin_client, f"{ORDERS}/{order_id}/picking-task"))
    page = admin_client.get(f"{TASKS}/{task_id}?notice=created").text
    assert table_rows(page, "document-lines") == [
        ["1", "FL-100.20", "Oil filter", "5"],
        ["2", "OIL-15W40", "Engine oil", "10.5"],
    ]
    page = admin_client.get(submit(admin_client, f"{TASKS}/{task_id}/post").headers["location"]).text
    assert text_of(page, "document-status") == "Posted"
    assert table_rows(page, "reservation-moves") == [
        ["No reservation moves."]
    ]  # the order's reservation covers it
    assert text_of(admin_client.get(f"{ORDERS}/{order_id}").text, "document-status") == "Picking"
    page = admin_client.get(submit(admin_client, f"{TASKS}/{task_id}/unpost").headers["location"]).text
    assert text_of(page, "document-status") == "Draft"
    assert text_of(admin_client.get(f"{ORDERS}/{order_id}").text, "document-status") == "Approved"
    assert audit_actions(core_db, "picking_task", task_id) == [
        ("create", None, "draft"),
        ("post", "draft", "posted"),
        ("unpost", "posted", "draft"),
    ]


def test_a_customer_return_is_unposted(admin_client, core_db, data):
    _order_id, _task_id, sale_id = _sold(admin_client, core_db, data)
    sale_lines = _line_ids(core_db, Sale, sale_id)
    return_id = doc_id_from(
        submit(
            admin_client,
            f"{SALES}/{sale_id}/return",
            {"warehouse_id": str(data.main_id), "reason": "Wrong oil", f"qty_{sale_lines[1]}": "2.5"},
        )
    )
    submit(admin_client, f"{RETURNS}/{return_id}/post")
    page = admin_client.get(submit(admin_client, f"{RETURNS}/{return_id}/unpost").headers["location"]).text
    assert text_of(page, "document-status") == "Draft"
    assert stock_moves(core_db, "customer_return", return_id) == [
        (data.oil_id, data.main_id, D("2.5"), False),
        (data.oil_id, data.main_id, D("-2.5"), True),
    ]


def test_a_refusal_of_the_sales_area_is_in_russian_on_a_russian_page(client, core_db, data):
    add_user(core_db, "ru_manager", "administrator", language="ru")
    log_in(client, "ru_manager")
    order_id = _order(client, data, ("FL-100.20", "1", ""))
    submit(client, f"{ORDERS}/{order_id}/submit")
    before = counts(core_db)
    answer = submit(client, f"{ORDERS}/{order_id}/reject", {"reason": " "})
    assert answer.status_code == 422
    assert text_of(answer.text, "document-error-message") == "чтобы отклонить заказ, укажите причину для дилера"
    assert counts(core_db) == before


def test_an_order_on_a_warehouse_closed_for_sale_is_refused_in_russian(client, core_db, data):
    add_user(core_db, "ru_manager", "administrator", language="ru")
    log_in(client, "ru_manager")
    before = counts(core_db)
    form = {"rows": "8", "contractor_id": str(data.contractor_id), "warehouse_id": str(data.defect_id)}
    form.update({"line_1_article": "FL-100.20", "line_1_quantity": "1", "line_1_price": ""})
    answer = submit(client, f"{ORDERS}/new", form)
    assert answer.status_code == 422
    assert "склад DEF (Брак) закрыт для продажи" in answer.text
    assert counts(core_db) == before
