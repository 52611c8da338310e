"""conversations with the personal manager (issue 6)

Revision ID: core_0010
Revises: core_0009
"""

from collections.abc import Sequence

revision: str = "core_0010"
down_revision: str | None = "core_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
