"""Price resolution without a database: validity dates, discount precedence, rounding, VAT."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dealerhub.core.pricing.rules import (
    DiscountRule,
    ItemPlace,
    PersonalPrice,
    PricePeriod,
    applicable_discount,
    apply_discount,
    discount_problem,
    duplicate_discounts,
    line_amount,
    periods_overlap,
    personal_price_of,
    price_on,
    round_money,
    vat_included,
)

D = Decimal
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)

# Item 7 sits in group 30 ("Oil filters"), inside 20 ("Filters"), inside 10 ("Spare parts"); brand 5.
PLACE = ItemPlace(item_id=7, group_path=(30, 20, 10), brand_id=5)


# --- which price is valid on a date -------------------------------------------------------------

PERIODS = [
    PricePeriod(D("100.00"), JAN, date(2026, 1, 31)),
    PricePeriod(D("110.00"), FEB, None),
]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 12, 31), None),  # before the first price
        (JAN, D("100.00")),  # the first day counts
        (date(2026, 1, 31), D("100.00")),  # valid_to is inclusive
        (FEB, D("110.00")),  # the next one starts
        (date(2030, 6, 1), D("110.00")),  # open end
    ],
)
def test_price_on_respects_validity_boundaries(on, expected):
    assert price_on(PERIODS, on) == expected


def test_a_gap_between_periods_has_no_price():
    periods = [PricePeriod(D("1"), JAN, date(2026, 1, 10)), PricePeriod(D("2"), FEB)]
    assert price_on(periods, date(2026, 1, 11)) is None
    assert price_on(periods, date(2026, 1, 10)) == D("1")


def test_the_latest_start_wins_when_periods_cover_the_same_day():
    periods = [PricePeriod(D("1"), JAN), PricePeriod(D("2"), FEB), PricePeriod(D("3"), MAR, date(2026, 3, 5))]
    assert price_on(periods, date(2026, 2, 15)) == D("2")
    assert price_on(periods, date(2026, 3, 5)) == D("3")
    # After the short March price ends, the latest period still covering the day is February's.
    assert price_on(periods, date(2026, 3, 6)) == D("2")


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((JAN, date(2026, 1, 31)), (FEB, None), False),
        ((JAN, FEB), (FEB, None), True),  # both ends inclusive: one shared day
        ((JAN, None), (MAR, date(2026, 3, 2)), True),
        ((FEB, date(2026, 2, 10)), (JAN, date(2026, 1, 31)), False),
        ((JAN, None), (date(2020, 1, 1), None), True),
        ((MAR, None), (JAN, date(2026, 2, 28)), False),
    ],
)
def test_periods_overlap(a, b, overlap):
    assert periods_overlap(*a, *b) is overlap
    assert periods_overlap(*b, *a) is overlap


# --- which discount applies -----------------------------------------------------------------------

ALL_5 = DiscountRule("all", D(5))
BRAND_7 = DiscountRule("brand", D(7), 5)
ROOT_8 = DiscountRule("group", D(8), 10)
FILTERS_10 = DiscountRule("group", D(10), 20)
OIL_12 = DiscountRule("group", D(12), 30)
ITEM_15 = DiscountRule("item", D(15), 7)


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ([], D(0)),
        ([ALL_5], D(5)),
        ([ALL_5, BRAND_7], D(7)),  # brand beats all
        ([ALL_5, BRAND_7, ROOT_8], D(8)),  # a group (even the root) beats the brand
        ([ROOT_8, FILTERS_10], D(10)),  # the nearer ancestor beats the farther one
        ([FILTERS_10, ROOT_8, OIL_12], D(12)),  # the item's own group is nearest
        ([ALL_5, BRAND_7, FILTERS_10, OIL_12, ITEM_15], D(15)),  # the item beats everything
        ([ALL_5, DiscountRule("item", D(0), 7)], D(0)),  # a 0 % item discount exempts the item
        ([DiscountRule("brand", D(30), 6), ALL_5], D(5)),  # another brand doesn't apply
        ([DiscountRule("group", D(30), 99), ALL_5], D(5)),  # an unrelated group doesn't apply
        ([DiscountRule("item", D(30), 8)], D(0)),  # another item doesn't apply
    ],
)
def test_most_specific_discount_wins(rules, expected):
    assert applicable_discount(rules, PLACE) == expected


def test_a_brand_discount_never_applies_to_an_item_without_brand():
    assert applicable_discount([BRAND_7], ItemPlace(7, (30,), None)) == D(0)


def test_personal_price_is_the_valid_price_with_the_winning_discount():
    found = personal_price_of(PERIODS, [ALL_5, FILTERS_10], PLACE, date(2026, 2, 14))
    assert found == PersonalPrice(base_price=D("110.00"), price=D("99.00"), discount_percent=D(10))


def test_no_price_on_the_date_means_no_personal_price():
    assert personal_price_of(PERIODS, [ALL_5], PLACE, date(2025, 1, 1)) is None


# --- money ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (D("0.005"), D("0.01")),
        (D("0.004"), D("0.00")),
        (D("2.675"), D("2.68")),
        (D("-0.005"), D("-0.01")),
        (D("10"), D("10.00")),
    ],
)
def test_round_money_half_up_to_kopecks(value, rounded):
    assert round_money(value) == rounded
    assert round_money(value).as_tuple().exponent == -2


def test_discounted_price_is_rounded_half_up():
    # 99.99 less 12.5 % = 87.49125 -> 87.49 ; 0.10 less 5 % = 0.095 -> 0.10
    assert apply_discount(D("99.99"), D("12.5")) == D("87.49")
    assert apply_discount(D("0.10"), D(5)) == D("0.10")
    assert apply_discount(D("100"), D(100)) == D("0.00")


def test_vat_included_in_an_amount():
    assert vat_included(D("120.00"), D(20)) == D("20.00")
    assert vat_included(D("100.00"), D(20)) == D("16.67")  # 16.666...
    assert vat_included(D("110.00"), D(10)) == D("10.00")
    assert vat_included(D("99.00"), D(0)) == D("0.00")


def test_line_amount_is_quantity_times_price_in_kopecks():
    assert line_amount(D("3"), D("99.99")) == D("299.97")
    assert line_amount(D("1.235"), D("10.00")) == D("12.35")  # 12.35 exactly
    assert line_amount(D("0.333"), D("1.50")) == D("0.50")  # 0.4995 -> 0.50


# --- what an agreement may hold ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "ok"),
    [
        (DiscountRule("all", D(5)), True),
        (DiscountRule("all", D(5), 3), False),  # "all" takes no target
        (DiscountRule("group", D(5)), False),  # a group discount needs its group
        (DiscountRule("brand", D(0), 1), True),
        (DiscountRule("item", D(100), 1), True),
        (DiscountRule("item", D("100.01"), 1), False),
        (DiscountRule("item", D(-1), 1), False),
        (DiscountRule("item", D("1.005"), 1), False),  # more than 0.01 %
        (DiscountRule("model", D(5), 1), False),
    ],
)
def test_discount_problem(rule, ok):
    assert (discount_problem(rule) is None) is ok


def test_duplicate_discounts_are_found():
    rules = [ALL_5, FILTERS_10, DiscountRule("group", D(3), 20), DiscountRule("item", D(1), 20), ALL_5]
    assert duplicate_discounts(rules) == [("group", 20), ("all", None)]


def test_a_discount_problem_reads_in_russian():
    from dealerhub.web.i18n import Translations

    ru = Translations(["ru", "en"], "ru").get("ru")
    problem = discount_problem(DiscountRule("group", D(5)))
    assert problem == "a discount on a group needs its target"
    assert problem.localized(ru) == "для скидки по виду «группа» укажите объект"
