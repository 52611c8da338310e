"""Catalog tables: item groups (a tree), items with their names in several languages, units,
brands, OEM numbers, analogues, properties, applicability to machine models, barcodes, packaging."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from dealerhub.core.catalog.rules import name_search_key
from dealerhub.core.db import CoreBase, Timestamps, id_column
from dealerhub.shared.types import Percent, Qty, ScaledDecimal

ITEM_KINDS = ("machine", "attachment", "spare_part", "fluid", "consumable", "service")


class Unit(CoreBase):
    __tablename__ = "units"
    id: Mapped[int] = id_column()
    code: Mapped[str] = mapped_column(String(16), unique=True)
    # {"ru": "шт", "en": "pcs"}
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    # Decimal places a quantity of this unit may have: 0 for pieces, 3 for litres.
    precision: Mapped[int] = mapped_column(Integer, default=0)


class Brand(CoreBase):
    __tablename__ = "brands"
    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(100), unique=True)
    country: Mapped[str | None] = mapped_column(String(2))


class ItemGroup(CoreBase, Timestamps):
    __tablename__ = "item_groups"
    id: Mapped[int] = id_column()
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("item_groups.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    use_in_wms: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    translations: Mapped[list[ItemGroupTranslation]] = relationship(
        back_populates="group", cascade="all, delete-orphan", lazy="selectin"
    )


class ItemGroupTranslation(CoreBase):
    __tablename__ = "item_group_translations"
    group_id: Mapped[int] = mapped_column(ForeignKey("item_groups.id"), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    group: Mapped[ItemGroup] = relationship(back_populates="translations")


class Item(CoreBase, Timestamps):
    __tablename__ = "items"
    id: Mapped[int] = id_column()
    code: Mapped[str] = mapped_column(String(32), unique=True)
    article: Mapped[str] = mapped_column(String(64))
    # The article without spaces, dashes, dots and case: what searches and quick orders match on.
    article_key: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="spare_part")
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("item_groups.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    use_in_wms: Mapped[bool] = mapped_column(Boolean, default=True)
    vat_rate: Mapped[Decimal] = mapped_column(Percent(), default=Decimal(20))
    # Weight and dimensions of one unit; the WMS measures them (PACKAGING) and sends them back.
    weight_kg: Mapped[Decimal | None] = mapped_column(Qty())
    length_mm: Mapped[int | None] = mapped_column(Integer)
    width_mm: Mapped[int | None] = mapped_column(Integer)
    height_mm: Mapped[int | None] = mapped_column(Integer)
    volume_m3: Mapped[Decimal | None] = mapped_column(ScaledDecimal(6))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[Unit] = relationship(lazy="joined")
    brand: Mapped[Brand | None] = relationship(lazy="joined")
    group: Mapped[ItemGroup] = relationship()
    translations: Mapped[list[ItemTranslation]] = relationship(
        back_populates="item", cascade="all, delete-orphan", lazy="selectin"
    )
    oem_numbers: Mapped[list[ItemOemNumber]] = relationship(cascade="all, delete-orphan")
    barcodes: Mapped[list[Barcode]] = relationship(cascade="all, delete-orphan")
    packagings: Mapped[list[ItemPackaging]] = relationship(cascade="all, delete-orphan")
    properties: Mapped[list[ItemPropertyValue]] = relationship(cascade="all, delete-orphan")


class ItemTranslation(CoreBase):
    __tablename__ = "item_translations"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # name_search_key(name): what find_items matches on. Kept in the row because SQLite's lower()
    # folds ASCII only; set by the ORM on every change of the name and by default on Core inserts.
    name_key: Mapped[str] = mapped_column(String(300), default=lambda ctx: _name_key(ctx.get_current_parameters()["name"]))
    description: Mapped[str | None] = mapped_column(Text)
    item: Mapped[Item] = relationship(back_populates="translations")

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = _name_key(name)
        return name


def _name_key(name: str) -> str:
    return name_search_key(name)[:300]


class ItemOemNumber(CoreBase):
    """An original manufacturer's part number the item answers to."""

    __tablename__ = "item_oem_numbers"
    __table_args__ = (UniqueConstraint("item_id", "number_key"),)
    id: Mapped[int] = id_column()
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    number_key: Mapped[str] = mapped_column(String(64), index=True)
    maker: Mapped[str | None] = mapped_column(String(100))


class ItemAnalogue(CoreBase):
    """A directed cross-reference: `analogue_id` can replace `item_id`. A two-way pair is two rows."""

    __tablename__ = "item_analogues"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    analogue_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True, index=True)
    two_way: Mapped[bool] = mapped_column(Boolean, default=False)


class Property(CoreBase):
    __tablename__ = "properties"
    id: Mapped[int] = id_column()
    code: Mapped[str] = mapped_column(String(32), unique=True)
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    unit: Mapped[str | None] = mapped_column(String(16))


class ItemPropertyValue(CoreBase):
    __tablename__ = "item_property_values"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    property: Mapped[Property] = relationship(lazy="joined")


class MachineModel(CoreBase):
    __tablename__ = "machine_models"
    id: Mapped[int] = id_column()
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"))
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # excavator, wheel_loader, bulldozer, grader, crane ...
    machine_type: Mapped[str] = mapped_column(String(32))
    brand: Mapped[Brand] = relationship(lazy="joined")


class ItemApplicability(CoreBase):
    """The item fits (is used on) this machine model."""

    __tablename__ = "item_applicability"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    machine_model_id: Mapped[int] = mapped_column(
        ForeignKey("machine_models.id"), primary_key=True, index=True
    )


class ItemPackaging(CoreBase):
    """A packaging level: a box of 10, a pallet of 40 boxes. Filled from the WMS's measurements."""

    __tablename__ = "item_packagings"
    __table_args__ = (UniqueConstraint("item_id", "name"),)
    id: Mapped[int] = id_column()
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    quantity: Mapped[Decimal] = mapped_column(Qty())
    weight_kg: Mapped[Decimal | None] = mapped_column(Qty())
    length_mm: Mapped[int | None] = mapped_column(Integer)
    width_mm: Mapped[int | None] = mapped_column(Integer)
    height_mm: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(8), default="manual")  # manual | wms


class Barcode(CoreBase):
    __tablename__ = "barcodes"
    id: Mapped[int] = id_column()
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    barcode: Mapped[str] = mapped_column(String(64), unique=True)
    packaging_id: Mapped[int | None] = mapped_column(ForeignKey("item_packagings.id"))
