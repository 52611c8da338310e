"""Price types, prices with validity dates, and dealer agreements (price type, discounts, credit
limit, priority warehouses, reservation lifetime, personal manager)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealerhub.core.db import CoreBase, Timestamps, id_column
from dealerhub.shared.types import Money, Percent

CURRENCIES = ("RUB", "CNY", "USD")
DISCOUNT_SCOPES = ("all", "brand", "group", "item")


class PriceType(CoreBase):
    __tablename__ = "price_types"
    id: Mapped[int] = id_column()
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    # The base (list) price shown beside a dealer's personal price.
    is_base: Mapped[bool] = mapped_column(Boolean, default=False)


class ItemPrice(CoreBase):
    __tablename__ = "item_prices"
    __table_args__ = (UniqueConstraint("item_id", "price_type_id", "valid_from"),)
    id: Mapped[int] = id_column()
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    price_type_id: Mapped[int] = mapped_column(ForeignKey("price_types.id"), index=True)
    price: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class DealerAgreement(CoreBase, Timestamps):
    __tablename__ = "dealer_agreements"
    id: Mapped[int] = id_column()
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    number: Mapped[str] = mapped_column(String(50), unique=True)
    price_type_id: Mapped[int] = mapped_column(ForeignKey("price_types.id"))
    credit_limit: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    credit_currency: Mapped[str] = mapped_column(String(3), default="RUB")
    reservation_hours: Mapped[int] = mapped_column(Integer, default=72)
    personal_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    discounts: Mapped[list[AgreementDiscount]] = relationship(
        cascade="all, delete-orphan", order_by="AgreementDiscount.id"
    )
    warehouses: Mapped[list[AgreementWarehouse]] = relationship(
        cascade="all, delete-orphan", order_by="AgreementWarehouse.priority"
    )


class AgreementDiscount(CoreBase):
    """A discount of the agreement for everything, a brand, an item group (with its subgroups) or an item."""

    __tablename__ = "agreement_discounts"
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("dealer_agreements.id"), index=True)
    scope: Mapped[str] = mapped_column(String(8))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("item_groups.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    percent: Mapped[Decimal] = mapped_column(Percent())


class AgreementWarehouse(CoreBase):
    """The dealer's priority warehouses, in order (1 first)."""

    __tablename__ = "agreement_warehouses"
    agreement_id: Mapped[int] = mapped_column(ForeignKey("dealer_agreements.id"), primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    priority: Mapped[int] = mapped_column(Integer)
