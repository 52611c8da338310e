"""The carts' pure rules: quantities as typed, pasted quick-order text, expiry, fingerprints."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from dealerhub.core.carts import rules
from dealerhub.core.carts.errors import InvalidCartInput
from dealerhub.core.carts.rules import PastedLine, RowProblem

D = Decimal


@pytest.mark.parametrize(("text", "value"), [("2", D(2)), ("1,5", D("1.5")), (" 0.250 ", D("0.250")), ("1 000", D(1000))])
def test_quantities_as_dealers_type_them(text, value):
    assert rules.parse_quantity(text) == value


@pytest.mark.parametrize("text", ["", "two", "1.2.3", "1e3", "NaN", "--1"])
def test_not_a_quantity(text):
    with pytest.raises(InvalidCartInput):
        rules.parse_quantity(text)


def test_quantity_problems_by_unit():
    assert rules.quantity_problem(D("1.5"), 0, "pcs") == "1.5 pcs: this item is sold in whole pcs only"
    assert rules.quantity_problem(D("-1"), 3, "l") == "quantity must be positive, got -1"
    assert rules.quantity_problem(D("1.25"), 3, "l") is None
    assert rules.quantity_problem(D("1.2345"), 3, "l") == "1.2345 l: at most 3 decimal places"


def test_pasted_lines_with_tabs_semicolons_and_spaces():
    text = "Article;Qty\n6I-2503\t4\n\n6i 2503 2\noil.15w40; 1,5\nFL-1\nFL-2 two\n"
    lines, problems = rules.split_pasted(text)
    assert lines == [
        PastedLine(2, "6I-2503", "4"),
        PastedLine(4, "6i 2503", "2"),
        PastedLine(5, "oil.15w40", "1,5"),
    ]
    assert problems == [
        RowProblem(6, "FL-1", "no quantity: write the article, then the quantity"),
        RowProblem(7, "FL-2 two", "quantity «two» is not a number"),
    ]


def test_a_first_line_with_a_bad_quantity_is_not_taken_for_a_header():
    lines, problems = rules.split_pasted("6I-2503 two\nFL-1 2\n")
    assert lines == [PastedLine(2, "FL-1", "2")]
    assert problems == [RowProblem(1, "6I-2503 two", "quantity «two» is not a number")]
    assert rules.split_pasted("Артикул Количество\nFL-1 2\n") == ([PastedLine(2, "FL-1", "2")], [])


def test_expiry_is_the_lifetime_but_not_past_the_agreement():
    now = datetime(2026, 11, 28, 9, tzinfo=UTC)
    assert rules.reservation_expiry(now, 72, None) == datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert rules.reservation_expiry(now, 72, date(2026, 11, 29)) == datetime(2026, 11, 30, tzinfo=UTC)


def test_fingerprint_carries_the_version_and_changes_with_the_figures():
    a = rules.fingerprint(7, {"lines": [[1, D("2")]]})
    assert rules.fingerprint_version(a) == 7
    assert a == rules.fingerprint(7, {"lines": [[1, D("2.000")]]})  # the same figure however it is scaled
    assert a != rules.fingerprint(7, {"lines": [[1, D("3")]]})
    assert rules.fingerprint_version("garbage") is None
