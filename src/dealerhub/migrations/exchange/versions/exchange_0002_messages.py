"""the exchange's message tables (issue 3)

exchange_messages (one row per message), exchange_document_progress (per-document ordering) and
exchange_messages_archive (done messages after the retention period). Layout: docs/exchange.md.

Revision ID: exchange_0002
Revises: exchange_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "exchange_0002"
down_revision: str | None = "exchange_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# UTC; microseconds on MariaDB too.
TIME = sa.DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
PAYLOAD = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
NOW = sa.text("CURRENT_TIMESTAMP")


def _columns(*, archive: bool) -> list[sa.Column]:
    return [
        sa.Column("id", BIG_ID, autoincrement=not archive, nullable=False),
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
        sa.Column("status", sa.String(length=16), server_default="new", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", TIME, server_default=NOW, nullable=False),
        sa.Column("created_at", TIME, server_default=NOW, nullable=False),
        sa.Column("taken_at", TIME, nullable=True),
        sa.Column("taken_by", sa.String(length=64), nullable=True),
        sa.Column("lease_until", TIME, nullable=True),
        sa.Column("processed_at", TIME, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    # One message per place in a document's sequence. SQL Server counts NULLs as equal in a unique
    # constraint (it would allow one message without a document per sender): a filtered index there.
    mssql = op.get_bind().dialect.name == "mssql"
    document_key = ("sender", "document_type", "document_number", "document_seq")
    op.create_table(
        "exchange_messages",
        *_columns(archive=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_messages")),
        sa.UniqueConstraint("message_id", name=op.f("uq_exchange_messages_message_id")),
        *([] if mssql else [sa.UniqueConstraint(*document_key, name="uq_exchange_messages_document")]),
    )
    if mssql:
        op.create_index(
            "uq_exchange_messages_document",
            "exchange_messages",
            list(document_key),
            unique=True,
            mssql_where=sa.text("document_number IS NOT NULL"),
        )
    op.create_index(
        "ix_exchange_messages_claim", "exchange_messages", ["receiver", "status", "next_attempt_at", "id"]
    )
    op.create_index("ix_exchange_messages_correlation_id", "exchange_messages", ["correlation_id"])
    op.create_index("ix_exchange_messages_status_processed", "exchange_messages", ["status", "processed_at"])

    op.create_table(
        "exchange_document_progress",
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("document_type", sa.String(length=32), nullable=False),
        sa.Column("document_number", sa.String(length=64), nullable=False),
        sa.Column("last_done_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "sender", "document_type", "document_number", name=op.f("pk_exchange_document_progress")
        ),
    )

    op.create_table(
        "exchange_messages_archive",
        *_columns(archive=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_messages_archive")),
        sa.UniqueConstraint("message_id", name=op.f("uq_exchange_messages_archive_message_id")),
    )
    op.create_index(
        "ix_exchange_messages_archive_processed_at", "exchange_messages_archive", ["processed_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_exchange_messages_archive_processed_at", table_name="exchange_messages_archive")
    op.drop_table("exchange_messages_archive")
    op.drop_table("exchange_document_progress")
    op.drop_index("ix_exchange_messages_status_processed", table_name="exchange_messages")
    op.drop_index("ix_exchange_messages_correlation_id", table_name="exchange_messages")
    op.drop_index("ix_exchange_messages_claim", table_name="exchange_messages")
    op.drop_table("exchange_messages")
