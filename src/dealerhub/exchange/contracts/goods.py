"""GOODS v1 (core -> WMS): items flagged "use in WMS", in the languages chosen in the settings."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from dealerhub.exchange.contracts.common import (
    Code,
    Contract,
    Language,
    Name,
    Text,
    UpsertOrWithdraw,
    unique,
)

Barcode = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class Unit(Contract):
    code: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    name: Name
    # How many decimal places a quantity of this unit may have (0 for pieces).
    decimals: int = Field(ge=0, le=3)


class GoodsItem(Contract):
    code: Code
    article: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    brand: Name | None = None
    group_code: Code | None = None
    unit: Unit
    names: dict[Language, Name]
    descriptions: dict[Language, Text] = Field(default_factory=dict)
    barcodes: list[Barcode] = Field(default_factory=list)
    serial_tracked: bool = False
    action: UpsertOrWithdraw


class GoodsV1(Contract):
    """Items to create or update (upsert) or to stop using (withdraw)."""

    items: list[GoodsItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> GoodsV1:
        unique([i.code for i in self.items], "item code")
        return self
