"""order posting path, second pass (issue 2 benchmark): reservation_moves loses its (item,
warehouse) index

No query reads reservation moves by item and warehouse (the stock check and rebuild sum all of them,
the back office lists them by document or by reservation), while every reservation wrote a move
into that index at a random place: about a third of the pages an approved order of ten lines
dirtied on SQLite.

Revision ID: core_0013
Revises: core_0012
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0013"
down_revision: str | None = "core_0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_reservation_moves_item_warehouse", table_name="reservation_moves")


def downgrade() -> None:
    op.create_index(
        "ix_reservation_moves_item_warehouse", "reservation_moves", ["item_id", "warehouse_id"], unique=False
    )
