"""The discounts and promotions in force for a dealer on a date, as pricing's discount rules.

Pricing combines them with the agreement's discounts (pricing.rules.personal_price_of: the larger
single discount wins); this module only says which are in force. One statement, prepared."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Date, Row, and_, bindparam, exists, or_, select
from sqlalchemy.orm import Session

from dealerhub.core.bonus.models import BonusParticipant, BonusProgram, BonusTarget
from dealerhub.core.pricing.rules import DiscountRule
from dealerhub.shared.statements import Batch, Pending, Prepared

DISCOUNT_KINDS = ("discount", "promotion")


def discount_rules(s: Session, partner_id: int, on: date) -> tuple[DiscountRule, ...]:
    """The targets of the discount and promotion programs in force on `on` that the partner takes
    part in, as discount rules (the same shape as an agreement's)."""
    return rules_of(_RULES.rows(s.connection(), {"partner_id": partner_id, "on": on}))


def send_discount_rules(b: Batch, partner_id: int, on: date) -> Pending:
    """discount_rules() sent in a batch of statements (an order sends it with its other reads);
    turn its rows into rules with rules_of() after the batch."""
    return b.send(_RULES, {"partner_id": partner_id, "on": on})


def rules_of(rows: Iterable[Row[Any]]) -> tuple[DiscountRule, ...]:
    return tuple(DiscountRule(r.scope, r.percent, _target(r)) for r in rows)


def _target(row: Row[Any]) -> int | None:
    return {"item": row.item_id, "group": row.group_id, "brand": row.brand_id}[row.scope]


def in_force(on: date | BindParameter[date]) -> ColumnElement[bool]:
    """Programs active and valid on `on` (a value or a bind parameter)."""
    return and_(
        BonusProgram.is_active.is_(True),
        BonusProgram.valid_from <= on,
        or_(BonusProgram.valid_to.is_(None), BonusProgram.valid_to >= on),
    )


def open_to(partner_id: int | BindParameter[int]) -> ColumnElement[bool]:
    """Programs for all partners or with this partner among their participants."""
    return or_(
        BonusProgram.all_partners.is_(True),
        exists().where(
            BonusParticipant.program_id == BonusProgram.id, BonusParticipant.partner_id == partner_id
        ),
    )


# Every order, cart price and catalog page runs it: compiled once (shared/statements.py).
_RULES = Prepared(
    select(BonusTarget.scope, BonusTarget.percent, BonusTarget.item_id, BonusTarget.group_id, BonusTarget.brand_id)
    .join(BonusProgram, BonusProgram.id == BonusTarget.program_id)
    .where(
        or_(*(BonusProgram.kind == kind for kind in DISCOUNT_KINDS)),  # no expanding IN in a Prepared
        in_force(bindparam("on", type_=Date)),
        open_to(bindparam("partner_id")),
    )
    .order_by(BonusTarget.id)
)
