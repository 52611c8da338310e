"""Stock: the append-only ledger of moves, reservations, and balances derived from them."""

from dealerhub.core.stock.balances import lock_statement
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
    LockedStock,
    ReservationPlan,
    ReserveRequest,
    expire_due,
    list_for_holder,
    plan_reservations,
    release,
    release_holder,
    reserve,
    reserve_many,
    send_lock_where,
    send_reservations_of,
)

__all__ = [
    "BalanceRow",
    "DocRef",
    "Holder",
    "InsufficientStock",
    "LockedStock",
    "Move",
    "ReservationPlan",
    "ReserveRequest",
    "Shortage",
    "WarehouseClosedForSale",
    "expire_due",
    "find_differences",
    "get_balance",
    "list_balances",
    "list_for_holder",
    "list_moves",
    "lock_statement",
    "plan_reservations",
    "rebuild_balances",
    "release",
    "release_holder",
    "reserve",
    "reserve_many",
    "send_lock_where",
    "send_reservations_of",
    "write_stock_moves",
]
