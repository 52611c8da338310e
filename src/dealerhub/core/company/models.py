"""The distributor's own legal entity and bank details: what its invoices, sale documents and
reconciliation statements print. One row (id 1), edited by the administrator in the back office."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.core.db import CoreBase, Timestamps, id_column


class OwnCompany(CoreBase, Timestamps):
    __tablename__ = "own_company"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(300))  # full name: ООО «...»
    inn: Mapped[str] = mapped_column(String(12))
    kpp: Mapped[str | None] = mapped_column(String(9))
    ogrn: Mapped[str | None] = mapped_column(String(15))
    legal_address: Mapped[str] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(50))
    bank_name: Mapped[str] = mapped_column(String(300))
    bik: Mapped[str] = mapped_column(String(9))
    correspondent_account: Mapped[str] = mapped_column(String(20))
    account_number: Mapped[str] = mapped_column(String(20))
    # Who signs: printed under the documents.
    director_name: Mapped[str] = mapped_column(String(200))
    accountant_name: Mapped[str] = mapped_column(String(200))
