"""The bonus ledger brought to what posted sales say: an idempotent reconciliation.

For a turnover program, a partner and a closed period, the accrual due is the reached tier's
percent of the partner's turnover: the sum of the amounts of their posted sales dated within the
period (and the program's validity), on the program's brands, groups (with subgroups) and items, or
on everything when it names none. The ledger's accruals of that period must add up to it; when
they don't, one entry of the difference is appended (the first is an "accrual", later ones
"accrual_correction"), never an edit. Running it again writes nothing.

It runs in the transaction of every sale posting and unposting (sales calls after_sale) for the
period holding the sale's date, once that period is closed, and from `dealerhub bonus accrue` for
any closed period (the periods close at their end: the command, run daily, accrues them). The
partners' rows are locked first (FOR NO KEY UPDATE), so two reconciliations of a partner run one
after the other and the second sees the first's entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dealerhub.core.bonus.models import BonusEntry, BonusParticipant, BonusProgram
from dealerhub.core.bonus.rules import Period, Tier, accrual, period_of, periods_between
from dealerhub.core.catalog.models import Item, ItemGroup
from dealerhub.core.partners.models import Partner
from dealerhub.core.sales.models import Sale, SaleLine
from dealerhub.shared import clock

ZERO = Decimal(0)
ACCRUALS = ("accrual", "accrual_correction")


@dataclass(frozen=True)
class PeriodChoice:
    """Which closed periods to reconcile: the one holding `day`, a named one (`kind`, `period`),
    or (both None) every closed period of each program."""

    day: date | None = None
    kind: str | None = None
    period: Period | None = None

    def periods(self, program: BonusProgram, today: date) -> list[Period]:
        assert program.period is not None
        last = min(program.valid_to or today, today - timedelta(days=1))
        if self.day is not None:
            candidates = [period_of(program.period, self.day)]
        elif self.period is not None:
            candidates = [self.period] if self.kind == program.period else []
        else:
            candidates = periods_between(program.period, program.valid_from, last)
        return [
            p for p in candidates
            if p.end < today and p.end >= program.valid_from and (program.valid_to is None or p.start <= program.valid_to)
        ]


def reconcile(
    s: Session,
    partner_ids: Sequence[int],
    *,
    choice: PeriodChoice = PeriodChoice(),
    user_id: int | None = None,
    cause: str = "",
) -> list[BonusEntry]:
    """Bring the partners' accruals of the chosen closed periods to what posted sales say; returns
    the entries written (none when the ledger already agrees)."""
    ids = sorted(set(partner_ids))
    if not ids:
        return []
    today = clock.today()
    programs = s.scalars(
        select(BonusProgram)
        .where(BonusProgram.kind == "turnover", BonusProgram.is_active.is_(True))
        .order_by(BonusProgram.id)
    ).all()
    work = [(program, periods) for program in programs if (periods := choice.periods(program, today))]
    if not work:  # a sale of the running period: nothing to lock, nothing to write
        return []
    s.flush()
    s.execute(select(Partner.id).where(Partner.id.in_(ids)).order_by(Partner.id).with_for_update(key_share=True))
    written: list[BonusEntry] = []
    for program, periods in work:
        taking_part = _taking_part(s, program, ids)
        for period in periods:
            written += _reconcile_period(s, program, taking_part, period, user_id=user_id, cause=cause)
    return written


def after_sale(s: Session, sale: Sale, *, user_id: int | None) -> list[BonusEntry]:
    """sales' hook: a sale was posted or unposted; correct its period if that is closed."""
    return reconcile(
        s, [sale.partner_id], choice=PeriodChoice(day=sale.doc_date.date()), user_id=user_id, cause=sale.number
    )


def turnover(s: Session, program: BonusProgram, partner_ids: Sequence[int], period: Period) -> dict[int, Decimal]:
    """Each partner's posted sales within the period (and the program's validity), on the program's
    targets: partner id -> amount (partners without any are left out)."""
    start = max(period.start, program.valid_from)
    end = min(period.end, program.valid_to) if program.valid_to else period.end
    query = (
        select(Sale.partner_id, func.sum(SaleLine.amount))
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(
            Sale.partner_id.in_(partner_ids),
            Sale.status == "posted",
            Sale.doc_date >= _midnight(start),
            Sale.doc_date < _midnight(end + timedelta(days=1)),
        )
        .group_by(Sale.partner_id)
    )
    if program.targets:
        query = query.join(Item, Item.id == SaleLine.item_id).where(_on_targets(program))
    return {partner: amount for partner, amount in s.execute(query) if amount is not None}


def tiers_of(program: BonusProgram) -> list[Tier]:
    return [Tier(t.threshold, t.percent) for t in program.tiers]


def _reconcile_period(
    s: Session, program: BonusProgram, partner_ids: list[int], period: Period, *, user_id: int | None, cause: str
) -> list[BonusEntry]:
    if not partner_ids:
        return []
    sold = turnover(s, program, partner_ids, period)
    booked = {
        partner: (amount, count)
        for partner, amount, count in s.execute(
            select(BonusEntry.partner_id, func.sum(BonusEntry.amount), func.count(BonusEntry.id))
            .where(
                BonusEntry.program_id == program.id,
                BonusEntry.partner_id.in_(partner_ids),
                BonusEntry.kind.in_(ACCRUALS),
                BonusEntry.period_start == period.start,
            )
            .group_by(BonusEntry.partner_id)
        )
    }
    tiers = tiers_of(program)
    written = []
    for partner in partner_ids:
        amount = sold.get(partner, ZERO)
        percent, due = accrual(tiers, amount)
        already, count = booked.get(partner, (ZERO, 0))
        if due == already:
            continue
        entry = BonusEntry(
            program_id=program.id,
            partner_id=partner,
            kind="accrual_correction" if count else "accrual",
            amount=due - already,
            period_start=period.start,
            period_end=period.end,
            turnover=amount,
            percent=percent,
            cause=(cause or "reconciliation")[:200],
            user_id=user_id,
        )
        s.add(entry)
        written.append(entry)
    s.flush()
    return written


def _taking_part(s: Session, program: BonusProgram, partner_ids: list[int]) -> list[int]:
    if program.all_partners:
        return list(s.scalars(select(Partner.id).where(Partner.id.in_(partner_ids), Partner.is_dealer.is_(True))))
    return sorted(
        s.scalars(
            select(BonusParticipant.partner_id).where(
                BonusParticipant.program_id == program.id, BonusParticipant.partner_id.in_(partner_ids)
            )
        )
    )


def _on_targets(program: BonusProgram):
    brands = [t.brand_id for t in program.targets if t.scope == "brand"]
    items = [t.item_id for t in program.targets if t.scope == "item"]
    groups = [t.group_id for t in program.targets if t.scope == "group"]
    conditions = []
    if brands:
        conditions.append(Item.brand_id.in_(brands))
    if items:
        conditions.append(Item.id.in_(items))
    if groups:
        conditions.append(Item.group_id.in_(select(subtree(groups).c.id)))
    return or_(*conditions)


def subtree(group_ids: list[int]):
    """The groups given and all their subgroups (a recursive CTE of ids)."""
    tree = select(ItemGroup.id).where(ItemGroup.id.in_(group_ids)).cte("bonus_group_tree", recursive=True)
    child = ItemGroup.__table__.alias("child")
    return tree.union(select(child.c.id).join(tree, child.c.parent_id == tree.c.id))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)

