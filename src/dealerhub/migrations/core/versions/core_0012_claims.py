"""claims and returns (issue 6)

Revision ID: core_0012
Revises: core_0011
"""

from collections.abc import Sequence

revision: str = "core_0012"
down_revision: str | None = "core_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
