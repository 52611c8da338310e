"""dealer users: roles, invitations, password reset, TOTP, login throttling (issue 5)

Reserved in the chain so that parallel work lands in a fixed order; filled by its issue.

Revision ID: core_0004
Revises: core_0003
"""

from collections.abc import Sequence

revision: str = "core_0004"
down_revision: str | None = "core_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
