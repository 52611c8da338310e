"""reserved for the WMS's batch of ORDERS (issue 3) (filled in by that branch, or removed at merge)

Revision ID: wms_0004
Revises: wms_0003
"""

from collections.abc import Sequence

revision: str = "wms_0004"
down_revision: str | None = "wms_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
