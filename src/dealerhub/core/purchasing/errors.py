"""Errors of the purchasing documents (supplier order, goods receipt)."""

from __future__ import annotations

from dealerhub.core.documents import DocumentNotInStatus, InvalidDocument
from dealerhub.shared.errors import Conflict, NotFound


class SupplierOrderNotFound(NotFound):
    pass


class GoodsReceiptNotFound(NotFound):
    pass


class UnknownSupplier(InvalidDocument):
    """The partner is unknown, inactive or not a supplier, or the contractor is not one of its own."""


class UnknownCurrency(InvalidDocument):
    """Purchases are made in CNY, USD or RUB."""


class InvalidExchangeRate(InvalidDocument):
    """Roubles for one unit of the currency: positive, at most 6 decimal places, exactly 1 for RUB."""


class InvalidPrice(InvalidDocument):
    """A price is not negative and has at most 2 decimal places."""


class DuplicateSupplierInvoice(Conflict):
    """One supplier invoice = one goods receipt: this contractor's invoice already has one."""


class OrderLineMismatch(InvalidDocument):
    """A receipt line names a supplier-order line that is unknown, of another supplier or of another item."""


class OverReceipt(InvalidDocument):
    """More would be received on a supplier-order line than remains to be received on it."""


class SupplierOrderNotOpen(DocumentNotInStatus):
    """Goods are received only against a confirmed (or partially received) supplier order."""


class SupplierOrderInUse(Conflict):
    """The supplier order's lines are referred to by goods receipts, or goods were received on it."""
