"""claims and returns (issue 6): claims against shipped lines, their photos, their conversations

Revision ID: core_0012
Revises: core_0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dealerhub.shared.types

revision: str = "core_0012"
down_revision: str | None = "core_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.types.TypeEngine:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("partner_id", _id(), nullable=False),
        sa.Column("sale_id", _id(), nullable=False),
        sa.Column("sale_line_id", _id(), nullable=False),
        sa.Column("item_id", _id(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("quantity", dealerhub.shared.types.ScaledDecimal(3), nullable=False),
        sa.Column("serial_number", sa.String(length=40), nullable=True),
        sa.Column("machine_hours", dealerhub.shared.types.ScaledDecimal(3), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reviewer_id", _id(), nullable=True),
        sa.Column("rejection_reason", sa.String(length=1000), nullable=True),
        sa.Column("resolution", sa.String(length=16), nullable=True),
        sa.Column("resolution_note", sa.String(length=1000), nullable=True),
        sa.Column("customer_return_id", _id(), nullable=True),
        sa.Column("replacement_order_id", _id(), nullable=True),
        sa.Column("conversation_id", _id(), nullable=False),
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("doc_date", dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("author_id", _id(), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_claims_quantity_positive")),
        _fk("claims", "author_id", "users"),
        _fk("claims", "conversation_id", "conversations"),
        _fk("claims", "customer_return_id", "customer_returns"),
        _fk("claims", "item_id", "items"),
        _fk("claims", "partner_id", "partners"),
        _fk("claims", "replacement_order_id", "customer_orders"),
        _fk("claims", "reviewer_id", "users"),
        _fk("claims", "sale_id", "sales"),
        _fk("claims", "sale_line_id", "sale_lines"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_claims_conversation_id")),
        sa.UniqueConstraint("number", name=op.f("uq_claims_number")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        for column in ("customer_return_id", "partner_id", "sale_id", "sale_line_id", "status"):
            batch_op.create_index(batch_op.f(f"ix_claims_{column}"), [column], unique=False)

    op.create_table(
        "claim_photos",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("claim_id", _id(), nullable=False),
        sa.Column("attachment_id", _id(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("claim_photos", "attachment_id", "attachments"),
        _fk("claim_photos", "claim_id", "claims"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_photos")),
        sa.UniqueConstraint("attachment_id", name=op.f("uq_claim_photos_attachment_id")),
    )
    with op.batch_alter_table("claim_photos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_photos_claim_id"), ["claim_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claim_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_photos_claim_id"))
    op.drop_table("claim_photos")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        for column in ("status", "sale_line_id", "sale_id", "partner_id", "customer_return_id"):
            batch_op.drop_index(batch_op.f(f"ix_claims_{column}"))
    op.drop_table("claims")
