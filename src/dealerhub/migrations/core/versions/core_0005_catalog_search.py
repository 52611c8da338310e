"""catalog search indexes (issue 5)

Reserved in the chain so that parallel work lands in a fixed order; filled by its issue.

Revision ID: core_0005
Revises: core_0004
"""

from collections.abc import Sequence

revision: str = "core_0005"
down_revision: str | None = "core_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
