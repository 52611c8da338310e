"""Errors of the partners area (InvalidIdentifier lives with the pure checks in rules.py)."""

from __future__ import annotations

from dealerhub.core.partners.rules import InvalidIdentifier
from dealerhub.shared.errors import Conflict, DomainError, NotFound

__all__ = [
    "ContractorNotFound",
    "DuplicateBankAccount",
    "DuplicateContractor",
    "InvalidIdentifier",
    "InvalidPartnerData",
    "PartnerNotFound",
]


class InvalidPartnerData(DomainError):
    """A field of a partner, contractor or bank account has a value that cannot be right."""


class PartnerNotFound(NotFound):
    pass


class ContractorNotFound(NotFound):
    pass


class DuplicateContractor(Conflict):
    """Another contractor already has this INN (and KPP): one legal entity is recorded once."""


class DuplicateBankAccount(Conflict):
    """The contractor already has this account in this bank."""
