"""exchange_refused_messages: messages refused on arrival (issue 3, bad input)

A message whose id is already in the exchange with a different payload (duplicate_conflict), or
whose place in its document is held by another message (out_of_order), cannot be stored in
exchange_messages (its unique keys hold); it is recorded here with status `error` and the reason,
and an ERROR goes back to its sender. Layout: docs/exchange.md.

Revision ID: exchange_0003
Revises: exchange_0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "exchange_0003"
down_revision: str | None = "exchange_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
PAYLOAD = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
NOW = sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    op.create_table(
        "exchange_refused_messages",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("receiver", sa.String(length=64), nullable=False),
        sa.Column("warehouse_code", sa.String(length=32), nullable=True),
        sa.Column("document_type", sa.String(length=32), nullable=True),
        sa.Column("document_number", sa.String(length=64), nullable=True),
        sa.Column("document_seq", sa.Integer(), nullable=True),
        sa.Column("correlation_id", sa.String(length=36), nullable=True),
        sa.Column("payload", PAYLOAD, nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="error", nullable=False),
        sa.Column("created_at", TIME, server_default=NOW, nullable=False),
        sa.Column("processed_at", TIME, server_default=NOW, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("conflicts_with", BIG_ID, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_refused_messages")),
        sa.UniqueConstraint("message_id", "payload_sha256", name="uq_exchange_refused_messages_message"),
    )
    op.create_index(
        "ix_exchange_refused_messages_created_at", "exchange_refused_messages", ["created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_exchange_refused_messages_created_at", table_name="exchange_refused_messages")
    op.drop_table("exchange_refused_messages")
