"""Purchasing documents: supplier orders (CNY, USD or RUB at an exchange rate, with expected dates)
and goods receipts (one per supplier invoice, lines linked to supplier-order lines)."""

from dealerhub.core.purchasing.errors import (
    DuplicateSupplierInvoice,
    GoodsReceiptNotFound,
    InvalidExchangeRate,
    InvalidPrice,
    OrderLineMismatch,
    OverReceipt,
    SupplierOrderInUse,
    SupplierOrderNotFound,
    SupplierOrderNotOpen,
    UnknownCurrency,
    UnknownSupplier,
)
from dealerhub.core.purchasing.inputs import ReceiptLineInput, SupplierOrderLineInput
from dealerhub.core.purchasing.queries import (
    SupplierOrderLineProgress,
    get_document_totals,
    get_goods_receipt,
    get_supplier_order,
    get_supplier_order_progress,
    line_amount_rub,
    list_goods_receipts,
    list_supplier_orders,
)
from dealerhub.core.purchasing.receipts import (
    create_goods_receipt,
    create_goods_receipt_from_order,
    post_goods_receipt,
    unpost_goods_receipt,
    update_goods_receipt,
)
from dealerhub.core.purchasing.rules import SUPPLIER_ORDER_STATUSES, Totals
from dealerhub.core.purchasing.supplier_orders import (
    cancel_supplier_order,
    close_supplier_order,
    create_supplier_order,
    post_supplier_order,
    reopen_supplier_order,
    unpost_supplier_order,
    update_supplier_order,
)

__all__ = [
    "SUPPLIER_ORDER_STATUSES",
    "DuplicateSupplierInvoice",
    "GoodsReceiptNotFound",
    "InvalidExchangeRate",
    "InvalidPrice",
    "OrderLineMismatch",
    "OverReceipt",
    "ReceiptLineInput",
    "SupplierOrderInUse",
    "SupplierOrderLineInput",
    "SupplierOrderLineProgress",
    "SupplierOrderNotFound",
    "SupplierOrderNotOpen",
    "Totals",
    "UnknownCurrency",
    "UnknownSupplier",
    "cancel_supplier_order",
    "close_supplier_order",
    "create_goods_receipt",
    "create_goods_receipt_from_order",
    "create_supplier_order",
    "get_document_totals",
    "get_goods_receipt",
    "get_supplier_order",
    "get_supplier_order_progress",
    "line_amount_rub",
    "list_goods_receipts",
    "list_supplier_orders",
    "post_goods_receipt",
    "post_supplier_order",
    "reopen_supplier_order",
    "unpost_goods_receipt",
    "unpost_supplier_order",
    "update_goods_receipt",
    "update_supplier_order",
]
