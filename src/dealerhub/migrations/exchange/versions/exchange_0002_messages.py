"""the exchange's message tables (issue 3)

Reserved in the chain so that parallel work lands in a fixed order; filled by its issue.

Revision ID: exchange_0002
Revises: exchange_0001
"""

from collections.abc import Sequence

revision: str = "exchange_0002"
down_revision: str | None = "exchange_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
