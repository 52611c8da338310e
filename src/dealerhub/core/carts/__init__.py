"""Dealers' carts: several named carts per dealer shared by its users, lines, moving lines between
carts, quick orders from pasted text or XLSX/CSV files, reservations of lines on a priority
warehouse of the dealer's agreement (reserve, prolong, release, expiry), and submitting a cart as
a customer order with the differences reviewed first."""

from dealerhub.core.carts.errors import (
    CannotSubmit,
    CartLineNotFound,
    CartNameTaken,
    CartNotFound,
    InvalidCartInput,
    NoAgreement,
    NothingReserved,
    ReservationExpired,
    StaleCart,
    SubmitPreviewOutdated,
    WarehouseNotOfAgreement,
)
from dealerhub.core.carts.holds import (
    LineHold,
    LineReserved,
    line_holds,
    prolong_lines,
    release_by_dealer,
    reserve_lines,
)
from dealerhub.core.carts.models import CART_HOLDER, Cart, CartLine
from dealerhub.core.carts.queries import (
    CartSummary,
    WarehouseRef,
    agreement_or_none,
    free_stock,
    get_cart,
    item_facts,
    item_names,
    list_carts,
    prices_today,
    priority_warehouses,
)
from dealerhub.core.carts.quick_order import QuickOrderResult, quick_order_file, quick_order_text
from dealerhub.core.carts.repeat import repeat_order
from dealerhub.core.carts.service import (
    ItemQuantity,
    MoveResult,
    add_items,
    create_cart,
    delete_cart,
    move_lines,
    remove_lines,
    rename_cart,
    set_quantity,
)
from dealerhub.core.carts.submit import Difference, PreviewLine, SubmitPreview, preview_submit, submit_cart

__all__ = [
    "CART_HOLDER",
    "CannotSubmit",
    "Cart",
    "CartLine",
    "CartLineNotFound",
    "CartNameTaken",
    "CartNotFound",
    "CartSummary",
    "Difference",
    "InvalidCartInput",
    "ItemQuantity",
    "LineHold",
    "LineReserved",
    "MoveResult",
    "NoAgreement",
    "NothingReserved",
    "PreviewLine",
    "QuickOrderResult",
    "ReservationExpired",
    "StaleCart",
    "SubmitPreview",
    "SubmitPreviewOutdated",
    "WarehouseNotOfAgreement",
    "WarehouseRef",
    "add_items",
    "agreement_or_none",
    "create_cart",
    "delete_cart",
    "free_stock",
    "get_cart",
    "item_facts",
    "item_names",
    "line_holds",
    "list_carts",
    "move_lines",
    "preview_submit",
    "prices_today",
    "priority_warehouses",
    "prolong_lines",
    "quick_order_file",
    "quick_order_text",
    "release_by_dealer",
    "remove_lines",
    "rename_cart",
    "repeat_order",
    "reserve_lines",
    "set_quantity",
    "submit_cart",
]
