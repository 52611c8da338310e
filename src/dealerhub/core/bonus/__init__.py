"""Bonus and discount programs: turnover tiers per period with an append-only bonus ledger
reconciled from posted sales, group/brand discounts and time-limited promotions that pricing
applies to the dealer's personal price, and spending the balance on orders.

sales calls after_sale (posting, unposting) and settle_order (cancel, reject, close, cut) in its
own transactions; sales and carts import this package as a module (`from dealerhub.core import
bonus`) because it reads their tables in turn."""

from dealerhub.core.bonus.discounts import discount_rules, rules_of, send_discount_rules
from dealerhub.core.bonus.errors import InvalidBonusUse, InvalidProgram, ProgramCodeTaken, ProgramNotFound
from dealerhub.core.bonus.ledger import PeriodChoice, after_sale, reconcile, turnover
from dealerhub.core.bonus.models import BonusEntry, BonusProgram
from dealerhub.core.bonus.orders import (
    BonusUse,
    balances,
    plan_use,
    record_use,
    settle_order,
    spendable,
    spent_on_order,
)
from dealerhub.core.bonus.programs import (
    ProgramInput,
    TargetInput,
    create_program,
    get_program,
    list_programs,
    update_program,
)
from dealerhub.core.bonus.queries import ProgramView, dealer_programs, ledger
from dealerhub.core.bonus.rules import LineToLower, Period, Tier, parse_period

__all__ = [
    "BonusEntry",
    "BonusProgram",
    "BonusUse",
    "InvalidBonusUse",
    "InvalidProgram",
    "LineToLower",
    "Period",
    "PeriodChoice",
    "ProgramCodeTaken",
    "ProgramInput",
    "ProgramNotFound",
    "ProgramView",
    "TargetInput",
    "Tier",
    "after_sale",
    "balances",
    "create_program",
    "dealer_programs",
    "discount_rules",
    "get_program",
    "ledger",
    "list_programs",
    "parse_period",
    "plan_use",
    "reconcile",
    "record_use",
    "rules_of",
    "send_discount_rules",
    "settle_order",
    "spendable",
    "spent_on_order",
    "turnover",
    "update_program",
]
