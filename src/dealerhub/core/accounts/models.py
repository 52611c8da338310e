"""Users (the distributor's staff and dealers' users share the table), and web sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.core.db import CoreBase, Timestamps, id_column
from dealerhub.shared.types import UTCDateTime

STAFF_ROLES = ("administrator", "sales_manager", "purchaser", "storekeeper_supervisor")
# A dealer company's users (partner_id set): the owner manages the company's users and may do
# everything, a buyer orders, an accountant sees documents and finance only.
DEALER_ROLES = ("owner", "buyer", "accountant")


class User(CoreBase, Timestamps):
    __tablename__ = "users"
    id: Mapped[int] = id_column()
    login: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(32))
    # Set for a dealer's user: the partner (dealer company) the user belongs to. None for staff.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="ru")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def is_staff(self) -> bool:
        return self.partner_id is None


class WebSession(CoreBase):
    """A server-side session: the cookie carries a random token, the table keeps only its hash."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
