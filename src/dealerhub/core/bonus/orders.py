"""Spending the bonus balance on an order, and giving it back when the order shrinks.

At cart submit the dealer may apply an amount of a program's balance that allows it, up to the
balance and to the program's share of the order (order_cap_percent of the order's total at their
personal prices). The bonus lowers the lines' prices: the amount is spread over the lines in
proportion to their amounts, a whole number of kopecks per unit (rules.spread), and the write-off
entry is exactly what the order's total dropped by, linked to the order. Each line's lowering per
unit is kept (BonusOrderLine), so the bonus inside the order is known at any quantity.

settle_order keeps the write-off equal to the bonus inside what the order still is: nothing for a
cancelled or rejected order, the shipped quantities of a closed one, the current quantities
otherwise (a line cut by moderation). Differences are appended as "write_off_return" entries (or a
further "write_off"), never edits; sales calls it on every such change, in its transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.bonus.discounts import open_to
from dealerhub.core.bonus.errors import InvalidBonusUse
from dealerhub.core.bonus.models import BonusEntry, BonusOrderLine, BonusProgram
from dealerhub.core.bonus.rules import LineToLower, bonus_of_line, drop, order_cap, spread
from dealerhub.core.partners.models import Partner
from dealerhub.core.pricing.rules import ZERO, has_places
from dealerhub.core.sales.models import CustomerOrder, CustomerOrderLine, Sale, SaleLine
from dealerhub.shared.texts import T

WRITE_OFFS = ("write_off", "write_off_return")


@dataclass(frozen=True)
class BonusUse:
    """A checked use of bonus on an order to be: the lowering per unit of each line (by line_no)."""

    program_id: int
    asked: Decimal
    applied: Decimal
    units: dict[int, Decimal]


def balances(s: Session, partner_id: int) -> dict[int, Decimal]:
    """program id -> the partner's balance in it (the sum of its ledger)."""
    rows = s.execute(
        select(BonusEntry.program_id, func.sum(BonusEntry.amount))
        .where(BonusEntry.partner_id == partner_id)
        .group_by(BonusEntry.program_id)
    )
    return {program: amount for program, amount in rows}


def spendable(s: Session, partner_id: int) -> list[tuple[BonusProgram, Decimal]]:
    """The programs whose balance this partner may spend on orders now, with a positive balance."""
    have = balances(s, partner_id)
    programs = s.scalars(
        select(BonusProgram)
        .where(BonusProgram.usable_in_orders.is_(True), BonusProgram.is_active.is_(True), open_to(partner_id))
        .order_by(BonusProgram.code)
    )
    return [(p, have[p.id]) for p in programs if have.get(p.id, ZERO) > 0]


def spent_on_order(s: Session, order_id: int) -> Decimal:
    """The bonus the order holds now: its write-offs less what came back."""
    total = s.scalar(
        select(func.sum(BonusEntry.amount)).where(BonusEntry.order_id == order_id, BonusEntry.kind.in_(WRITE_OFFS))
    )
    return -total if total else ZERO


def plan_use(
    s: Session, *, partner_id: int, program_id: int, amount: Decimal, lines: Sequence[LineToLower]
) -> BonusUse:
    """Check a use of bonus on lines at their personal prices and spread it. Locks the partner's
    row (so the balance read stays true until the write-off is written); writes nothing."""
    amount = Decimal(amount)
    if amount <= 0 or not has_places(amount, 2):
        raise InvalidBonusUse(T("bonus to apply (%(amount)s) must be positive, in kopecks at most", amount=amount))
    s.execute(select(Partner.id).where(Partner.id == partner_id).with_for_update(key_share=True))
    program = s.scalar(
        select(BonusProgram).where(
            BonusProgram.id == program_id,
            BonusProgram.usable_in_orders.is_(True),
            BonusProgram.is_active.is_(True),
            open_to(partner_id),
        )
    )
    if program is None:
        raise InvalidBonusUse(T("this program's bonus can't pay for orders"), program_id=program_id)
    balance = balances(s, partner_id).get(program.id, ZERO)
    if amount > balance:
        raise InvalidBonusUse(
            T("you have %(balance)s of bonus in %(program)s, less than %(amount)s", balance=balance, program=program.name, amount=amount)
        )
    total = sum((drop(ln, ln.price) for ln in lines), ZERO)
    cap = order_cap(total, program.order_cap_percent)
    if amount > cap:
        raise InvalidBonusUse(
            T(
                "bonus may pay at most %(percent)s %% of an order: %(cap)s of %(total)s",
                percent=program.order_cap_percent, cap=cap, total=total,
            )
        )
    units = spread(amount, lines)
    applied = sum((drop(ln, units.get(ln.line_no, ZERO)) for ln in lines), ZERO)
    if applied <= 0:
        raise InvalidBonusUse(T("%(amount)s is too little to lower any price of the order", amount=amount))
    return BonusUse(program.id, amount, applied, units)


