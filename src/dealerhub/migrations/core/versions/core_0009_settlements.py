"""dealer settlements, payments, printable documents (issue 6): the settlements register
(append-only: triggers refuse UPDATE and DELETE, as on the stock registers), incoming payments,
and the distributor's own legal entity and bank details

Revision ID: core_0009
Revises: core_0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dealerhub.shared.types

revision: str = "core_0009"
down_revision: str | None = "core_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.types.TypeEngine:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _utc() -> sa.types.TypeEngine:
    return dealerhub.shared.types.UTCDateTime(timezone=True)


def _money() -> sa.types.TypeEngine:
    return dealerhub.shared.types.ScaledDecimal(2)


def upgrade() -> None:
    op.create_table(
        "own_company",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("inn", sa.String(length=12), nullable=False),
        sa.Column("kpp", sa.String(length=9), nullable=True),
        sa.Column("ogrn", sa.String(length=15), nullable=True),
        sa.Column("legal_address", sa.String(length=500), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("bank_name", sa.String(length=300), nullable=False),
        sa.Column("bik", sa.String(length=9), nullable=False),
        sa.Column("correspondent_account", sa.String(length=20), nullable=False),
        sa.Column("account_number", sa.String(length=20), nullable=False),
        sa.Column("director_name", sa.String(length=200), nullable=False),
        sa.Column("accountant_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_own_company_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_company")),
    )
    op.create_table(
        "settlement_moves",
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("occurred_at", _utc(), nullable=False),
        sa.Column("partner_id", _id(), nullable=False),
        sa.Column("contractor_id", _id(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", _money(), nullable=False),
        sa.Column("document_type", sa.String(length=32), nullable=False),
        sa.Column("document_id", sa.BigInteger(), nullable=False),
        sa.Column("document_number", sa.String(length=32), nullable=False),
        sa.Column("is_reversal", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", _utc(), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_settlement_moves_amount_not_zero")),
        sa.ForeignKeyConstraint(
            ["contractor_id"], ["contractors.id"], name=op.f("fk_settlement_moves_contractor_id_contractors")
        ),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_settlement_moves_partner_id_partners")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement_moves")),
    )
    with op.batch_alter_table("settlement_moves", schema=None) as batch_op:
        batch_op.create_index(
            "ix_settlement_moves_contractor", ["contractor_id", "currency", "occurred_at"], unique=False
        )
        batch_op.create_index("ix_settlement_moves_document", ["document_type", "document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_settlement_moves_partner_id"), ["partner_id"], unique=False)

    op.create_table(
        "incoming_payments",
        sa.Column("partner_id", _id(), nullable=False),
        sa.Column("contractor_id", _id(), nullable=False),
        sa.Column("amount", _money(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("bank_reference", sa.String(length=100), nullable=False),
        sa.Column("customer_order_id", _id(), nullable=True),
        sa.Column("id", _id(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("doc_date", _utc(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("author_id", _id(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_incoming_payments_amount_positive")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_incoming_payments_author_id_users")),
        sa.ForeignKeyConstraint(
            ["contractor_id"], ["contractors.id"], name=op.f("fk_incoming_payments_contractor_id_contractors")
        ),
        sa.ForeignKeyConstraint(
            ["customer_order_id"],
            ["customer_orders.id"],
            name=op.f("fk_incoming_payments_customer_order_id_customer_orders"),
        ),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_incoming_payments_partner_id_partners")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incoming_payments")),
        sa.UniqueConstraint("number", name=op.f("uq_incoming_payments_number")),
    )
    with op.batch_alter_table("incoming_payments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incoming_payments_customer_order_id"), ["customer_order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_incoming_payments_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incoming_payments_status"), ["status"], unique=False)

    _append_only_guard()


def _append_only_guard() -> None:
    """settlement_moves refuses UPDATE and DELETE like the other registers (core_0001's guards)."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # dealerhub_append_only() was created by core_0001.
        op.execute(
            "CREATE TRIGGER settlement_moves_append_only BEFORE UPDATE OR DELETE ON settlement_moves "
            "FOR EACH ROW EXECUTE FUNCTION dealerhub_append_only()"
        )
    elif dialect == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER settlement_moves_no_{event.lower()} BEFORE {event} ON settlement_moves "
                "BEGIN SELECT RAISE(ABORT, 'settlement_moves is append-only'); END"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS settlement_moves_append_only ON settlement_moves")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS settlement_moves_no_update")
        op.execute("DROP TRIGGER IF EXISTS settlement_moves_no_delete")
    with op.batch_alter_table("incoming_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incoming_payments_status"))
        batch_op.drop_index(batch_op.f("ix_incoming_payments_partner_id"))
        batch_op.drop_index(batch_op.f("ix_incoming_payments_customer_order_id"))
    op.drop_table("incoming_payments")
    with op.batch_alter_table("settlement_moves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settlement_moves_partner_id"))
        batch_op.drop_index("ix_settlement_moves_document")
        batch_op.drop_index("ix_settlement_moves_contractor")
    op.drop_table("settlement_moves")
    op.drop_table("own_company")
