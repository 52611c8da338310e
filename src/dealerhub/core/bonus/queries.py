"""What the dealer (and the back office, for one dealer) sees of the programs: the rules, the
status in the running period, the ledger and the balance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dealerhub.core.bonus.discounts import open_to
from dealerhub.core.bonus.ledger import tiers_of, turnover
from dealerhub.core.bonus.models import BonusEntry, BonusProgram
from dealerhub.core.bonus.orders import balances
from dealerhub.core.bonus.rules import Period, TierStatus, period_of, tier_status
from dealerhub.core.catalog.models import Brand, Item, ItemGroup, ItemGroupTranslation
from dealerhub.core.pricing.rules import ZERO
from dealerhub.core.sales.models import CustomerOrder
from dealerhub.shared import clock


@dataclass(frozen=True)
class EntryRow:
    entry: BonusEntry
    order_number: str | None


@dataclass(frozen=True)
class ProgramView:
    program: BonusProgram
    targets: list[tuple[str, str, Decimal]]  # (scope, name, percent)
    period: Period | None  # the running period of a turnover program
    status: TierStatus | None
    entries: list[EntryRow]
    balance: Decimal

    @property
    def in_force(self) -> bool:
        today = clock.today()
        p = self.program
        return p.is_active and p.valid_from <= today and (p.valid_to is None or p.valid_to >= today)


def dealer_programs(s: Session, partner_id: int, lang: str = "ru") -> list[ProgramView]:
    """The programs the partner takes part in that run now or later, and any with entries of
    theirs, newest first; the status only for a turnover program running today."""
    today = clock.today()
    have = balances(s, partner_id)
    programs = s.scalars(
        select(BonusProgram)
        .where(or_(open_to(partner_id), BonusProgram.id.in_(list(have) or [0])))
        .order_by(BonusProgram.valid_from.desc(), BonusProgram.code)
    ).all()
    names = target_names(s, programs, lang)
    views = []
    for program in programs:
        running = program.is_active and (program.valid_to is None or program.valid_to >= today)
        if not (running or program.id in have):  # ended and never touched the dealer: not shown
            continue
        period = status = None
        if program.kind == "turnover" and program.period and running and program.valid_from <= today:
            period = period_of(program.period, today)
            amount = turnover(s, program, [partner_id], period).get(partner_id, ZERO)
            status = tier_status(tiers_of(program), amount)
        views.append(
            ProgramView(
                program,
                [(t.scope, names[(t.scope, _target_id(t))], t.percent) for t in program.targets],
                period,
                status,
                ledger(s, partner_id, program.id),
                have.get(program.id, ZERO),
            )
        )
    return views


def ledger(s: Session, partner_id: int, program_id: int | None = None) -> list[EntryRow]:
    query = (
        select(BonusEntry, CustomerOrder.number)
        .outerjoin(CustomerOrder, CustomerOrder.id == BonusEntry.order_id)
        .where(BonusEntry.partner_id == partner_id)
        .order_by(BonusEntry.id)
    )
    if program_id is not None:
        query = query.where(BonusEntry.program_id == program_id)
    return [EntryRow(entry, number) for entry, number in s.execute(query)]


def target_names(s: Session, programs: Iterable[BonusProgram], lang: str = "ru") -> dict[tuple[str, int], str]:
    """(scope, id) -> the brand's name, the group's name in `lang` (else its code) or the item's
    article, for the programs' targets."""
    wanted: dict[str, set[int]] = {"brand": set(), "group": set(), "item": set()}
    for program in programs:
        for t in program.targets:
            wanted[t.scope].add(_target_id(t))
    names: dict[tuple[str, int], str] = {}
    group_name = func.coalesce(ItemGroupTranslation.name, ItemGroup.code)
    queries = {
        "brand": select(Brand.id, Brand.name).where(Brand.id.in_(wanted["brand"])),
        "group": select(ItemGroup.id, group_name)
        .outerjoin(
            ItemGroupTranslation,
            (ItemGroupTranslation.group_id == ItemGroup.id) & (ItemGroupTranslation.lang == lang),
        )
        .where(ItemGroup.id.in_(wanted["group"])),
        "item": select(Item.id, Item.article).where(Item.id.in_(wanted["item"])),
    }
    for scope, query in queries.items():
        if wanted[scope]:
            names.update(((scope, i), name) for i, name in s.execute(query))
    return names


def _target_id(target) -> int:
    return {"brand": target.brand_id, "group": target.group_id, "item": target.item_id}[target.scope]
