"""reserved for the catalog search (issue 5) (filled in by that branch, or removed at merge)

Revision ID: core_0015
Revises: core_0014
"""

from collections.abc import Sequence

revision: str = "core_0015"
down_revision: str | None = "core_0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
