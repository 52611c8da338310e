from __future__ import annotations

from dealerhub.core.documents import InvalidDocument
from dealerhub.shared.errors import NotFound


class PaymentNotFound(NotFound):
    pass


class InvalidPayment(InvalidDocument):
    """A payment that cannot be recorded as given (amount, contractor, reference, invoice)."""


class InvalidPeriod(InvalidDocument):
    """A statement's period that ends before it starts."""
