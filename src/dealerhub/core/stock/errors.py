from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from dealerhub.shared.errors import DomainError
from dealerhub.shared.texts import T, Text


@dataclass(frozen=True)
class Shortage:
    item_id: int
    warehouse_id: int
    requested: Decimal
    free: Decimal
    # What a person knows them by, where the caller had it at hand (the refusal shows the ids otherwise).
    article: str | None = field(default=None, compare=False)
    warehouse: str | None = field(default=None, compare=False)

    def text(self) -> Text:
        return T(
            "%(item)s on warehouse %(warehouse)s: needed %(needed)s, free %(free)s",
            item=self.article or T("item #%(id)s", id=self.item_id),
            warehouse=self.warehouse or T("#%(id)s", id=self.warehouse_id),
            needed=_show(self.requested),
            free=_show(self.free),
        )


def _show(quantity: Decimal) -> str:
    """3 rather than 3.000; 0 rather than 0E-3."""
    return format(Decimal(quantity).normalize(), "f")


def shortages_text(shortages: list[Shortage]) -> Text:
    """The shortages for a sentence, separated by semicolons."""
    return Text(
        "; ".join(f"%(s{n})s" for n in range(len(shortages))),
        **{f"s{n}": s.text() for n, s in enumerate(shortages)},
    )


class InsufficientStock(DomainError):
    """Free stock (on hand minus reserved) does not cover what was asked for."""

    def __init__(self, shortages: list[Shortage]) -> None:
        super().__init__(
            T("not enough free stock: %(shortages)s", shortages=shortages_text(shortages)), shortages=shortages
        )
        self.shortages = shortages


class WarehouseClosedForSale(DomainError):
    """Stock on a transit, defect or loss warehouse is never reserved or sold."""
