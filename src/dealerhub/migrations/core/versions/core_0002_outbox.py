"""the core's outbox of messages to the exchange (issue 3)

Reserved in the chain so that parallel work lands in a fixed order; filled by its issue.

Revision ID: core_0002
Revises: core_0001
"""

from collections.abc import Sequence

revision: str = "core_0002"
down_revision: str | None = "core_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
