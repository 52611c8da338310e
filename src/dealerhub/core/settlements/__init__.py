"""Mutual settlements with dealers (RUB): an append-only register of debits (sales) and credits
(incoming payments, customer returns) per contractor, balances derived from it, the reconciliation
statement, and the incoming payment document.

Other areas write through `record_debit` / `record_credit` (with a `SettlementDoc` naming their
document) when they post, and `reverse_document` when they unpost, in the same transaction.
"""

from dealerhub.core.settlements.errors import InvalidPayment, InvalidPeriod, PaymentNotFound
from dealerhub.core.settlements.ledger import (
    SettlementDoc,
    contractor_balance,
    partner_balances,
    reconciliation,
    record_credit,
    record_debit,
    reverse_document,
    settlement_moves,
)
from dealerhub.core.settlements.payments import (
    cancel_incoming_payment,
    create_incoming_payment,
    get_incoming_payment,
    list_incoming_payments,
    paid_by_order,
    post_incoming_payment,
    unpost_incoming_payment,
)
from dealerhub.core.settlements.rules import Entry, Statement, StatementLine, default_period, payment_status

__all__ = [
    "Entry",
    "InvalidPayment",
    "InvalidPeriod",
    "PaymentNotFound",
    "SettlementDoc",
    "Statement",
    "StatementLine",
    "cancel_incoming_payment",
    "contractor_balance",
    "create_incoming_payment",
    "default_period",
    "get_incoming_payment",
    "list_incoming_payments",
    "paid_by_order",
    "partner_balances",
    "payment_status",
    "post_incoming_payment",
    "reconciliation",
    "record_credit",
    "record_debit",
    "reverse_document",
    "settlement_moves",
    "unpost_incoming_payment",
]
