"""Errors of the inventory documents (stock correction, transfer) and of the warehouse they name."""

from __future__ import annotations

from dealerhub.core.documents import InvalidDocument
from dealerhub.shared.errors import NotFound


class UnknownWarehouse(InvalidDocument):
    """A document names a warehouse that does not exist or is no longer active."""


class StockCorrectionNotFound(NotFound):
    pass


class TransferNotFound(NotFound):
    pass


class UnknownCorrectionKind(InvalidDocument):
    """A stock correction is either a `surplus` or a `write_off`."""


class ReasonRequired(InvalidDocument):
    """A stock correction says why stock is corrected."""


class SameWarehouse(InvalidDocument):
    """A transfer moves goods between two different warehouses."""