def record_use(s: Session, order: CustomerOrder, use: BonusUse, *, user_id: int | None) -> BonusEntry:
    """The write-off of a planned use, for the order made at the lowered prices."""
    by_no = {line.line_no: line for line in order.lines}
    for line_no, unit in sorted(use.units.items()):
        line = by_no[line_no]
        s.add(
            BonusOrderLine(
                order_line_id=line.id, order_id=order.id, program_id=use.program_id, price=line.price, unit_amount=unit
            )
        )
    entry = BonusEntry(
        program_id=use.program_id, partner_id=order.partner_id, kind="write_off", amount=-use.applied,
        order_id=order.id, cause=order.number, user_id=user_id,
    )
    s.add(entry)
    s.flush()
    record_change(
        s, user_id=user_id, entity_type=CustomerOrder.doc_type, entity_id=order.id, action="apply_bonus",
        program_id=use.program_id, amount=use.applied, asked=use.asked,
    )
    return entry


def settle_order(s: Session, order: CustomerOrder, *, user_id: int | None) -> list[BonusEntry]:
    """sales' hook: bring the order's write-offs to the bonus inside what the order still is."""
    applied = s.execute(
        select(
            BonusOrderLine.order_line_id, BonusOrderLine.program_id, BonusOrderLine.price, BonusOrderLine.unit_amount
        ).where(
            BonusOrderLine.order_id == order.id
        )
    ).all()
    if not applied:
        return []
    s.flush()
    s.execute(select(Partner.id).where(Partner.id == order.partner_id).with_for_update(key_share=True))
    quantities = _effective_quantities(s, order)
    due: defaultdict[int, Decimal] = defaultdict(lambda: ZERO)
    for line_id, program_id, price, unit in applied:
        due[program_id] += bonus_of_line(quantities.get(line_id, ZERO), price, unit)
    spent = dict(
        s.execute(
            select(BonusEntry.program_id, func.sum(BonusEntry.amount))
            .where(BonusEntry.order_id == order.id, BonusEntry.kind.in_(WRITE_OFFS))
            .group_by(BonusEntry.program_id)
        ).all()
    )
    written = []
    for program_id in sorted(due):
        difference = -due[program_id] - spent.get(program_id, ZERO)  # the entries must sum to -due
        if difference == 0:
            continue
        entry = BonusEntry(
            program_id=program_id, partner_id=order.partner_id,
            kind="write_off_return" if difference > 0 else "write_off", amount=difference,
            order_id=order.id, cause=f"{order.number} {order.status}"[:200], user_id=user_id,
        )
        s.add(entry)
        written.append(entry)
    s.flush()
    return written


def _effective_quantities(s: Session, order: CustomerOrder) -> dict[int, Decimal]:
    """What of each line the order still stands for: nothing if cancelled, the shipped quantity if
    closed, the line's quantity otherwise."""
    if order.status == "cancelled":
        return {}
    if order.status == "closed":
        rows = s.execute(
            select(SaleLine.order_line_id, func.sum(SaleLine.quantity))
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(Sale.customer_order_id == order.id, Sale.status == "posted")
            .group_by(SaleLine.order_line_id)
        )
        return {line_id: quantity for line_id, quantity in rows}
    lines = select(CustomerOrderLine.id, CustomerOrderLine.quantity).where(CustomerOrderLine.order_id == order.id)
    return dict(s.execute(lines).all())
