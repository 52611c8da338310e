"""The settlements' and printed documents' pure rules: the statement's netting, invoice status,
the default period, Russian money formats and amounts in words."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from dealerhub.core.printouts.words import amount_in_words, long_date, money, quantity
from dealerhub.core.settlements.rules import Entry, Statement, default_period, payment_status, statement_lines

D = Decimal


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 4, day, hour, tzinfo=UTC)


def test_statement_lines_net_a_documents_moves_per_day():
    entries = [
        Entry(_at(1), "sale", 1, "SL-1", D("100.00")),
        Entry(_at(1), "sale", 1, "SL-1", D("-100.00"), True),  # unposted
        Entry(_at(1), "sale", 1, "SL-1", D("120.00")),  # posted again, corrected
        Entry(_at(2, 0), "incoming_payment", 7, "IP-7", D("-50.00")),
        Entry(_at(2), "incoming_payment", 8, "IP-8", D("-30.00")),
        Entry(_at(2), "incoming_payment", 8, "IP-8", D("30.00"), True),  # nets to nothing
    ]
    lines = statement_lines(entries)
    assert [(ln.on, ln.document_number, ln.debit, ln.credit) for ln in lines] == [
        (date(2026, 4, 1), "SL-1", D("120.00"), D(0)),
        (date(2026, 4, 2), "IP-7", D(0), D("50.00")),
    ]
    st = Statement(date(2026, 4, 1), date(2026, 4, 30), D("-10.00"), lines)
    assert (st.debit_turnover, st.credit_turnover, st.closing) == (D("120.00"), D("50.00"), D("60.00"))


@pytest.mark.parametrize(
    ("total", "paid", "status"),
    [("100", "0", "unpaid"), ("100", "0.01", "partly_paid"), ("100", "100", "paid"), ("100", "150", "paid")],
)
def test_payment_status(total, paid, status):
    assert payment_status(D(total), D(paid)) == status


def test_the_default_period_starts_two_months_back():
    assert default_period(date(2026, 3, 31)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert default_period(date(2026, 1, 5)) == (date(2025, 11, 1), date(2026, 1, 5))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1.01", "Один рубль 01 копейка"),
        ("2.02", "Два рубля 02 копейки"),
        ("11.11", "Одиннадцать рублей 11 копеек"),
        ("21.00", "Двадцать один рубль 00 копеек"),
        ("1000000.50", "Один миллион рублей 50 копеек"),
        ("0.05", "Ноль рублей 05 копеек"),
    ],
)
def test_amount_in_words(value, words):
    assert amount_in_words(D(value)) == words


def test_russian_formats():
    assert money(D("1234567.5")) == "1 234 567,50"
    assert money(D("-0.5")) == "-0,50"
    assert quantity(D("4.000")) == "4" and quantity(D("1.250")) == "1,25"
    assert long_date(date(2026, 3, 1)) == "1 марта 2026 г."
