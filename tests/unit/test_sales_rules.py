"""The rules of the sales documents without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dealerhub.core.sales.rules import (
    CANCELLABLE,
    CLOSABLE,
    IN_MODERATION,
    PICKABLE,
    LineMoney,
    LineShipment,
    OrderLineProgress,
    despatch_problem,
    fits_unit,
    fulfilment_status,
    line_money,
    pickable,
    reservation_shortfall,
    returnable,
)

D = Decimal


@pytest.mark.parametrize(
    ("lines", "posted_task", "status"),
    [
        ([(5, 0), (3, 0)], False, "approved"),
        ([(5, 0), (3, 0)], True, "picking"),
        ([(5, 2), (3, 0)], True, "partially_shipped"),  # shipping something beats "picking"
        ([(5, 2), (3, 0)], False, "partially_shipped"),
        ([(5, 5), (3, 2)], False, "partially_shipped"),
        ([(5, 5), (3, 3)], False, "shipped"),
        ([(5, 5), (3, 3)], True, "shipped"),
    ],
)
def test_fulfilment_status(lines, posted_task, status):
    shipments = [LineShipment(D(o), D(s)) for o, s in lines]
    assert fulfilment_status(shipments, has_posted_task=posted_task) == status


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        # Nothing on tasks yet: the line's reservation plus the free stock, up to what is ordered.
        ({"ordered": 10, "shipped": 0, "claimed": 0, "reserved": 4, "free": 3}, 7),
        ({"ordered": 10, "shipped": 0, "claimed": 0, "reserved": 10, "free": 0}, 10),
        ({"ordered": 10, "shipped": 0, "claimed": 0, "reserved": 0, "free": 50}, 10),
        # A first task took 6 (covered by the reservation); what's left of the reserve is 4.
        ({"ordered": 10, "shipped": 0, "claimed": 6, "reserved": 10, "free": 0}, 4),
        # A draft task took more than the reserve: the rest must come from free stock.
        ({"ordered": 10, "shipped": 0, "claimed": 7, "reserved": 4, "free": 0}, 0),
        ({"ordered": 10, "shipped": 0, "claimed": 7, "reserved": 4, "free": 2}, 2),
        # Shipped goods are no longer reserved nor to pick.
        ({"ordered": 10, "shipped": 6, "claimed": 0, "reserved": 4, "free": 0}, 4),
        ({"ordered": 10, "shipped": 10, "claimed": 0, "reserved": 0, "free": 9}, 0),
        ({"ordered": 10, "shipped": 0, "claimed": 10, "reserved": 10, "free": 9}, 0),
    ],
)
def test_pickable(kw, expected):
    assert pickable(**{k: D(v) for k, v in kw.items()}) == D(expected)


def test_reservation_shortfall():
    assert reservation_shortfall(to_pick=D(7), reserved=D(4)) == D(3)
    assert reservation_shortfall(to_pick=D(4), reserved=D(7)) == D(0)


def test_despatch_problem():
    assert despatch_problem(D(5), D(5)) is None
    assert despatch_problem(D(5), D(0)) is None
    assert "more than" in despatch_problem(D(5), D(6))
    assert "negative" in despatch_problem(D(5), D(-1))


def test_returnable():
    assert returnable(D(5), D(0)) == D(5)
    assert returnable(D(5), D(2)) == D(3)
    assert returnable(D(5), D(5)) == D(0)


@pytest.mark.parametrize(
    ("quantity", "precision", "fits"),
    [
        (D(2), 0, True),
        (D("1.5"), 0, False),
        (D("1.500"), 0, False),
        (D("2.000"), 0, True),
        (D("1.25"), 3, True),
        (D("1.2345"), 3, False),
    ],
)
def test_fits_unit(quantity, precision, fits):
    assert fits_unit(quantity, precision) is fits


def test_line_money_includes_vat():
    assert line_money(D(3), D("33.33"), D(20)) == LineMoney(D("99.99"), D("16.67"))  # 16.665 -> 16.67
    assert line_money(D(1), D("100.00"), D(0)) == LineMoney(D("100.00"), D("0.00"))


def test_missing_is_what_is_neither_shipped_nor_reserved():
    line = OrderLineProgress(1, 1, 9, ordered=D(10), reserved=D(3), picked=D(5), shipped=D(5))
    assert line.missing == D(2)
    assert OrderLineProgress(1, 1, 9, D(10), D(0), D(10), D(10)).missing == D(0)


def test_status_sets_are_consistent():
    # Nothing already shipped can be cancelled; only shipped orders close; moderation ends in approval.
    assert not set(CANCELLABLE) & {"partially_shipped", "shipped", "closed"}
    assert set(CLOSABLE) == {"partially_shipped", "shipped"}
    assert set(IN_MODERATION) <= set(CANCELLABLE)
    assert "approved" in PICKABLE and "shipped" not in PICKABLE
