"""Storekeepers: the WMS's own users (the core's staff are not WMS users)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.shared import clock
from dealerhub.shared.types import UTCDateTime
from dealerhub.wms.db import WmsBase, id_column

ROLES = ("storekeeper", "supervisor")


class Storekeeper(WmsBase):
    __tablename__ = "wms_storekeepers"
    id: Mapped[int] = id_column()
    login: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="storekeeper")
    language: Mapped[str] = mapped_column(String(8), default="ru")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
