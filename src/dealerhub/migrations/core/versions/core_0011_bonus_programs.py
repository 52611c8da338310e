"""bonus and discount programs (issue 6): programs, tiers, targets, participants, the bonus ledger
and the bonus inside order lines

Revision ID: core_0011
Revises: core_0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dealerhub.shared.types

revision: str = "core_0011"
down_revision: str | None = "core_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.types.TypeEngine:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _money() -> sa.types.TypeEngine:
    return dealerhub.shared.types.ScaledDecimal(2)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "bonus_programs",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("all_partners", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("usable_in_orders", sa.Boolean(), nullable=False),
        sa.Column("order_cap_percent", _money(), nullable=False),
        sa.Column("created_at", dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bonus_programs")),
        sa.UniqueConstraint("code", name=op.f("uq_bonus_programs_code")),
    )
    op.create_table(
        "bonus_participants",
        sa.Column("program_id", _id(), nullable=False),
        sa.Column("partner_id", _id(), nullable=False),
        _fk("bonus_participants", "partner_id", "partners"),
        _fk("bonus_participants", "program_id", "bonus_programs"),
        sa.PrimaryKeyConstraint("program_id", "partner_id", name=op.f("pk_bonus_participants")),
    )
    _index("bonus_participants", "partner_id")
    op.create_table(
        "bonus_tiers",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("program_id", _id(), nullable=False),
        sa.Column("threshold", _money(), nullable=False),
        sa.Column("percent", _money(), nullable=False),
        _fk("bonus_tiers", "program_id", "bonus_programs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bonus_tiers")),
        sa.UniqueConstraint("program_id", "threshold", name=op.f("uq_bonus_tiers_program_id_threshold")),
    )
    _index("bonus_tiers", "program_id")
    op.create_table(
        "bonus_targets",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("program_id", _id(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("brand_id", _id(), nullable=True),
        sa.Column("group_id", _id(), nullable=True),
        sa.Column("item_id", _id(), nullable=True),
        sa.Column("percent", _money(), nullable=False),
        _fk("bonus_targets", "brand_id", "brands"),
        _fk("bonus_targets", "group_id", "item_groups"),
        _fk("bonus_targets", "item_id", "items"),
        _fk("bonus_targets", "program_id", "bonus_programs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bonus_targets")),
    )
    _index("bonus_targets", "program_id")
    op.create_table(
        "bonus_entries",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("program_id", _id(), nullable=False),
        sa.Column("partner_id", _id(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount", _money(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("turnover", _money(), nullable=True),
        sa.Column("percent", _money(), nullable=True),
        sa.Column("order_id", _id(), nullable=True),
        sa.Column("cause", sa.String(length=200), nullable=False),
        sa.Column("user_id", _id(), nullable=True),
        sa.Column("created_at", dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
        _fk("bonus_entries", "order_id", "customer_orders"),
        _fk("bonus_entries", "partner_id", "partners"),
        _fk("bonus_entries", "program_id", "bonus_programs"),
        _fk("bonus_entries", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bonus_entries")),
    )
    _index("bonus_entries", "order_id", "partner_id", "program_id")
    op.create_table(
        "bonus_order_lines",
        sa.Column("order_line_id", _id(), autoincrement=False, nullable=False),
        sa.Column("order_id", _id(), nullable=False),
        sa.Column("program_id", _id(), nullable=False),
        sa.Column("price", _money(), nullable=False),
        sa.Column("unit_amount", _money(), nullable=False),
        _fk("bonus_order_lines", "order_id", "customer_orders"),
        _fk("bonus_order_lines", "program_id", "bonus_programs"),
        sa.PrimaryKeyConstraint("order_line_id", name=op.f("pk_bonus_order_lines")),
    )
    _index("bonus_order_lines", "order_id")


def downgrade() -> None:
    for table in ("bonus_order_lines", "bonus_entries", "bonus_targets", "bonus_tiers", "bonus_participants"):
        op.drop_table(table)  # their indexes go with them
    op.drop_table("bonus_programs")
