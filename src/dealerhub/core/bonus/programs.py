"""Defining programs (staff, in the back office): create, change, look up. Every change is
checked whole before anything is written and leaves an audit record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.audit import record_change
from dealerhub.core.bonus.errors import InvalidProgram, ProgramCodeTaken, ProgramNotFound
from dealerhub.core.bonus.models import (
    PERIODS,
    PROGRAM_KINDS,
    TARGET_SCOPES,
    BonusEntry,
    BonusParticipant,
    BonusProgram,
    BonusTarget,
    BonusTier,
)
from dealerhub.core.bonus.rules import Tier, tiers_problem
from dealerhub.core.catalog.models import Brand, Item, ItemGroup
from dealerhub.core.partners.models import Partner
from dealerhub.core.pricing.rules import HUNDRED, ZERO, has_places
from dealerhub.shared.texts import T

_TARGET_TABLES = {"brand": Brand, "group": ItemGroup, "item": Item}
_UNKNOWN_TARGET = {  # a program's target that isn't in the catalog (literal templates: gettext extracts them)
    "brand": lambda target_id: T("unknown brand %(id)s", id=target_id),
    "group": lambda target_id: T("unknown item group %(id)s", id=target_id),
    "item": lambda target_id: T("unknown item %(id)s", id=target_id),
}


@dataclass(frozen=True)
class TargetInput:
    scope: str  # brand | group (with its subgroups) | item
    target_id: int
    percent: Decimal = ZERO  # discounts and promotions; a turnover program's targets carry none


@dataclass(frozen=True)
class ProgramInput:
    code: str
    name: str
    kind: str  # turnover | discount | promotion
    valid_from: date
    valid_to: date | None = None
    period: str | None = None  # month | quarter | year (turnover)
    description: str = ""
    tiers: Sequence[Tier] = ()
    targets: Sequence[TargetInput] = ()
    all_partners: bool = True
    partner_ids: Sequence[int] = ()
    usable_in_orders: bool = False
    order_cap_percent: Decimal = ZERO
    is_active: bool = True


def create_program(s: Session, data: ProgramInput, *, user_id: int | None) -> BonusProgram:
    _check(s, data, program_id=None)
    program = BonusProgram()
    _apply(program, data)
    s.add(program)
    s.flush()
    record_change(
        s, user_id=user_id, entity_type="bonus_program", entity_id=program.id, action="create",
        code=program.code, kind=program.kind,
    )
    return program


def update_program(s: Session, program_id: int, data: ProgramInput, *, user_id: int | None) -> BonusProgram:
    """Replace the program's definition. Its kind and period can't change once the ledger has
    entries of it; other changes take effect at the next reconciliation (corrections, never edits)."""
    program = get_program(s, program_id, lock=True)
    _check(s, data, program_id=program.id)
    booked = s.scalar(select(BonusEntry.id).where(BonusEntry.program_id == program.id).limit(1))
    if booked is not None and (data.kind != program.kind or data.period != program.period):
        raise InvalidProgram(T("the ledger has entries of this program: its kind and period can't change"))
    before = _summary(program)
    program.tiers, program.targets, program.participants = [], [], []
    s.flush()  # the old rows go first: a tier may come back with the same threshold
    _apply(program, data)
    s.flush()
    after = _summary(program)
    record_change(
        s, user_id=user_id, entity_type="bonus_program", entity_id=program.id, action="update",
        fields=sorted(k for k in after if after[k] != before[k]),
    )
    return program


def get_program(s: Session, program_id: int, *, lock: bool = False) -> BonusProgram:
    query = select(BonusProgram).where(BonusProgram.id == program_id)
    program = s.scalar(query.with_for_update() if lock else query)
    if program is None:
        raise ProgramNotFound(T("the bonus program is not found"), program_id=program_id)
    return program


def list_programs(s: Session) -> list[BonusProgram]:
    return list(s.scalars(select(BonusProgram).order_by(BonusProgram.valid_from.desc(), BonusProgram.code)))


def _apply(program: BonusProgram, data: ProgramInput) -> None:
    program.code, program.name, program.kind = data.code.strip(), data.name.strip(), data.kind
    program.description = data.description.strip()
    program.period = data.period if data.kind == "turnover" else None
    program.valid_from, program.valid_to = data.valid_from, data.valid_to
    program.all_partners, program.is_active = data.all_partners, data.is_active
    program.usable_in_orders = data.usable_in_orders
    program.order_cap_percent = Decimal(data.order_cap_percent) if data.usable_in_orders else ZERO
    program.tiers = [BonusTier(threshold=Decimal(t.threshold), percent=Decimal(t.percent)) for t in data.tiers]
    program.targets = [
        BonusTarget(scope=t.scope, percent=Decimal(t.percent), **{f"{t.scope}_id": t.target_id})
        for t in data.targets
    ]
    program.participants = (
        [] if data.all_partners else [BonusParticipant(partner_id=p) for p in sorted(set(data.partner_ids))]
    )


def _summary(program: BonusProgram) -> dict:
    return {
        "code": program.code, "name": program.name, "kind": program.kind, "description": program.description,
        "period": program.period, "valid_from": program.valid_from, "valid_to": program.valid_to,
        "all_partners": program.all_partners, "is_active": program.is_active,
        "usable_in_orders": program.usable_in_orders, "order_cap_percent": program.order_cap_percent,
        "tiers": [(t.threshold, t.percent) for t in program.tiers],
        "targets": [(t.scope, t.brand_id, t.group_id, t.item_id, t.percent) for t in program.targets],
        "partners": [p.partner_id for p in program.participants],
    }


def _check(s: Session, data: ProgramInput, *, program_id: int | None) -> None:
    problem = _problem(data)
    if problem:
        raise InvalidProgram(problem)
    code = data.code.strip()
    taken = s.scalar(select(BonusProgram.id).where(BonusProgram.code == code))
    if taken is not None and taken != program_id:
        raise ProgramCodeTaken(T("program code %(code)s is already used", code=code), code=code)
    for t in data.targets:
        if s.get(_TARGET_TABLES[t.scope], t.target_id) is None:
            raise InvalidProgram(_UNKNOWN_TARGET[t.scope](t.target_id))
    if not data.all_partners:
        ids = set(data.partner_ids)
        dealers = set(s.scalars(select(Partner.id).where(Partner.id.in_(ids), Partner.is_dealer.is_(True))))
        if ids - dealers:
            raise InvalidProgram(T("partner %(id)s is not a dealer", id=min(ids - dealers)))


def _problem(data: ProgramInput) -> str | None:
    if not data.code.strip() or not data.name.strip():
        return T("a program needs a code and a name")
    if data.kind not in PROGRAM_KINDS:
        return T("unknown program kind «%(kind)s»", kind=data.kind)
    if data.valid_to is not None and data.valid_to < data.valid_from:
        return T("a program can't end (%(end)s) before it starts (%(start)s)", end=data.valid_to, start=data.valid_from)
    if data.kind == "promotion" and data.valid_to is None:
        return T("a promotion needs an end date")
    if not data.all_partners and not data.partner_ids:
        return T("choose the dealers taking part, or open the program to all")
    keys = [(t.scope, t.target_id) for t in data.targets]
    if len(set(keys)) != len(keys):
        return T("a brand, group or item is listed twice")
    if any(t.scope not in TARGET_SCOPES for t in data.targets):
        return T("a target is a brand, an item group or an item")
    if data.kind == "turnover":
        return _turnover_problem(data)
    if data.tiers or data.usable_in_orders:
        return T("a discount or promotion has no tiers and no balance to spend")
    if not data.targets:
        return T("a discount or promotion needs at least one brand, group or item")
    for t in data.targets:
        percent = Decimal(t.percent)
        if not ZERO < percent <= HUNDRED or not has_places(percent, 2):
            return T("discount %(percent)s must be above 0, at most 100, with 2 decimal places at most", percent=t.percent)
    return None


def _turnover_problem(data: ProgramInput) -> str | None:
    if data.period not in PERIODS:
        return T("a turnover program needs a period: a month, a quarter or a year")
    problem = tiers_problem([Tier(Decimal(t.threshold), Decimal(t.percent)) for t in data.tiers])
    if problem:
        return problem
    if any(Decimal(t.percent) != ZERO for t in data.targets):
        return T("a turnover program's brands and groups carry no percent: its tiers do")
    cap = Decimal(data.order_cap_percent)
    if data.usable_in_orders and (not ZERO < cap <= HUNDRED or not has_places(cap, 2)):
        return T("the share of an order payable by bonus (%(cap)s %%) must be above 0 and at most 100", cap=cap)
    return None
