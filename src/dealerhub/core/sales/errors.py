from __future__ import annotations

from dealerhub.core.documents import InvalidDocument
from dealerhub.shared.errors import Conflict, DomainError, NotFound


class SalesDocumentNotFound(NotFound):
    pass


class NoPersonalPrice(DomainError):
    """A line has no price and the dealer's agreement gives none (no agreement, or no price on the date)."""


class NothingToPick(InvalidDocument):
    """Everything of the order is already shipped or on open picking tasks."""


class OrderHasPostedPickingTasks(Conflict):
    """The WMS is picking the order: unpost its picking tasks first."""


class PickingTaskHasSale(Conflict):
    """A sale was made for the picking task: unpost or cancel the sale first."""


class SaleHasReturns(Conflict):
    """Goods of the sale came back on a posted customer return: unpost the return first."""


class DespatchExceedsPicked(InvalidDocument):
    pass


class ReturnExceedsSold(InvalidDocument):
    pass
