"""dealer settlements, payments, printable documents (issue 6)

Revision ID: core_0009
Revises: core_0008
"""

from collections.abc import Sequence

revision: str = "core_0009"
down_revision: str | None = "core_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
