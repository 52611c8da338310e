"""DESPATCH v1 (WMS -> core): what was picked and shipped for an order, shortages, packages.
The envelope's document is the picking task (the order)."""

from __future__ import annotations

from pydantic import AwareDatetime, Field, model_validator

from dealerhub.exchange.contracts.common import (
    Code,
    Contract,
    DimensionMm,
    DocumentNumber,
    Quantity,
    Text,
    WeightKg,
    unique,
)


class DespatchLine(Contract):
    # The ORDERS line number.
    line_no: int = Field(ge=1)
    item_code: Code
    picked: Quantity
    shipped: Quantity
    shortage: Quantity
    shortage_reason: Text | None = None


class PackageContent(Contract):
    item_code: Code
    quantity: Quantity


class Package(Contract):
    package_no: str = Field(min_length=1, max_length=64)
    weight_kg: WeightKg
    length_mm: DimensionMm | None = None
    width_mm: DimensionMm | None = None
    height_mm: DimensionMm | None = None
    contents: list[PackageContent]


class DespatchV1(Contract):
    order_number: DocumentNumber
    despatch_number: DocumentNumber
    # true when the order is finished in the WMS: the rest will not be shipped by this order.
    final: bool
    shipped_at: AwareDatetime
    lines: list[DespatchLine]
    packages: list[Package] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> DespatchV1:
        unique([line.line_no for line in self.lines], "line_no")
        unique([p.package_no for p in self.packages], "package_no")
        return self
