"""What every handler returns, and small helpers they share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dealerhub.core.sales.rules import show


@dataclass(frozen=True)
class Done:
    """What an applied message did: the core document it made or changed, and a note for the ACK."""

    document_type: str | None = None
    document_number: str | None = None
    note: str | None = None


def qty(value: Decimal) -> str:
    return show(value)
