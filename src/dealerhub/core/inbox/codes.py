"""The stable error code (contracts.ErrorCode) of a business rule that refused a message."""

from __future__ import annotations

from dealerhub.core.catalog import InvalidBarcode, InvalidCatalogData
from dealerhub.core.documents import DocumentNotInStatus, UnknownItem
from dealerhub.core.stock import InsufficientStock
from dealerhub.exchange.contracts import ErrorCode
from dealerhub.exchange.sidekit.outcomes import NotYet, Reject
from dealerhub.shared.errors import DomainError, NotFound


def classify(error: Exception) -> Reject | NotYet | None:
    """Goods that are not free (reserved for someone) may become free: the message waits for a
    manager; every other business rule is a refusal with the code that says what is wrong. Not a
    DomainError: None (a bug: the message fails and is retried)."""
    if not isinstance(error, DomainError):
        return None
    if isinstance(error, InsufficientStock):
        return NotYet(ErrorCode.QUANTITY_MISMATCH, f"{error.message}: waits until the goods are free (release their reservations)")
    if isinstance(error, UnknownItem):
        return Reject(ErrorCode.UNKNOWN_ITEM, error.message)
    if isinstance(error, NotFound | DocumentNotInStatus):
        return Reject(ErrorCode.UNKNOWN_DOCUMENT, error.message)
    if isinstance(error, InvalidCatalogData | InvalidBarcode):
        return Reject(ErrorCode.SCHEMA_VIOLATION, error.message)
    return Reject(ErrorCode.QUANTITY_MISMATCH, error.message)
