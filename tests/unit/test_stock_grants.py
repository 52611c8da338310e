"""How reserve_many shares free stock out between requests (pure, no database)."""

from decimal import Decimal

from dealerhub.core.stock import Holder, ReserveRequest, Shortage
from dealerhub.core.stock.reservations import _grant

D = Decimal


def _req(item: int, qty: str) -> ReserveRequest:
    return ReserveRequest(item, 1, D(qty), Holder("t", 1))


def test_requests_share_the_free_stock_in_order():
    grants, shortages = _grant([_req(1, "4"), _req(1, "4"), _req(2, "1")], {(1, 1): (D(10), D(3)), (2, 1): (D(1), D(0))})
    assert grants == [D(4), D(3), D(1)]
    assert shortages == [Shortage(1, 1, D(4), D(3))]


def test_a_missing_balance_row_grants_nothing():
    assert _grant([_req(7, "2")], {}) == ([D(0)], [Shortage(7, 1, D(2), D(0))])


def test_an_oversold_row_is_treated_as_nothing_free():
    grants, shortages = _grant([_req(1, "1")], {(1, 1): (D(2), D(5))})
    assert grants == [D(0)]
    assert shortages == [Shortage(1, 1, D(1), D(0))]


def test_the_shortages_are_named_in_the_language_of_the_page():
    from dealerhub.core.stock import InsufficientStock
    from dealerhub.web.i18n import Translations

    ru = Translations(["ru", "en"], "ru").get("ru")
    error = InsufficientStock([Shortage(7, 2, D("3.000"), D("1.000")), Shortage(8, 2, D(2), D(0), "FL-100.20", "MSK")])
    assert error.message == (
        "not enough free stock: item #7 on warehouse #2: needed 3, free 1; FL-100.20 on warehouse MSK: needed 2, free 0"
    )
    assert error.message.localized(ru) == (
        "недостаточно свободного остатка: товар №7 на складе №2: нужно 3, свободно 1; "
        "FL-100.20 на складе MSK: нужно 2, свободно 0"
    )
