from __future__ import annotations

from dealerhub.shared.errors import Conflict, DomainError, NotFound


class PriceTypeNotFound(NotFound):
    pass


class AgreementNotFound(NotFound):
    pass


class PriceTypeCodeTaken(Conflict):
    pass


class AgreementNumberTaken(Conflict):
    pass


class InvalidPrice(DomainError):
    """A price or its validity dates break a rule (negative, more than kopecks, ends before it starts)."""


class OverlappingPrice(Conflict):
    """An item has one price of a price type on any day: validity periods must not overlap."""


class InvalidAgreement(DomainError):
    """A dealer agreement's content breaks a rule (bad discount, unknown warehouse, ...)."""
