"""The core's declarative base and the import of every area's tables (for Alembic and create_all)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.shared import clock
from dealerhub.shared.db import declarative_base
from dealerhub.shared.types import BigId, UTCDateTime

CoreBase = declarative_base("CoreBase")


def id_column() -> Mapped[int]:
    return mapped_column(BigId, primary_key=True, autoincrement=True)



class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=clock.now, onupdate=clock.now, nullable=False
    )


def load_all_models() -> None:
    """Import every area's models so CoreBase.metadata knows all tables."""
    from dealerhub.core.accounts import models as _accounts  # noqa: F401
    from dealerhub.core.accounts import staff_profiles as _staff_profiles  # noqa: F401
    from dealerhub.core.attachments import models as _attachments  # noqa: F401
    from dealerhub.core.audit import models as _audit  # noqa: F401
    from dealerhub.core.bonus import models as _bonus  # noqa: F401
    from dealerhub.core.carts import models as _carts  # noqa: F401
    from dealerhub.core.catalog import models as _catalog  # noqa: F401
    from dealerhub.core.claims import models as _claims  # noqa: F401
    from dealerhub.core.company import models as _company  # noqa: F401
    from dealerhub.core.conversations import models as _conversations  # noqa: F401
    from dealerhub.core.documents import models as _documents  # noqa: F401
    from dealerhub.core.inbox import models as _inbox  # noqa: F401
    from dealerhub.core.inventory import models as _inventory  # noqa: F401
    from dealerhub.core.outbox import models as _outbox  # noqa: F401
    from dealerhub.core.partners import models as _partners  # noqa: F401
    from dealerhub.core.pricing import models as _pricing  # noqa: F401
    from dealerhub.core.purchasing import models as _purchasing  # noqa: F401
    from dealerhub.core.sales import models as _sales  # noqa: F401
    from dealerhub.core.settlements import models as _settlements  # noqa: F401
    from dealerhub.core.stock import models as _stock  # noqa: F401
    from dealerhub.core.warehouses import models as _warehouses  # noqa: F401
