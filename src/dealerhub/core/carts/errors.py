"""What the carts refuse, each with its HTTP status; nothing of a refused operation is written."""

from __future__ import annotations

from dealerhub.shared.errors import Conflict, DomainError, NotFound


class CartNotFound(NotFound):
    """No such cart of this dealer (another dealer's cart is 'not found' too)."""


class CartLineNotFound(NotFound):
    pass


class InvalidCartInput(DomainError):
    """A bad name, quantity, item or file."""


class CartNameTaken(Conflict):
    pass


class NoAgreement(DomainError):
    """The dealer has no agreement in force: no prices, no priority warehouses, no reservations."""


class WarehouseNotOfAgreement(DomainError):
    """Reservations are made only on the priority warehouses of the dealer's agreement."""


class ReservationExpired(Conflict):
    """Prolonging a reservation that already ran out: reserve again instead."""


class NothingReserved(DomainError):
    pass


class StaleCart(Conflict):
    """The cart changed (another user of the dealer) since the dealer reviewed it."""


class SubmitPreviewOutdated(Conflict):
    """Prices or stock changed between the review and the confirmation."""


class CannotSubmit(DomainError):
    """The cart can't become an order as it is (empty, a line without a price...)."""
