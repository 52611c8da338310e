"""Bonus and discount programs, their tiers, targets and participants, and the bonus ledger."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealerhub.core.db import CoreBase, Timestamps, id_column
from dealerhub.shared import clock
from dealerhub.shared.types import BigId, Money, Percent, UTCDateTime

# turnover: a bonus by the dealer's posted purchases per period, tier by tier;
# discount: a percentage off the personal price on its targets, while valid;
# promotion: the same, time-limited (valid_to required).
PROGRAM_KINDS = ("turnover", "discount", "promotion")
PERIODS = ("month", "quarter", "year")
TARGET_SCOPES = ("brand", "group", "item")
# accrual: the first entry of a closed period; accrual_correction: a later difference of it;
# write_off: bonus spent on an order; write_off_return: (part of) it given back.
ENTRY_KINDS = ("accrual", "accrual_correction", "write_off", "write_off_return")


class BonusProgram(CoreBase, Timestamps):
    __tablename__ = "bonus_programs"
    id: Mapped[int] = id_column()
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(String(2000), default="")
    period: Mapped[str | None] = mapped_column(String(8))  # turnover programs only
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    all_partners: Mapped[bool] = mapped_column(Boolean, default=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The balance may pay for up to order_cap_percent of an order (turnover programs only).
    usable_in_orders: Mapped[bool] = mapped_column(Boolean, default=False)
    order_cap_percent: Mapped[Decimal] = mapped_column(Percent(), default=Decimal(0))
    tiers: Mapped[list[BonusTier]] = relationship(
        cascade="all, delete-orphan", order_by="BonusTier.threshold", lazy="selectin"
    )
    targets: Mapped[list[BonusTarget]] = relationship(
        cascade="all, delete-orphan", order_by="BonusTarget.id", lazy="selectin"
    )
    participants: Mapped[list[BonusParticipant]] = relationship(
        cascade="all, delete-orphan", order_by="BonusParticipant.partner_id", lazy="selectin"
    )


class BonusTier(CoreBase):
    """From `threshold` (RUB of turnover in the period, inclusive) the bonus is `percent`."""

    __tablename__ = "bonus_tiers"
    __table_args__ = (UniqueConstraint("program_id", "threshold"),)
    id: Mapped[int] = id_column()
    program_id: Mapped[int] = mapped_column(ForeignKey("bonus_programs.id"), index=True)
    threshold: Mapped[Decimal] = mapped_column(Money())
    percent: Mapped[Decimal] = mapped_column(Percent())


class BonusTarget(CoreBase):
    """What a program covers: a brand, an item group (with its subgroups) or an item. A turnover
    program without targets counts every purchase; a discount's target carries its percent."""

    __tablename__ = "bonus_targets"
    id: Mapped[int] = id_column()
    program_id: Mapped[int] = mapped_column(ForeignKey("bonus_programs.id"), index=True)
    scope: Mapped[str] = mapped_column(String(8))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("item_groups.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    percent: Mapped[Decimal] = mapped_column(Percent(), default=Decimal(0))


class BonusParticipant(CoreBase):
    """A partner taking part in a program that is not for all partners."""

    __tablename__ = "bonus_participants"
    program_id: Mapped[int] = mapped_column(ForeignKey("bonus_programs.id"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True, index=True)


class BonusEntry(CoreBase):
    """The bonus ledger: append-only; amount > 0 adds to the balance, < 0 takes from it. Accruals
    carry their period, the turnover and the percent they were computed from; write-offs their order."""

    __tablename__ = "bonus_entries"
    id: Mapped[int] = id_column()
    program_id: Mapped[int] = mapped_column(ForeignKey("bonus_programs.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Money())
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    turnover: Mapped[Decimal | None] = mapped_column(Money())
    percent: Mapped[Decimal | None] = mapped_column(Percent())
    order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_orders.id"), index=True)
    cause: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class BonusOrderLine(CoreBase):
    """How much bonus lowered each unit of an order line, and the line's (lowered) price. The line
    id is no foreign key: moderation may take a line out of the order, its bonus stays known."""

    __tablename__ = "bonus_order_lines"
    order_line_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_orders.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("bonus_programs.id"))
    price: Mapped[Decimal] = mapped_column(Money())
    unit_amount: Mapped[Decimal] = mapped_column(Money())
