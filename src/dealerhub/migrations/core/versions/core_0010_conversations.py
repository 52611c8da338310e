"""conversations with the personal manager (issue 6): conversations, their messages and files,
read marks per user; staff profiles (photo, working hours) for the manager's card

Revision ID: core_0010
Revises: core_0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dealerhub.shared.types

revision: str = "core_0010"
down_revision: str | None = "core_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.types.TypeEngine:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _moment() -> sa.types.TypeEngine:
    return dealerhub.shared.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_profiles",
        sa.Column("user_id", _id(), nullable=False),
        sa.Column("photo_attachment_id", _id(), nullable=True),
        sa.Column("working_hours", sa.String(length=200), nullable=True),
        sa.Column("updated_at", _moment(), nullable=False),
        sa.ForeignKeyConstraint(
            ["photo_attachment_id"],
            ["attachments.id"],
            name=op.f("fk_staff_profiles_photo_attachment_id_attachments"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_staff_profiles_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_staff_profiles")),
    )
    op.create_table(
        "conversations",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("partner_id", _id(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("customer_order_id", _id(), nullable=True),
        sa.Column("started_by", _id(), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        sa.Column("last_message_at", _moment(), nullable=False),
        sa.Column("last_dealer_message_id", _id(), nullable=True),
        sa.Column("last_staff_message_id", _id(), nullable=True),
        sa.CheckConstraint(
            "kind <> 'order' OR customer_order_id IS NOT NULL", name=op.f("ck_conversations_order_named")
        ),
        sa.CheckConstraint("kind IN ('general', 'order', 'claim')", name=op.f("ck_conversations_kind_known")),
        sa.ForeignKeyConstraint(
            ["customer_order_id"],
            ["customer_orders.id"],
            name=op.f("fk_conversations_customer_order_id_customer_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_conversations_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(["started_by"], ["users.id"], name=op.f("fk_conversations_started_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversations_customer_order_id"), ["customer_order_id"], unique=False
        )
        batch_op.create_index(
            "ix_conversations_partner_last", ["partner_id", "last_message_at"], unique=False
        )

    op.create_table(
        "conversation_messages",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", _id(), nullable=False),
        sa.Column("author_id", _id(), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", _moment(), nullable=False),
        sa.CheckConstraint("side IN ('dealer', 'staff')", name=op.f("ck_conversation_messages_side_known")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_conversation_messages_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_messages_conversation_id_conversations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_messages")),
    )
    with op.batch_alter_table("conversation_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversation_messages_conversation_id", ["conversation_id", "id"], unique=False
        )

    op.create_table(
        "conversation_reads",
        sa.Column("conversation_id", _id(), nullable=False),
        sa.Column("user_id", _id(), nullable=False),
        sa.Column("last_read_message_id", _id(), nullable=False),
        sa.Column("read_at", _moment(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_reads_conversation_id_conversations"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_conversation_reads_user_id_users")),
        sa.PrimaryKeyConstraint("conversation_id", "user_id", name=op.f("pk_conversation_reads")),
    )
    with op.batch_alter_table("conversation_reads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_reads_user_id"), ["user_id"], unique=False)

    op.create_table(
        "conversation_message_attachments",
        sa.Column("attachment_id", _id(), nullable=False),
        sa.Column("message_id", _id(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_conversation_message_attachments_attachment_id_attachments"),
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["conversation_messages.id"],
            name=op.f("fk_conversation_message_attachments_message_id_conversation_messages"),
        ),
        sa.PrimaryKeyConstraint("attachment_id", name=op.f("pk_conversation_message_attachments")),
    )
    with op.batch_alter_table("conversation_message_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_message_attachments_message_id"), ["message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("conversation_message_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_message_attachments_message_id"))
    op.drop_table("conversation_message_attachments")
    with op.batch_alter_table("conversation_reads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_reads_user_id"))
    op.drop_table("conversation_reads")
    with op.batch_alter_table("conversation_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_messages_conversation_id")
    op.drop_table("conversation_messages")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_partner_last")
        batch_op.drop_index(batch_op.f("ix_conversations_customer_order_id"))
    op.drop_table("conversations")
    op.drop_table("staff_profiles")
