"""The reconciliation statement across a period boundary (opening = the previous period's closing),
its PDF text and XLSX cells; the sale document's PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from dealerhub.core import printouts, sales, settlements
from dealerhub.shared import clock
from tests.printouts.builders import ordered, shipped
from tests.printouts.test_invoice import pdf_text

D = Decimal


def _pay(db, o, amount, on, *, unpost=False):
    with db.transaction() as s:
        p = settlements.create_incoming_payment(
            s, user_id=None, contractor_id=o.world.contractor_id, amount=amount, paid_on=on, bank_reference="п/п 1"
        )
        settlements.post_incoming_payment(s, p.id, user_id=None)
        if unpost:
            settlements.unpost_incoming_payment(s, p.id, user_id=None)
        return p.number


@pytest.fixture
def history(core_db):
    """Sale 31.03 (5 403,61), payment 31.03 (2 000), payment 01.04 (3 000), return 02.04 of one
    ART-1 (1 234,56), a payment of 03.04 posted and unposted (nets to nothing)."""
    o = ordered(core_db)
    sale_id = shipped(core_db, o)
    p1 = _pay(core_db, o, "2000.00", date(2026, 3, 31))
    p2 = _pay(core_db, o, "3000.00", date(2026, 4, 1))
    clock.freeze(datetime(2026, 4, 2, 15, 0, tzinfo=UTC))
    with core_db.transaction() as s:
        sale = sales.get_sale(s, sale_id)
        ret = sales.create_customer_return(
            s, sale_id, user_id=None, warehouse_id=o.world.warehouse_id, reason="брак",
            lines={sale.lines[0].id: D(1)},
        )
        sales.post_customer_return(s, ret.id, user_id=None)
        numbers = {"sale": sale.number, "return": ret.number, "p1": p1, "p2": p2}
    _pay(core_db, o, "999.00", date(2026, 4, 3), unpost=True)
    return o, sale_id, numbers


def test_the_statement_arithmetic_across_the_period_boundary(core_db, history):
    o, _sale_id, n = history
    with core_db.session() as s:
        march = settlements.reconciliation(s, o.world.contractor_id, date(2026, 3, 1), date(2026, 3, 31))
        april = settlements.reconciliation(s, o.world.contractor_id, date(2026, 4, 1), date(2026, 4, 30))
        both = settlements.reconciliation(s, o.world.contractor_id, date(2026, 3, 1), date(2026, 4, 30))
        at_march_end = settlements.contractor_balance(s, o.world.contractor_id, date(2026, 3, 31))
    # A payment carries its day only (00:00): it comes before the sale of 10:00 that day.
    assert [(ln.on, ln.document_number, ln.debit, ln.credit) for ln in march.lines] == [
        (date(2026, 3, 31), n["p1"], D(0), D("2000.00")),
        (date(2026, 3, 31), n["sale"], D("5403.61"), D(0)),
    ]
    assert (march.opening, march.debit_turnover, march.credit_turnover, march.closing) == (
        D(0), D("5403.61"), D("2000.00"), D("3403.61")
    )
    assert at_march_end == march.closing == april.opening == D("3403.61")
    assert [(ln.on, ln.document_number, ln.debit, ln.credit) for ln in april.lines] == [
        (date(2026, 4, 1), n["p2"], D(0), D("3000.00")),
        (date(2026, 4, 2), n["return"], D(0), D("1234.56")),
    ]  # the payment posted and unposted on 03.04 nets to nothing and is not listed
    assert (april.debit_turnover, april.credit_turnover, april.closing) == (D(0), D("4234.56"), D("-830.95"))
    assert both.opening == D(0) and both.closing == april.closing
    assert (both.debit_turnover, both.credit_turnover) == (D("5403.61"), D("6234.56"))


def test_a_period_ending_before_it_starts_is_refused(core_db, history):
    o, _, _ = history
    with core_db.session() as s, pytest.raises(settlements.InvalidPeriod):
        settlements.reconciliation(s, o.world.contractor_id, date(2026, 4, 2), date(2026, 4, 1))


def test_the_statement_pdf_text(core_db, history):
    o, _, n = history
    with core_db.session() as s:
        text = pdf_text(printouts.statement_pdf(s, o.world.contractor_id, date(2026, 4, 1), date(2026, 4, 30)))
    for expected in (
        "Акт сверки взаимных расчётов",
        "за период с 01.04.2026 по 30.04.2026",
        "Сальдо начальное",
        "3 403,61",
        f"Оплата от покупателя № {n['p2']} от 01.04.2026",
        "3 000,00",
        f"Возврат товаров от покупателя № {n['return']} от 02.04.2026",
        "1 234,56",
        "4 234,56",
        "830,95",
        "задолженность ООО «Техимпорт Дистрибуция» перед ООО «Стройтехника» составляет 830,95 руб.",
    ):
        assert expected in " ".join(text.split()), expected


def test_the_statement_xlsx_cells(core_db, history):
    o, _, n = history
    with core_db.session() as s:
        data = printouts.statement_workbook(s, o.world.contractor_id, date(2026, 4, 1), date(2026, 4, 30))
    ws = load_workbook(BytesIO(data)).active
    rows = [tuple(c.value for c in row) for row in ws.iter_rows(min_row=5, max_row=10, max_col=4)]
    assert rows == [
        ("Дата", "Документ", "Дебет", "Кредит"),
        (None, "Сальдо начальное", 3403.61, None),
        (datetime(2026, 4, 1), f"Оплата от покупателя № {n['p2']} от 01.04.2026", None, 3000),
        (datetime(2026, 4, 2), f"Возврат товаров от покупателя № {n['return']} от 02.04.2026", None, 1234.56),
        (None, "Обороты за период", 0, 4234.56),
        (None, "Сальдо конечное", None, 830.95),
    ]
    assert ws["C6"].number_format == "#,##0.00"
    assert ws["A12"].value.endswith("составляет 830,95 руб.")


def test_the_sale_document_pdf(core_db, history):
    o, sale_id, n = history
    with core_db.session() as s:
        doc, data = printouts.sale_pdf(s, sale_id)
    assert (doc.totals.amount, doc.totals.vat) == (D("5403.61"), D("824.85"))
    text = " ".join(pdf_text(data).split())
    for expected in (
        f"Реализация товаров № {n['sale']} от 31 марта 2026 г.",
        f"Заказ клиента № {o.order_number}",
        "3 703,68", "617,28", "116,66", "90,91", "5 403,61",
        "Пять тысяч четыреста три рубля 61 копейка",
    ):
        assert expected in text, expected


def test_only_a_posted_sale_is_printed(core_db, history):
    _o, sale_id, _ = history
    with core_db.transaction() as s:
        for ret_id in [r.id for r in sales.list_customer_returns(s, sale_id)]:
            sales.unpost_customer_return(s, ret_id, user_id=None)
        sales.unpost_sale(s, sale_id, user_id=None)
    with core_db.session() as s, pytest.raises(printouts.NoSaleDocument):
        printouts.build_sale_document(s, sale_id)
