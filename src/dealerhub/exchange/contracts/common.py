"""Building blocks of the message contracts: exact decimal strings, codes, names, the base model.

Quantities, weights and dimensions travel as decimal STRINGS ("12.500"), never JSON numbers: a JSON
number is a binary float in most parsers and would lose exactness on the way. The patterns below
match what the receiving databases store exactly (quantities and weights to 0.001, dimensions in
whole millimetres); `to_decimal` turns such a string into a Decimal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

# A non-negative quantity with at most 3 decimal places: "12", "12.5", "12.500".
QUANTITY_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,3})?$"
# A weight in kilograms with at most 3 decimal places (grams).
WEIGHT_PATTERN = r"^[0-9]{1,9}(\.[0-9]{1,3})?$"
# A length in whole millimetres.
DIMENSION_PATTERN = r"^[0-9]{1,6}$"

Quantity = Annotated[str, StringConstraints(pattern=QUANTITY_PATTERN)]
WeightKg = Annotated[str, StringConstraints(pattern=WEIGHT_PATTERN)]
DimensionMm = Annotated[str, StringConstraints(pattern=DIMENSION_PATTERN)]

# Item, group and contractor codes of the core; document numbers; warehouse codes.
Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]
DocumentNumber = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(max_length=2000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=500)]
# A language: ISO 639-1, lower case ("ru", "en", "zh").
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
MessageId = Annotated[
    str, StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]

UpsertOrWithdraw = Literal["upsert", "withdraw"]
CreateReplaceCancel = Literal["create", "replace", "cancel"]


class Contract(BaseModel):
    """Every payload and every part of one: unknown fields are refused, types are not coerced
    (a number is not a string, "true" is not a boolean), values are immutable once parsed."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def to_decimal(value: str) -> Decimal:
    """A decimal string of a payload as an exact Decimal ("12.500" -> Decimal("12.500"))."""
    return Decimal(value)


def decimal_text(value: Decimal | int | str, places: int = 3) -> str:
    """A Decimal as the payload's string with exactly `places` decimals (Decimal("12.5") -> "12.500").
    More decimal places than that are refused, never rounded; dimensions use places=0."""
    d = Decimal(value)
    fixed = d.quantize(Decimal(1).scaleb(-places))
    if fixed != d:
        raise ValueError(f"{value} has more than {places} decimal places")
    return f"{fixed:f}"


def optional_decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def unique(values: list, what: str) -> None:
    """Refuse repeated keys inside one payload (two lines with the same number...)."""
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} appears more than once")
        seen.add(value)
