"""order posting path (issue 2 benchmark)

Reserved in the chain so that parallel work lands in a fixed order; filled by its issue.

Revision ID: core_0007
Revises: core_0006
"""

from collections.abc import Sequence

revision: str = "core_0007"
down_revision: str | None = "core_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
