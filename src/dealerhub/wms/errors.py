"""What the WMS refuses, each with its HTTP status (the pages map them once). Nothing of a refused
operation is written: the caller's transaction rolls back."""

from __future__ import annotations

from dealerhub.shared.errors import Conflict, DomainError, NotFound


class WmsNotFound(NotFound):
    """A warehouse, bin, item, task or document the WMS does not know."""


class UnknownBarcode(WmsNotFound):
    """A scanned barcode that is no item's and no bin's."""


class WrongScan(DomainError):
    """A scan that does not match what the task expects (another bin, another item)."""


class NotEnoughStock(DomainError):
    """The bin (or the warehouse) holds less than the operation takes."""


class QuantityRefused(DomainError):
    """A quantity that does not fit: negative, too many decimals for the unit, more than asked."""


class StateConflict(Conflict):
    """The document or task is not in a state that allows this (or changed under the caller)."""


class CapacityExceeded(DomainError):
    """The bin would hold more units, volume or weight than it takes."""


class SerialRefused(DomainError):
    """Serial numbers missing, repeated, unknown or not in the bin."""


class LoginFailed(DomainError):
    http_status = 401
