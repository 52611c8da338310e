"""What every document has: number, date, author, status, comment; and the numbering counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from dealerhub.core.db import CoreBase, Timestamps, id_column
from dealerhub.shared import clock
from dealerhub.shared.types import UTCDateTime


class DocumentMixin(Timestamps):
    """Columns shared by every document table. `status` moves only through conditional updates
    (see documents.lifecycle), so two people posting the same document can't both succeed."""

    # Short type name used in registers, audit and numbering ("customer_order").
    doc_type: str = ""
    # Prefix of the document number ("CO-2026-000017").
    number_prefix: str = ""

    id: Mapped[int] = id_column()
    number: Mapped[str] = mapped_column(String(32), unique=True)
    doc_date: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    status: Mapped[str] = mapped_column(String(32), index=True)
    comment: Mapped[str | None] = mapped_column(Text)

    @declared_attr
    def author_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"))


class DocumentCounter(CoreBase):
    """The last number given per document type and year."""

    __tablename__ = "document_counters"
    doc_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
