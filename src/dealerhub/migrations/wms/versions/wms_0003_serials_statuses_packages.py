"""serials scanned on acceptances; count lines by stock status; packages by order line and the
DESPATCH part they left in; shipped per order line

Revision ID: wms_0003
Revises: wms_0002
Create Date: 2026-11-28 04:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dealerhub.shared.types

revision: str = "wms_0003"
down_revision: str | None = "wms_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.types.TypeEngine:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _qty() -> sa.types.TypeEngine:
    return dealerhub.shared.types.ScaledDecimal(3)


def upgrade() -> None:
    op.create_table(
        "wms_receipt_serials",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("receipt_line_id", _id(), nullable=False),
        sa.Column("item_id", _id(), nullable=False),
        sa.Column("serial_no", sa.String(length=64), nullable=False),
        sa.Column("prior_received_in", sa.String(length=64), nullable=True),
        sa.Column("prior_shipped_in", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["wms_items.id"], name=op.f("fk_wms_receipt_serials_item_id_wms_items")),
        sa.ForeignKeyConstraint(["receipt_line_id"], ["wms_receipt_lines.id"],
                                name=op.f("fk_wms_receipt_serials_receipt_line_id_wms_receipt_lines")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wms_receipt_serials")),
        sa.UniqueConstraint("receipt_line_id", "serial_no", name=op.f("uq_wms_receipt_serials_receipt_line_id_serial_no")),
    )
    with op.batch_alter_table("wms_receipt_serials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wms_receipt_serials_receipt_line_id"), ["receipt_line_id"], unique=False)

    # The server defaults only fill the existing rows; the application always sets the values.
    with op.batch_alter_table("wms_count_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=16), nullable=False, server_default="available"))
        batch_op.add_column(sa.Column("book_allocated", _qty(), nullable=False, server_default="0"))
        batch_op.drop_constraint("uq_wms_count_lines_count_id_bin_id_item_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_wms_count_lines_count_id_bin_id_item_id_status"), ["count_id", "bin_id", "item_id", "status"]
        )
    with op.batch_alter_table("wms_count_lines", schema=None) as batch_op:
        batch_op.alter_column("status", server_default=None)
        batch_op.alter_column("book_allocated", server_default=None)

    with op.batch_alter_table("wms_order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shipped", _qty(), nullable=False, server_default="0"))
    with op.batch_alter_table("wms_order_lines", schema=None) as batch_op:
        batch_op.alter_column("shipped", server_default=None)
    # Orders despatched before: everything picked left in their one DESPATCH.
    op.execute("UPDATE wms_order_lines SET shipped = picked "
               "WHERE order_id IN (SELECT id FROM wms_orders WHERE status = 'shipped')")

    with op.batch_alter_table("wms_packages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("despatch_number", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("despatched_at", dealerhub.shared.types.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE wms_packages SET despatch_number = (SELECT o.despatch_number FROM wms_orders o "
               "WHERE o.id = wms_packages.order_id), despatched_at = (SELECT o.shipped_at FROM wms_orders o "
               "WHERE o.id = wms_packages.order_id)")

    with op.batch_alter_table("wms_package_contents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_line_id", _id(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_wms_package_contents_order_line_id_wms_order_lines"), "wms_order_lines", ["order_line_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("wms_package_contents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_wms_package_contents_order_line_id_wms_order_lines"), type_="foreignkey")
        batch_op.drop_column("order_line_id")
    with op.batch_alter_table("wms_packages", schema=None) as batch_op:
        batch_op.drop_column("despatched_at")
        batch_op.drop_column("despatch_number")
    with op.batch_alter_table("wms_order_lines", schema=None) as batch_op:
        batch_op.drop_column("shipped")
    with op.batch_alter_table("wms_count_lines", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_wms_count_lines_count_id_bin_id_item_id_status"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_wms_count_lines_count_id_bin_id_item_id"), ["count_id", "bin_id", "item_id"]
        )
        batch_op.drop_column("book_allocated")
        batch_op.drop_column("status")
    with op.batch_alter_table("wms_receipt_serials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wms_receipt_serials_receipt_line_id"))
    op.drop_table("wms_receipt_serials")
