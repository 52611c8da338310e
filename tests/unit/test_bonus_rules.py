"""The bonus arithmetic without a database: periods, tiers and their boundaries, the status
("buy X more to reach Y %"), the cap and the spreading of bonus over lines to the kopeck."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dealerhub.core.bonus.rules import (
    LineToLower,
    Period,
    Tier,
    accrual,
    drop,
    order_cap,
    parse_period,
    period_of,
    periods_between,
    spread,
    tier_status,
    tiers_problem,
)

D = Decimal
TIERS = [Tier(D("100000.00"), D("3")), Tier(D("500000.00"), D("5")), Tier(D("1000000.00"), D("7"))]


def test_periods_are_calendar_months_quarters_and_years():
    assert period_of("month", date(2026, 2, 14)) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert period_of("quarter", date(2026, 9, 30)) == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert period_of("quarter", date(2026, 10, 1)) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert period_of("year", date(2024, 2, 29)) == Period(date(2024, 1, 1), date(2024, 12, 31))
    assert [p.label("quarter") for p in periods_between("quarter", date(2025, 11, 5), date(2026, 4, 1))] == [
        "2025-Q4", "2026-Q1", "2026-Q2",
    ]


def test_parse_period():
    assert parse_period("2026-q3") == ("quarter", Period(date(2026, 7, 1), date(2026, 9, 30)))
    assert parse_period("2026-02") == ("month", Period(date(2026, 2, 1), date(2026, 2, 28)))
    assert parse_period("2025") == ("year", Period(date(2025, 1, 1), date(2025, 12, 31)))
    for bad in ("2026-13", "2026-Q5", "Q3", ""):
        with pytest.raises(ValueError):
            parse_period(bad)


@pytest.mark.parametrize(
    ("turnover", "percent", "bonus"),
    [
        ("99999.99", "0", "0.00"),  # just below the first threshold
        ("100000.00", "3", "3000.00"),  # exactly at it
        ("499999.99", "3", "15000.00"),  # 14999.9997 -> half up
        ("500000.00", "5", "25000.00"),
        ("1000000.00", "7", "70000.00"),
        ("1234567.89", "7", "86419.75"),  # 86419.7523
    ],
)
def test_the_tier_reached_pays_its_percent_of_the_whole_turnover(turnover, percent, bonus):
    assert accrual(TIERS, D(turnover)) == (D(percent), D(bonus))


def test_status_says_how_much_more_to_buy_for_the_next_tier():
    status = tier_status(TIERS, D("420000.50"))
    assert (status.percent, status.next_threshold, status.next_percent, status.missing, status.bonus_now) == (
        D("3"), D("500000.00"), D("5"), D("79999.50"), D("12600.02"),
    )
    top = tier_status(TIERS, D("1000000.00"))
    assert (top.percent, top.next_threshold, top.missing) == (D("7"), None, None)
    none_yet = tier_status(TIERS, D("0"))
    assert (none_yet.percent, none_yet.next_percent, none_yet.missing) == (D("0"), D("3"), D("100000.00"))


def test_tiers_must_rise():
    assert tiers_problem([]) == "a turnover program needs at least one tier"
    assert tiers_problem([Tier(D(100), D(5)), Tier(D(200), D(5))]) == "a higher threshold must give a higher percent"
    assert tiers_problem([Tier(D(100), D(5)), Tier(D(100), D(6))]) == "two tiers have the same threshold"
    assert tiers_problem([Tier(D("100.001"), D(5))]) == "threshold 100.001 must be non-negative, in kopecks at most"
    assert tiers_problem(TIERS) is None


def test_cap_rounds_down_to_kopecks():
    assert order_cap(D("1000.05"), D("30")) == D("300.01")  # 300.015
    assert order_cap(D("99.99"), D("33.33")) == D("33.32")  # 33.326667


def _lines(*specs):
    return [LineToLower(no, D(q), D(p)) for no, (q, p) in enumerate(specs, start=1)]


def test_spread_in_proportion_lands_exactly_on_the_kopeck():
    lines = _lines(("3", "100.00"), ("1", "250.00"), ("7", "10.01"))  # 300 + 250 + 70.07 = 620.07
    units = spread(D("100.00"), lines)
    assert sum(drop(ln, units.get(ln.line_no, D(0))) for ln in lines) == D("100.00")
    # shares 48.38 / 40.31 / 11.30 rounded down per unit: 3 x 16.12 + 40.31 + 7 x 1.61 = 99.94;
    # the 0.06 left falls on the line of one unit (the smallest quantity)
    assert units == {1: D("16.12"), 2: D("40.37"), 3: D("1.61")}


def test_spread_without_a_line_of_one_unit_may_stop_short_by_less_than_a_kopeck_a_unit():
    lines = _lines(("3", "100.00"), ("3", "50.00"))
    units = spread(D("10.00"), lines)
    dropped = sum(drop(ln, units[ln.line_no]) for ln in lines)
    assert dropped == D("9.99")  # 3 x 2.22 + 3 x 1.11; one more kopeck a unit would drop 0.03 more
    assert units == {1: D("2.22"), 2: D("1.11")}


def test_spread_of_fractional_quantities_counts_the_rounded_amounts():
    lines = _lines(("2.5", "33.33"), ("1", "10.00"))  # 83.33 (83.325 half up) + 10.00
    units = spread(D("9.33"), lines)
    assert sum(drop(ln, units[ln.line_no]) for ln in lines) == D("9.33")


def test_spread_never_lowers_a_price_below_zero():
    lines = _lines(("1", "0.05"), ("1", "100.00"))
    units = spread(D("100.05"), lines)
    assert units == {1: D("0.05"), 2: D("100.00")}
    assert spread(D("0"), lines) == {}
