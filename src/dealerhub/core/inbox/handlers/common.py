"""Small helpers the handlers share (what they return is sidekit's Done)."""

from __future__ import annotations

from decimal import Decimal

from dealerhub.core.sales.rules import show


def qty(value: Decimal) -> str:
    return show(value)
