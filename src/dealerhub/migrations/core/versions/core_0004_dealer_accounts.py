"""dealer users: roles, invitations, password reset, TOTP, login throttling (issue 5)

- users: invited_at, totp_secret, totp_enabled, totp_last_step;
- account_tokens: single-use expiring tokens (invitation, password reset, login second factor);
- login_attempts: failed logins within the throttling window;
- the dealers' users of the old single role "dealer" become their companies' owners.

Revision ID: core_0004
Revises: core_0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dealerhub.shared.types

revision: str = "core_0004"
down_revision: str | None = "core_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.types.TypeEngine:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _moment() -> sa.types.TypeEngine:
    return dealerhub.shared.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invited_at", _moment(), nullable=True))
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        # The server default only fills the existing rows; the application always sets the flag.
        batch_op.add_column(sa.Column("totp_enabled", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("totp_enabled", server_default=None)

    op.create_table(
        "account_tokens",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("user_id", _id(), nullable=False),
        sa.Column("created_by", _id(), nullable=True),
        sa.Column("created_at", _moment(), nullable=False),
        sa.Column("expires_at", _moment(), nullable=False),
        sa.Column("used_at", _moment(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_account_tokens_created_by_users")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_account_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_tokens_token_hash")),
    )
    with op.batch_alter_table("account_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "login_attempts",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=False),
        sa.Column("attempted_at", _moment(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_login_attempts_ip_at", ["ip", "attempted_at"], unique=False)
        batch_op.create_index("ix_login_attempts_login_at", ["login", "attempted_at"], unique=False)

    # The one dealer role of before (the demo's "dealer") becomes the company's owner.
    users = sa.table("users", sa.column("role", sa.String), sa.column("partner_id", _id()))
    op.execute(
        users.update()
        .where(users.c.partner_id.is_not(None), users.c.role.not_in(["owner", "buyer", "accountant"]))
        .values(role="owner")
    )


def downgrade() -> None:
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempts_login_at")
        batch_op.drop_index("ix_login_attempts_ip_at")
    op.drop_table("login_attempts")
    with op.batch_alter_table("account_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_tokens_user_id"))
    op.drop_table("account_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_enabled")
        batch_op.drop_column("totp_secret")
        batch_op.drop_column("invited_at")
