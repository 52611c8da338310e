"""reserved for the order path (issue 2) (filled in by that branch, or removed at merge)

Revision ID: core_0014
Revises: core_0013
"""

from collections.abc import Sequence

revision: str = "core_0014"
down_revision: str | None = "core_0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
