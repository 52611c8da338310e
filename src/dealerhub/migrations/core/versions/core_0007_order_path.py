"""order posting path (issue 2 benchmark): no schema change

Reserved in the chain for the order path's speed-up, which needed no schema change (the
statements changed, not the tables). Kept, empty, because databases may already stand at it.

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
