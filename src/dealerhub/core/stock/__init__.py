"""Stock: the append-only ledger of moves, reservations, and balances derived from them."""

from dealerhub.core.stock.errors import (
    InsufficientStock,
    Shortage,
    WarehouseClosedForSale,
)
from dealerhub.core.stock.ledger import DocRef, Move, write_stock_moves
from dealerhub.core.stock.queries import BalanceRow, get_balance, list_balances, list_moves
from dealerhub.core.stock.rebuild import find_differences, rebuild_balances
from dealerhub.core.stock.reservations import (
    Holder,
    ReserveRequest,
    expire_due,
    list_for_holder,
    release,
    release_holder,
    reserve,
    reserve_many,
)

__all__ = [
    "BalanceRow",
    "DocRef",
    "Holder",
    "InsufficientStock",
    "Move",
    "ReserveRequest",
    "Shortage",
    "WarehouseClosedForSale",
    "expire_due",
    "find_differences",
    "get_balance",
    "list_balances",
    "list_for_holder",
    "list_moves",
    "rebuild_balances",
    "release",
    "release_holder",
    "reserve",
    "reserve_many",
    "write_stock_moves",
]
