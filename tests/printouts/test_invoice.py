"""The invoice for payment: lines, VAT rounded per line, totals, the amount in words, the exact GOST
R 56042-2014 QR payload, its status from payments, and the text of its PDF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import segno
from pypdf import PdfReader

from dealerhub.core import printouts, sales, settlements
from dealerhub.core.company import OwnCompanyNotSet
from dealerhub.core.printouts.lines import GoodsLine, totals
from tests.printouts.builders import ordered

D = Decimal


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_the_invoice_lines_totals_and_vat(core_db):
    o = ordered(core_db)
    with core_db.session() as s:
        inv = printouts.build_invoice(s, o.order_id)
    assert inv.number == o.order_number
    assert inv.on == date(2026, 3, 31)
    assert [(ln.no, ln.article, ln.name, ln.quantity, ln.price, ln.amount, ln.vat_rate, ln.vat_amount)
            for ln in inv.lines] == [
        (1, "ART-1", "Фильтр 1", D(3), D("1234.56"), D("3703.68"), D(20), D("617.28")),
        (2, "ART-2", "Фильтр 2", D(7), D("99.99"), D("699.93"), D(20), D("116.66")),  # 116.655 half up
        (3, "ART-3", "Фильтр 3", D(2), D("500.00"), D("1000.00"), D(10), D("90.91")),  # 90.909...
    ]
    assert inv.totals.amount == D("5403.61")
    assert inv.totals.vat_by_rate == ((D(20), D("733.94")), (D(10), D("90.91")))
    assert inv.totals.vat == D("824.85")
    assert inv.totals.without_vat == D("4578.76")
    assert inv.totals.in_words == "Пять тысяч четыреста три рубля 61 копейка"
    assert (inv.buyer.name, inv.seller.name) == ("ООО «Стройтехника»", "ООО «Техимпорт Дистрибуция»")


def test_vat_is_rounded_per_line_not_on_the_total():
    lines = [GoodsLine(n, "A", "x", "шт", D(1), D("0.03"), D("0.03"), D(20), D("0.01")) for n in (1, 2)]
    # 0.03 * 20 / 120 = 0.005 -> 0.01 per line; the total's 0.06 would give 0.01.
    assert totals(lines).vat == D("0.02")


def test_the_exact_qr_payload(core_db):
    o = ordered(core_db)
    with core_db.session() as s:
        inv = printouts.build_invoice(s, o.order_id)
    assert inv.qr_payload == (
        "ST00012|Name=ООО «Техимпорт Дистрибуция»|PersonalAcc=40702810200000012345|BankName=ПАО Сбербанк"
        "|BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=7704123450|KPP=770401001|Sum=540361"
        f"|Purpose=Оплата по счёту № {o.order_number} от 31.03.2026, в т.ч. НДС 20% 733,94 руб., "
        "НДС 10% 90,91 руб."
    )
    # The QR code segno makes carries exactly that text (UTF-8, as "ST0001**2**" announces).
    code = segno.make(inv.qr_payload, error="m", encoding="utf-8")
    assert code.error in ("M", "Q", "H")
    assert inv.qr_data_uri().startswith("data:image/svg+xml")


def test_the_payload_keeps_the_separator_out_of_values():
    payee = printouts.Payee("A|B", "1", "Bank", "044525225", "2", "7704123450", None)
    assert printouts.payment_payload(payee, D("1.50"), "x | y") == (
        "ST00012|Name=A B|PersonalAcc=1|BankName=Bank|BIC=044525225|CorrespAcc=2|PayeeINN=7704123450"
        "|Sum=150|Purpose=x y"
    )


def test_status_follows_posted_payments_against_the_invoice(core_db):
    o = ordered(core_db)

    def status():
        with core_db.session() as s:
            return printouts.build_invoice(s, o.order_id).status, [
                i.status for i in printouts.dealer_invoices(s, o.world.partner_id)
            ]

    assert status() == ("unpaid", ["unpaid"])
    ids = []
    for amount in ("5000.00", "403.61"):
        with core_db.transaction() as s:
            p = settlements.create_incoming_payment(
                s, user_id=None, contractor_id=o.world.contractor_id, amount=amount, paid_on=date(2026, 4, 1),
                bank_reference="п/п 77", customer_order_id=o.order_id,
            )
            settlements.post_incoming_payment(s, p.id, user_id=None)
            ids.append(p.id)
        if len(ids) == 1:
            assert status() == ("partly_paid", ["partly_paid"])
    assert status() == ("paid", ["paid"])
    with core_db.transaction() as s:
        settlements.unpost_incoming_payment(s, ids[1], user_id=None)
    assert status() == ("partly_paid", ["partly_paid"])


def test_the_invoice_pdf_text(core_db):
    o = ordered(core_db)
    with core_db.session() as s:
        _inv, data = printouts.invoice_pdf(s, o.order_id)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in (
        f"Счёт на оплату № {o.order_number} от 31 марта 2026 г.",
        "ООО «Техимпорт Дистрибуция»",
        "044525225",
        "40702810200000012345",
        "30101810400000000225",
        "ООО «Стройтехника»",
        "3 703,68",
        "617,28",
        "116,66",
        "90,91",
        "5 403,61",
        "В том числе НДС 20%:",
        "733,94",
        "Пять тысяч четыреста три рубля 61 копейка",
    ):
        assert expected in text, expected


def test_no_invoice_for_a_draft_order_nor_without_the_distributors_details(core_db):
    o = ordered(core_db, company=False)
    with core_db.session() as s, pytest.raises(OwnCompanyNotSet):
        printouts.build_invoice(s, o.order_id)
    with core_db.transaction() as s:
        sales.unapprove_customer_order(s, o.order_id, user_id=o.world.manager_id)
    with core_db.session() as s, pytest.raises(printouts.NoInvoice):
        printouts.build_invoice(s, o.order_id)
