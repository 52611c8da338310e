"""The WMS's declarative base (its own database) and the import of every WMS table module."""

from __future__ import annotations

from sqlalchemy.orm import Mapped, mapped_column

from dealerhub.shared.db import declarative_base
from dealerhub.shared.types import BigId

WmsBase = declarative_base("WmsBase")


def id_column() -> Mapped[int]:
    return mapped_column(BigId, primary_key=True, autoincrement=True)


def load_all_models() -> None:
    """Import every WMS table module so WmsBase.metadata knows all tables."""
    from dealerhub.wms import numbering as _numbering  # noqa: F401
    from dealerhub.wms.catalog import models as _catalog  # noqa: F401
    from dealerhub.wms.counts import models as _counts  # noqa: F401
    from dealerhub.wms.exchange_link import models as _exchange_link  # noqa: F401
    from dealerhub.wms.layout import models as _layout  # noqa: F401
    from dealerhub.wms.moves import models as _moves  # noqa: F401
    from dealerhub.wms.picking import models as _picking  # noqa: F401
    from dealerhub.wms.receiving import models as _receiving  # noqa: F401
    from dealerhub.wms.staff import models as _staff  # noqa: F401
    from dealerhub.wms.stock import models as _stock  # noqa: F401
    from dealerhub.wms.tasks import models as _tasks  # noqa: F401
