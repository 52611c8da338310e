"""PACKAGING v1 (WMS -> core): an item's measured unit weight and dimensions and its packaging
levels (a box of 10, a pallet of 40 boxes)."""

from __future__ import annotations

from pydantic import Field, model_validator

from dealerhub.exchange.contracts.common import Code, Contract, DimensionMm, Name, Quantity, WeightKg, unique


class PackagingLevel(Contract):
    name: Name
    # Units of the item in one package of this level.
    quantity: Quantity
    barcode: str | None = Field(default=None, min_length=1, max_length=64)
    weight_kg: WeightKg | None = None
    length_mm: DimensionMm | None = None
    width_mm: DimensionMm | None = None
    height_mm: DimensionMm | None = None


class PackagingItem(Contract):
    item_code: Code
    weight_kg: WeightKg | None = None
    length_mm: DimensionMm | None = None
    width_mm: DimensionMm | None = None
    height_mm: DimensionMm | None = None
    levels: list[PackagingLevel] = Field(default_factory=list)


class PackagingV1(Contract):
    items: list[PackagingItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> PackagingV1:
        unique([i.item_code for i in self.items], "item_code")
        for item in self.items:
            unique([level.name for level in item.levels], f"level name of {item.item_code}")
        return self
