"""the core's outbox of messages to the exchange (issue 3)

Outbox messages (relayed to the exchange database), the per-document sequence counters and the
contractors already sent to the WMS (lazy COUNTERPARTY).

Revision ID: core_0002
Revises: core_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dealerhub.shared.types

revision: str = "core_0002"
down_revision: str | None = "core_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_UTC = dealerhub.shared.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox_messages",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
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
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("relayed_at", _UTC, nullable=True),
        sa.Column("answer", sa.String(length=8), nullable=True),
        sa.Column("answered_at", _UTC, nullable=True),
        sa.Column("error_code", sa.String(length=32), nullable=True),
        sa.Column("error_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outbox_messages_message_id")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_messages_relayed_at_id", ["relayed_at", "id"], unique=False)

    op.create_table(
        "outbox_document_seqs",
        sa.Column("document_type", sa.String(length=32), nullable=False),
        sa.Column("document_number", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("document_type", "document_number", name=op.f("pk_outbox_document_seqs")),
    )
    op.create_table(
        "outbox_sent_counterparties",
        sa.Column("contractor_id", _ID, autoincrement=False, nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("sent_at", _UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["contractor_id"], ["contractors.id"],
            name=op.f("fk_outbox_sent_counterparties_contractor_id_contractors"),
        ),
        sa.PrimaryKeyConstraint("contractor_id", name=op.f("pk_outbox_sent_counterparties")),
    )


def downgrade() -> None:
    op.drop_table("outbox_sent_counterparties")
    op.drop_table("outbox_document_seqs")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_relayed_at_id")
    op.drop_table("outbox_messages")
