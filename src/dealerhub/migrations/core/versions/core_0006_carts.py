"""dealer carts (issue 5): carts and cart lines

Revision ID: core_0006
Revises: core_0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dealerhub.shared.types

revision: str = "core_0006"
down_revision: str | None = "core_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.types.TypeEngine:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "carts",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("partner_id", _id(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", _id(), nullable=True),
        sa.Column("created_at", dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_carts_created_by_users")),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_carts_partner_id_partners")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carts")),
        sa.UniqueConstraint("partner_id", "name", name=op.f("uq_carts_partner_id_name")),
    )
    with op.batch_alter_table("carts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_carts_partner_id"), ["partner_id"], unique=False)

    op.create_table(
        "cart_lines",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("cart_id", _id(), nullable=False),
        sa.Column("item_id", _id(), nullable=False),
        sa.Column("quantity", dealerhub.shared.types.ScaledDecimal(3), nullable=False),
        sa.Column("price", dealerhub.shared.types.ScaledDecimal(2), nullable=True),
        sa.Column("warehouse_id", _id(), nullable=True),
        sa.Column("added_at", dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_cart_lines_quantity_positive")),
        sa.ForeignKeyConstraint(["cart_id"], ["carts.id"], name=op.f("fk_cart_lines_cart_id_carts")),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_cart_lines_item_id_items")),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouses.id"], name=op.f("fk_cart_lines_warehouse_id_warehouses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cart_lines")),
        sa.UniqueConstraint("cart_id", "item_id", name=op.f("uq_cart_lines_cart_id_item_id")),
    )
    with op.batch_alter_table("cart_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cart_lines_cart_id"), ["cart_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cart_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cart_lines_cart_id"))
    op.drop_table("cart_lines")
    with op.batch_alter_table("carts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carts_partner_id"))
    op.drop_table("carts")
