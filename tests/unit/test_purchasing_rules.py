"""Pure rules of purchasing and inventory: currencies and rates, amounts and their rounding, the
supplier order's status from its receipts, over-receipts, and the moves corrections and transfers write."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from dealerhub.core.inventory import rules as inv
from dealerhub.core.inventory.errors import ReasonRequired, SameWarehouse, UnknownCorrectionKind
from dealerhub.core.purchasing import rules
from dealerhub.core.purchasing.errors import InvalidExchangeRate, InvalidPrice, UnknownCurrency
from dealerhub.core.stock import Move


@pytest.mark.parametrize(
    ("currency", "rate", "expected"),
    [
        ("CNY", "12.345678", ("CNY", D("12.345678"))),
        (" usd ", 92, ("USD", D(92))),
        ("RUB", "1.000", ("RUB", D(1))),
    ],
)
def test_accepted_currencies_and_rates(currency, rate, expected):
    assert rules.check_currency(currency, rate) == expected


@pytest.mark.parametrize(
    ("currency", "rate", "error"),
    [
        ("EUR", "100", UnknownCurrency),
        ("", "1", UnknownCurrency),
        ("RUB", "2", InvalidExchangeRate),
        ("USD", "0", InvalidExchangeRate),
        ("USD", "-1", InvalidExchangeRate),
        ("USD", "90.0000001", InvalidExchangeRate),
        ("USD", "ninety", InvalidExchangeRate),
        ("USD", "NaN", InvalidExchangeRate),
    ],
)
def test_refused_currencies_and_rates(currency, rate, error):
    with pytest.raises(error):
        rules.check_currency(currency, rate)


def test_floats_are_refused_everywhere():
    with pytest.raises(TypeError):
        rules.check_currency("USD", 90.5)
    with pytest.raises(TypeError):
        rules.check_price(1.1, 1)


def test_prices():
    assert rules.check_price("1999.99", 1) == D("1999.99")
    assert rules.check_price(0, 1) == D(0)
    with pytest.raises(InvalidPrice, match="line 2: the price must not be negative"):
        rules.check_price("-0.01", 2)
    with pytest.raises(InvalidPrice, match="more than 2 decimal places"):
        rules.check_price("1.005", 3)


@pytest.mark.parametrize(
    ("quantity", "price", "amount"),
    [
        ("3", "1999.99", "5999.97"),
        ("2.125", "10.01", "21.27"),  # 21.27125
        ("1.5", "0.55", "0.83"),  # 0.825: half up
        ("0.333", "10.01", "3.33"),  # 3.33333
    ],
)
def test_line_amount_is_rounded_half_up_to_the_cent(quantity, price, amount):
    assert rules.line_amount(D(quantity), D(price)) == D(amount)


def test_rouble_amounts_are_converted_per_line_then_summed():
    assert rules.amount_in_roubles(D("0.05"), D("12.5")) == D("0.63")  # 0.625: half up
    # Per line 0.63 + 0.63; the total converted at once would be 1.25.
    assert rules.document_totals([D("0.05"), D("0.05")], D("12.5")) == rules.Totals(D("0.10"), D("1.26"))
    assert rules.document_totals([], D(1)) == rules.Totals(D(0), D(0))


@pytest.mark.parametrize(
    ("lines", "status"),
    [
        ([(D(10), D(0)), (D(4), D(0))], "confirmed"),
        ([(D(10), D(6)), (D(4), D(0))], "partially_received"),
        ([(D(10), D(10)), (D(4), D(3))], "partially_received"),
        ([(D(10), D(10)), (D(4), D(4))], "received"),
        ([(D("2.5"), D("2.5"))], "received"),
    ],
)
def test_supplier_order_status_follows_what_was_received(lines, status):
    assert rules.order_status_from_receipts(lines) == status


def test_remaining_and_over_receipts():
    assert rules.remaining_quantity(D(10), D(4)) == D(6)
    assert rules.remaining_quantity(D(10), D(12)) == D(0)
    over = rules.find_over_receipts({7: D(3), 5: D(2), 9: D(1)}, {5: D(2), 7: D(2)})
    assert over == [rules.OverReceiptLine(7, D(3), D(2)), rules.OverReceiptLine(9, D(1), D(0))]
    assert rules.find_over_receipts({5: D(2)}, {5: D(2)}) == []


def test_correction_moves():
    lines = [(11, 1, D(2)), (12, 2, D("0.5"))]
    assert inv.correction_moves("surplus", 7, lines) == [Move(1, 7, D(2), 11), Move(2, 7, D("0.5"), 12)]
    assert inv.correction_moves("write_off", 7, lines) == [Move(1, 7, D(-2), 11), Move(2, 7, D("-0.5"), 12)]
    assert inv.correction_moves("surplus", 7, lines, reverse=True) == inv.correction_moves("write_off", 7, lines)
    assert inv.correction_moves("write_off", 7, lines, reverse=True) == inv.correction_moves("surplus", 7, lines)


def test_transfer_moves():
    lines = [(11, 1, D(3))]
    assert inv.transfer_moves(4, 5, lines) == [Move(1, 4, D(-3), 11), Move(1, 5, D(3), 11)]
    assert inv.transfer_moves(4, 5, lines, reverse=True) == [Move(1, 5, D(-3), 11), Move(1, 4, D(3), 11)]
    with pytest.raises(SameWarehouse):
        inv.check_transfer_warehouses(4, 4)
    inv.check_transfer_warehouses(4, 5)


def test_correction_kind_and_reason():
    assert inv.check_kind("write_off") == "write_off"
    with pytest.raises(UnknownCorrectionKind):
        inv.check_kind("writeoff")
    assert inv.check_reason("  found in bin A-3 ") == "found in bin A-3"
    for blank in ("", "   ", None):
        with pytest.raises(ReasonRequired):
            inv.check_reason(blank)
    assert inv.check_reason("  ", required=False) is None
    with pytest.raises(ReasonRequired):
        inv.check_reason("x" * 501)


def test_a_refused_rate_reads_in_russian():
    from dealerhub.web.i18n import Translations

    ru = Translations(["ru", "en"], "ru").get("ru")
    with pytest.raises(InvalidExchangeRate) as refused:
        rules.check_currency("RUB", "2")
    assert str(refused.value) == "a document in RUB has the exchange rate 1, got 2"
    assert refused.value.message.localized(ru) == "у документа в рублях курс равен 1, указано 2"
    with pytest.raises(InvalidExchangeRate) as refused:
        rules.check_currency("USD", "abc")
    assert refused.value.message.startswith("exchange rate: ")  # the inventory's words, kept as they are
