"""the core's inbox of applied exchange messages, what inbound messages leave beside their
documents (despatch shortages and packages, receipt acceptances and discrepancies), the REMAINS
snapshots and reconciliation reports, and the link of a warehouse to its defect warehouse (issue 3)

Revision ID: core_0003
Revises: core_0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import dealerhub.shared.types

revision: str = "core_0003"
down_revision: str | None = "core_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('inbox_messages',
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('sender', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('recorded_at', dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('document_type', sa.String(length=32), nullable=True),
    sa.Column('document_number', sa.String(length=64), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('error_code', sa.String(length=32), nullable=True),
    sa.Column('error_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_inbox_messages'))
    )
    op.create_table('remains_snapshots',
    sa.Column('snapshot_id', sa.String(length=64), nullable=False),
    sa.Column('warehouse_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('as_of', dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('parts_total', sa.Integer(), nullable=False),
    sa.Column('received_at', dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_remains_snapshots_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('snapshot_id', name=op.f('pk_remains_snapshots'))
    )
    op.create_index(op.f('ix_remains_snapshots_warehouse_id'), 'remains_snapshots', ['warehouse_id'], unique=False)
    op.create_table('warehouse_defect_links',
    sa.Column('warehouse_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('defect_warehouse_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['defect_warehouse_id'], ['warehouses.id'], name=op.f('fk_warehouse_defect_links_defect_warehouse_id_warehouses')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_warehouse_defect_links_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('warehouse_id', name=op.f('pk_warehouse_defect_links'))
    )
    op.create_index(op.f('ix_warehouse_defect_links_defect_warehouse_id'), 'warehouse_defect_links', ['defect_warehouse_id'], unique=False)
    op.create_table('reconciliation_reports',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('snapshot_id', sa.String(length=64), nullable=False),
    sa.Column('warehouse_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('as_of', dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('built_at', dealerhub.shared.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('differences', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['snapshot_id'], ['remains_snapshots.snapshot_id'], name=op.f('fk_reconciliation_reports_snapshot_id_remains_snapshots')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_reconciliation_reports_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconciliation_reports')),
    sa.UniqueConstraint('snapshot_id', name=op.f('uq_reconciliation_reports_snapshot_id'))
    )
    op.create_index(op.f('ix_reconciliation_reports_warehouse_id'), 'reconciliation_reports', ['warehouse_id'], unique=False)
    op.create_table('remains_parts',
    sa.Column('snapshot_id', sa.String(length=64), nullable=False),
    sa.Column('part', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['snapshot_id'], ['remains_snapshots.snapshot_id'], name=op.f('fk_remains_parts_snapshot_id_remains_snapshots')),
    sa.PrimaryKeyConstraint('snapshot_id', 'part', name=op.f('pk_remains_parts'))
    )
    op.create_table('remains_rows',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('snapshot_id', sa.String(length=64), nullable=False),
    sa.Column('part', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('quantity', dealerhub.shared.types.ScaledDecimal(3), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_remains_rows_item_id_items')),
    sa.ForeignKeyConstraint(['snapshot_id'], ['remains_snapshots.snapshot_id'], name=op.f('fk_remains_rows_snapshot_id_remains_snapshots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remains_rows'))
    )
    op.create_index(op.f('ix_remains_rows_snapshot_id'), 'remains_rows', ['snapshot_id'], unique=False)
    op.create_table('reconciliation_rows',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('report_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('wms_available', dealerhub.shared.types.ScaledDecimal(3), nullable=False),
    sa.Column('wms_allocated', dealerhub.shared.types.ScaledDecimal(3), nullable=False),
    sa.Column('wms_defect', dealerhub.shared.types.ScaledDecimal(3), nullable=False),
    sa.Column('wms_quarantine', dealerhub.shared.types.ScaledDecimal(3), nullable=False),
    sa.Column('core_on_hand', dealerhub.shared.types.ScaledDecimal(3), nullable=False),
    sa.Column('difference', dealerhub.shared.types.ScaledDecimal(3), nullable=False),
    sa.Column('core_defect_on_hand', dealerhub.shared.types.ScaledDecimal(3), nullable=True),
    sa.Column('defect_difference', dealerhub.shared.types.ScaledDecimal(3), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_reconciliation_rows_item_id_items')),
    sa.ForeignKeyConstraint(['report_id'], ['reconciliation_reports.id'], name=op.f('fk_reconciliation_rows_report_id_reconciliation_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconciliation_rows'))
    )
    op.create_index(op.f('ix_reconciliation_rows_report_id'), 'reconciliation_rows', ['report_id'], unique=False)
    op.create_table('despatch_packages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('picking_task_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sale_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('despatch_number', sa.String(length=64), nullable=False),
    sa.Column('package_no', sa.String(length=64), nullable=False),
    sa.Column('weight_kg', dealerhub.shared.types.ScaledDecimal(3), nullable=False),
    sa.Column('length_mm', sa.Integer(), nullable=True),
    sa.Column('width_mm', sa.Integer(), nullable=True),
    sa.Column('height_mm', sa.Integer(), nullable=True),
    sa.Column('contents', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['picking_task_id'], ['picking_tasks.id'], name=op.f('fk_despatch_packages_picking_task_id_picking_tasks')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_despatch_packages_sale_id_sales')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_despatch_packages'))
    )
    op.create_index(op.f('ix_despatch_packages_message_id'), 'despatch_packages', ['message_id'], unique=False)
    op.create_index(op.f('ix_despatch_packages_picking_task_id'), 'despatch_packages', ['picking_task_id'], unique=False)
    op.create_index(op.f('ix_despatch_packages_sale_id'), 'despatch_packages', ['sale_id'], unique=False)
    op.create_table('despatch_shortages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('picking_task_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('picking_task_line_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('quantity', dealerhub.shared.types.ScaledDecimal(3), nullable=False),
    sa.Column('reason', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_despatch_shortages_item_id_items')),
    sa.ForeignKeyConstraint(['picking_task_id'], ['picking_tasks.id'], name=op.f('fk_despatch_shortages_picking_task_id_picking_tasks')),
    sa.ForeignKeyConstraint(['picking_task_line_id'], ['picking_task_lines.id'], name=op.f('fk_despatch_shortages_picking_task_line_id_picking_task_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_despatch_shortages'))
    )
    op.create_index(op.f('ix_despatch_shortages_message_id'), 'despatch_shortages', ['message_id'], unique=False)
    op.create_index(op.f('ix_despatch_shortages_picking_task_id'), 'despatch_shortages', ['picking_task_id'], unique=False)
    op.create_table('receipt_acceptances',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('asn_number', sa.String(length=64), nullable=False),
    sa.Column('invoice_reference', sa.String(length=64), nullable=False),
    sa.Column('goods_receipt_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('customer_return_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('supplier_order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('wms_receipt_number', sa.String(length=64), nullable=False),
    sa.Column('accepted', sa.JSON(), nullable=False),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('completed_at', dealerhub.shared.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['customer_return_id'], ['customer_returns.id'], name=op.f('fk_receipt_acceptances_customer_return_id_customer_returns')),
    sa.ForeignKeyConstraint(['goods_receipt_id'], ['goods_receipts.id'], name=op.f('fk_receipt_acceptances_goods_receipt_id_goods_receipts')),
    sa.ForeignKeyConstraint(['supplier_order_id'], ['supplier_orders.id'], name=op.f('fk_receipt_acceptances_supplier_order_id_supplier_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_acceptances')),
    sa.UniqueConstraint('asn_number', 'invoice_reference', name=op.f('uq_receipt_acceptances_asn_number_invoice_reference')),
    sa.UniqueConstraint('customer_return_id', name=op.f('uq_receipt_acceptances_customer_return_id')),
    sa.UniqueConstraint('goods_receipt_id', name=op.f('uq_receipt_acceptances_goods_receipt_id'))
    )
    op.create_index(op.f('ix_receipt_acceptances_supplier_order_id'), 'receipt_acceptances', ['supplier_order_id'], unique=False)
    op.create_table('receipt_discrepancies',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('acceptance_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('asn_line_no', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('accepted', dealerhub.shared.types.ScaledDecimal(3), nullable=False),
    sa.Column('rejected', dealerhub.shared.types.ScaledDecimal(3), nullable=False),
    sa.Column('disposition', sa.String(length=16), nullable=False),
    sa.Column('discrepancy', sa.String(length=16), nullable=True),
    sa.Column('comment', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['acceptance_id'], ['receipt_acceptances.id'], name=op.f('fk_receipt_discrepancies_acceptance_id_receipt_acceptances')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_receipt_discrepancies_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_discrepancies'))
    )
    op.create_index(op.f('ix_receipt_discrepancies_acceptance_id'), 'receipt_discrepancies', ['acceptance_id'], unique=False)
    op.create_index(op.f('ix_receipt_discrepancies_message_id'), 'receipt_discrepancies', ['message_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_receipt_discrepancies_message_id'), table_name='receipt_discrepancies')
    op.drop_index(op.f('ix_receipt_discrepancies_acceptance_id'), table_name='receipt_discrepancies')
    op.drop_table('receipt_discrepancies')
    op.drop_index(op.f('ix_receipt_acceptances_supplier_order_id'), table_name='receipt_acceptances')
    op.drop_table('receipt_acceptances')
    op.drop_index(op.f('ix_despatch_shortages_picking_task_id'), table_name='despatch_shortages')
    op.drop_index(op.f('ix_despatch_shortages_message_id'), table_name='despatch_shortages')
    op.drop_table('despatch_shortages')
    op.drop_index(op.f('ix_despatch_packages_sale_id'), table_name='despatch_packages')
    op.drop_index(op.f('ix_despatch_packages_picking_task_id'), table_name='despatch_packages')
    op.drop_index(op.f('ix_despatch_packages_message_id'), table_name='despatch_packages')
    op.drop_table('despatch_packages')
    op.drop_index(op.f('ix_reconciliation_rows_report_id'), table_name='reconciliation_rows')
    op.drop_table('reconciliation_rows')
    op.drop_index(op.f('ix_remains_rows_snapshot_id'), table_name='remains_rows')
    op.drop_table('remains_rows')
    op.drop_table('remains_parts')
    op.drop_index(op.f('ix_reconciliation_reports_warehouse_id'), table_name='reconciliation_reports')
    op.drop_table('reconciliation_reports')
    op.drop_index(op.f('ix_warehouse_defect_links_defect_warehouse_id'), table_name='warehouse_defect_links')
    op.drop_table('warehouse_defect_links')
    op.drop_index(op.f('ix_remains_snapshots_warehouse_id'), table_name='remains_snapshots')
    op.drop_table('remains_snapshots')
    op.drop_table('inbox_messages')
