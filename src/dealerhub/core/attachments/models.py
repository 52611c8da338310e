"""Files that dealers and staff attach: photos of a claim, attachments of a message.

The bytes live in the core's database, not on a web node's disk: the web tier stays stateless and
a backup of the database is a backup of the files. Sizes are bounded (settings.attachment_max_bytes).
`partner_id` is the dealer a file belongs to (None: a staff file not tied to a dealer); the faces
serve a file only to that dealer and to staff.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.core.db import CoreBase, id_column
from dealerhub.shared import clock
from dealerhub.shared.types import UTCDateTime


class Attachment(CoreBase):
    __tablename__ = "attachments"
    __table_args__ = (CheckConstraint("size_bytes > 0", name="size_positive"),)
    id: Mapped[int] = id_column()
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # Loaded only when asked for: lists of attachments never pull the bytes.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
