"""Errors of the catalog. Each carries its HTTP status (the web layer maps them once)."""

from __future__ import annotations

from dealerhub.shared.errors import Conflict, DomainError, NotFound


class InvalidCatalogData(DomainError):
    """A field of a group, item, unit, brand ... has a value that cannot be right."""


class ItemNotFound(NotFound):
    """The item the operation is about does not exist."""


class GroupNotFound(NotFound):
    """The item group the operation is about does not exist."""


class UnknownReference(NotFound):
    """The input refers to a unit, brand, group, property or machine model that does not exist."""

    http_status = 422


class DuplicateCode(Conflict):
    """A code (or a name that must be unique) is already taken."""


class DuplicateOemNumber(Conflict):
    """The item already answers to this OEM number."""


class DuplicateBarcode(Conflict):
    """The barcode already belongs to an item: a barcode identifies one item only."""


class InvalidBarcode(DomainError):
    """Empty, too long, or an EAN-8/EAN-13 whose check digit is wrong."""


class GroupCycle(DomainError):
    """A group cannot be moved under itself or under one of its own descendants."""


class InvalidAnalogue(DomainError):
    """An item cannot be its own analogue."""


class AnalogueAlreadyLinked(Conflict):
    """The requested cross-reference already exists."""


class AnalogueNotLinked(NotFound):
    """There is no cross-reference to remove."""
