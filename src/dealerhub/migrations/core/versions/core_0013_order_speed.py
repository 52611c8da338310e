"""order posting path, second pass (issue 2 benchmark)

Revision ID: core_0013
Revises: core_0012
"""

from collections.abc import Sequence

revision: str = "core_0013"
down_revision: str | None = "core_0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
