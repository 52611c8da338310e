"""bonus and discount programs (issue 6)

Revision ID: core_0011
Revises: core_0010
"""

from collections.abc import Sequence

revision: str = "core_0011"
down_revision: str | None = "core_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
