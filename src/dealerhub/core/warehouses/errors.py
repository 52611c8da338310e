"""Errors of the warehouses area."""

from __future__ import annotations

from dealerhub.shared.errors import Conflict, DomainError, NotFound


class InvalidWarehouseData(DomainError):
    """A field of a warehouse has a value that cannot be right (unknown kind, empty code ...)."""


class WarehouseNotFound(NotFound):
    pass


class DuplicateWarehouseCode(Conflict):
    """The code or the WMS code is already another warehouse's."""


class WarehouseCodeLocked(Conflict):
    """The WMS addresses the warehouse by its WMS code: once set, it is never changed."""
