"""Builders for the claims tests: a dealer with a posted sale (the items' kinds chosen), photos made
by Pillow, and an exact fingerprint of the whole core database (nothing written on a refusal)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import func, select

from dealerhub.core import claims, sales
from dealerhub.core.accounts.models import User
from dealerhub.core.catalog.models import Item
from dealerhub.core.claims.models import Claim
from dealerhub.core.conversations import ConversationMessage
from dealerhub.core.db import CoreBase
from dealerhub.shared.db import Database
from tests import factories as f
from tests.integration.sales_builders import World, approved_order, make_world, posted_sale, posted_task

D = Decimal


def photo(fmt: str = "JPEG", color: tuple[int, int, int] = (10, 120, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(out, fmt)
    return out.getvalue()


@dataclass(frozen=True)
class Sold:
    world: World
    sale_id: int
    sale_number: str
    line_ids: tuple[int, ...]
    buyer_id: int  # a user of the dealer: the claims' author


def dealer_user(s, partner_id: int) -> int:
    user = User(login=f"buyer{f.n()}", password_hash="!", full_name="Ivan Buyer", role="buyer", partner_id=partner_id)
    s.add(user)
    s.flush()
    return user.id


def sold(db: Database, quantities: tuple[str, ...] = ("4", "2"), *, kinds: tuple[str, ...] = ()) -> Sold:
    """A world whose dealer bought `quantities` (a posted sale); items get `kinds` (machine ...)."""
    w = make_world(db)
    with db.transaction() as s:
        for item_id, kind in zip(w.item_ids, kinds, strict=False):
            s.get(Item, item_id).kind = kind
        buyer_id = dealer_user(s, w.partner_id)
    sale_id = posted_sale(db, w, posted_task(db, w, approved_order(db, w, quantities)))
    with db.session() as s:
        sale = sales.get_sale(s, sale_id)
        return Sold(w, sale_id, sale.number, tuple(line.id for line in sale.lines), buyer_id)


def other_dealer(db: Database) -> tuple[int, int]:
    """Another dealer and one of its users."""
    with db.transaction() as s:
        partner_id = f.dealer(s)[0].id
        return partner_id, dealer_user(s, partner_id)


def thread(db: Database, claim_id: int) -> list[tuple[str, str]]:
    """(side, body) of the messages in the claim's conversation, in order."""
    with db.session() as s:
        conversation_id = claims.get_claim(s, claim_id).conversation_id
        rows = s.execute(
            select(ConversationMessage.side, ConversationMessage.body)
            .where(ConversationMessage.conversation_id == conversation_id)
            .order_by(ConversationMessage.id)
        )
        return [tuple(r) for r in rows]


def submit(db: Database, sold_: Sold, line: int = 0, **overrides: object) -> int:
    fields: dict[str, object] = {
        "sale_line_id": sold_.line_ids[line], "kind": "damage", "quantity": "1",
        "description": "the housing is cracked",
    }
    fields.update(overrides)
    with db.transaction() as s:
        claim = claims.submit_claim(
            s, claims.ClaimInput(**fields), partner_id=sold_.world.partner_id, user_id=sold_.buyer_id  # type: ignore[arg-type]
        )
        return claim.id


def claim_row(db: Database, claim_id: int) -> Claim:
    with db.session() as s:
        claim = claims.get_claim(s, claim_id)
        s.expunge(claim)
        return claim


def fingerprint(db: Database) -> dict[str, object]:
    """Row counts of every core table and every claim's (status, resolution, return, order)."""
    with db.session() as s:
        shot: dict[str, object] = {
            t.name: s.scalar(select(func.count()).select_from(t)) for t in CoreBase.metadata.sorted_tables
        }
        shot["claims"] = s.execute(
            select(Claim.id, Claim.status, Claim.resolution, Claim.customer_return_id, Claim.replacement_order_id,
                   Claim.reviewer_id, Claim.rejection_reason, Claim.resolution_note).order_by(Claim.id)
        ).all()
        return shot


@contextmanager
def nothing_written(db: Database, error: type[Exception]) -> Iterator[pytest.ExceptionInfo]:
    """The block must raise `error` and leave the whole core database as it was."""
    before = fingerprint(db)
    with pytest.raises(error) as info:
        yield info
    assert fingerprint(db) == before
