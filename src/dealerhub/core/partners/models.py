"""Partners (dealers, suppliers) and their contractors: the legal entities documents are issued to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from dealerhub.core.db import CoreBase, Timestamps, id_column
from dealerhub.core.partners.rules import name_search_key


def _name_key_column(length: int) -> Mapped[str]:
    """name_search_key(name): what list_partners matches on (SQLite's lower() folds ASCII only).
    The ORM keeps it in step with the name (validators below); Core inserts get it by default."""

    def default(context: Any) -> str:
        return name_search_key(context.get_current_parameters()["name"])[:length]

    return mapped_column(String(length), default=default)


class Partner(CoreBase, Timestamps):
    __tablename__ = "partners"
    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = _name_key_column(200)
    is_dealer: Mapped[bool] = mapped_column(Boolean, default=False)
    is_supplier: Mapped[bool] = mapped_column(Boolean, default=False)
    region: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    contractors: Mapped[list[Contractor]] = relationship(back_populates="partner", order_by="Contractor.id")

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_search_key(name)[:200]
        return name


class Contractor(CoreBase, Timestamps):
    __tablename__ = "contractors"
    # One legal entity, one row: an organisation's INN+KPP pair is unique (an entrepreneur's INN
    # without KPP is checked by the use case, as NULLs never collide in a unique constraint).
    __table_args__ = (UniqueConstraint("inn", "kpp"),)
    id: Mapped[int] = id_column()
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = _name_key_column(300)
    # 10 digits for an organisation, 12 for an individual entrepreneur; foreign suppliers have none.
    inn: Mapped[str | None] = mapped_column(String(12), index=True)
    kpp: Mapped[str | None] = mapped_column(String(9))
    ogrn: Mapped[str | None] = mapped_column(String(15))
    country: Mapped[str] = mapped_column(String(2), default="RU")
    legal_address: Mapped[str | None] = mapped_column(String(500))
    postal_address: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    partner: Mapped[Partner] = relationship(back_populates="contractors")
    bank_accounts: Mapped[list[BankAccount]] = relationship(
        back_populates="contractor", cascade="all, delete-orphan", order_by="BankAccount.id"
    )

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_search_key(name)[:300]
        return name


class BankAccount(CoreBase):
    __tablename__ = "bank_accounts"
    id: Mapped[int] = id_column()
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractors.id"), index=True)
    bank_name: Mapped[str] = mapped_column(String(300))
    bik: Mapped[str] = mapped_column(String(9))
    correspondent_account: Mapped[str | None] = mapped_column(String(20))
    account_number: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    contractor: Mapped[Contractor] = relationship(back_populates="bank_accounts")
