"""Dealers' claims of the demo, through the real claims use cases, one in each state a manager
meets: new, in review, approved with the goods on their way back (a customer return awaiting the
warehouse), rejected, and resolved by repair, by credit (the return posted) and by replacement
(a zero-price order in moderation). Made on lines of older posted sales, each by the dealer's user."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core import claims, sales
from dealerhub.core.accounts.models import User
from dealerhub.core.catalog.models import Item
from dealerhub.core.demo.timeline import Progress, at, set_time
from dealerhub.core.pricing.models import DealerAgreement
from dealerhub.core.sales.models import CustomerReturn, Sale, SaleLine
from dealerhub.shared.db import Database

# (what becomes of the claim, its kind, the dealer's words)
PLAN = (
    ("submitted", "warranty", "Течь масла по уплотнению вала после 200 моточасов"),
    ("in_review", "damage", "Упаковка вскрыта, корпус фильтра треснул при доставке"),
    ("approved", "wrong_item", "Пришёл фильтр другого типоразмера, не подходит по резьбе"),
    ("rejected", "warranty", "Износ зубьев ковша через месяц работы"),
    ("repair", "warranty", "Не включается гидравлика навесного оборудования"),
    ("credit", "damage", "Две единицы пришли с вмятинами на корпусе"),
    ("replacement", "shortage", "В коробке на одну единицу меньше, чем в накладной"),
)
REJECT_REASON = "Износ в пределах нормы для карьерных работ: не гарантийный случай"
REPAIR_NOTE = "Заменён гидрораспределитель силами сервисного инженера на объекте дилера"


def post_claims(database: Database, rng: random.Random, manager_id: int, defect_warehouse_id: int,
                progress: Progress) -> Counter[str]:
    """The claims of PLAN on lines of posted sales without returns; returns how many of each fate."""
    progress.phase("claims", len(PLAN))
    with database.session() as s:
        candidates = _claimable_lines(s)
    rng.shuffle(candidates)
    fates: Counter[str] = Counter()
    for n, ((fate, kind, text), (line_id, partner_id, is_machine)) in enumerate(zip(PLAN, candidates, strict=False)):
        set_time(at(12 - n, hour=10))
        with database.transaction() as s:
            _one_claim(s, fate, kind, text, line_id, partner_id, is_machine, manager_id, defect_warehouse_id, n)
        fates[fate] += 1
        progress.advance()
    return fates


def _claimable_lines(s: Session) -> list[tuple[int, int, bool]]:
    """(sale line, dealer, is a machine) of whole-unit lines of posted sales nothing came back from,
    one line per sale, in a stable order."""
    returned = select(CustomerReturn.sale_id)
    rows = s.execute(
        select(SaleLine.id, Sale.id, Sale.partner_id, Item.kind)
        .join(Sale, Sale.id == SaleLine.sale_id)
        .join(Item, Item.id == SaleLine.item_id)
        .where(Sale.status == "posted", Sale.id.not_in(returned), SaleLine.quantity >= 2)
        .order_by(Sale.id, SaleLine.line_no)
    ).all()
    seen: set[int] = set()
    lines = []
    for line_id, sale_id, partner_id, kind in rows:
        if sale_id not in seen:
            seen.add(sale_id)
            lines.append((line_id, partner_id, kind == "machine"))
    return lines


def _one_claim(s: Session, fate: str, kind: str, text: str, line_id: int, partner_id: int, is_machine: bool,
               manager_id: int, defect_warehouse_id: int, n: int) -> None:
    buyer = s.scalar(select(User.id).where(User.partner_id == partner_id).order_by(User.id).limit(1))
    # The dealer's personal manager decides (the one who sees the dealer's conversations).
    manager_id = s.scalar(
        select(DealerAgreement.personal_manager_id).where(DealerAgreement.partner_id == partner_id).limit(1)
    ) or manager_id
    data = claims.ClaimInput(
        line_id, kind, Decimal(1 if is_machine else 2 if fate == "credit" else 1), text,
        serial_number=f"LGK{2026000 + n * 17:07d}" if is_machine else None,
        machine_hours=Decimal(180 + n * 35) if is_machine else None,
    )
    claim = claims.submit_claim(s, data, partner_id=partner_id, user_id=buyer)
    if fate == "submitted":
        return
    claims.take_claim(s, claim.id, user_id=manager_id)
    if fate == "in_review":
        return
    if fate == "rejected":
        claims.reject_claim(s, claim.id, user_id=manager_id, reason=REJECT_REASON)
        return
    resolution = {"approved": "replacement", "repair": "repair", "credit": "credit", "replacement": "replacement"}[fate]
    goods_back = fate in ("approved", "credit")
    claims.approve_claim(
        s, claim.id, user_id=manager_id, resolution=resolution, goods_back=goods_back,
        warehouse_id=defect_warehouse_id if goods_back else None,
    )
    if fate == "approved":
        return
    if fate == "credit":
        sales.post_customer_return(s, claim.customer_return_id, user_id=manager_id)
        return
    claims.resolve_claim(s, claim.id, user_id=manager_id, note=REPAIR_NOTE if fate == "repair" else None)
