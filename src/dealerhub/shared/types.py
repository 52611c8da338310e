"""Column types that keep money and quantities exact on every database.

SQLite has no decimal type (SQLAlchemy's Numeric stores floats there), so exact values are kept as
integers of their smallest unit: a quantity of 1.250 with scale 3 is stored as 1250. Sums and
comparisons in SQL stay exact and native; Python always sees Decimal. A value with more decimal
places than the column holds is refused, never rounded silently.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer
from sqlalchemy.types import TypeDecorator

# Primary keys: BIGINT on servers, INTEGER on SQLite (its rowid alias autoincrements only then).
BigId = BigInteger().with_variant(Integer(), "sqlite")


class ScaledDecimal(TypeDecorator):
    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int) -> None:
        super().__init__()
        self.scale = scale

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if value.__class__ is not Decimal:  # the hot path: a Decimal, taken as it is
            if isinstance(value, float):
                raise TypeError("floats are not accepted for exact amounts; pass Decimal or str")
            value = Decimal(value)
        scaled = value.scaleb(self.scale)
        whole = int(scaled)
        if whole != scaled:
            raise ValueError(f"{value} has more than {self.scale} decimal places")
        return whole

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.scale)

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        return self

    @property
    def python_type(self) -> type:
        return Decimal

    def __repr__(self) -> str:
        # Alembic renders migrations from repr(): keep the scale in it.
        return f"ScaledDecimal({self.scale})"


def Qty() -> ScaledDecimal:
    """Quantities to 0.001 of a unit (the unit's own precision is a business rule on top)."""
    return ScaledDecimal(3)


def Money() -> ScaledDecimal:
    """Money and prices to 0.01 of the currency."""
    return ScaledDecimal(2)


def Rate() -> ScaledDecimal:
    """Exchange rates to 0.000001."""
    return ScaledDecimal(6)


def Percent() -> ScaledDecimal:
    """Percentages to 0.01 %."""
    return ScaledDecimal(2)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC in Python on every database (SQLite keeps naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused; use dealerhub.shared.clock")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
