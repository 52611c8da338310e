"""A small world for the conversations: dealers A and B with an owner and a buyer each, A's and
B's personal managers, an administrator; A's agreement names its manager."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealerhub.core import sales
from dealerhub.core.accounts.models import User
from dealerhub.shared.db import Database
from tests import factories as f

# Every table that starting a conversation or posting a message may write to.
WRITTEN_TABLES = (
    "conversations",
    "conversation_messages",
    "conversation_message_attachments",
    "conversation_reads",
    "attachments",
    "audit_records",
)


@dataclass(frozen=True)
class World:
    a: int  # dealer A's partner id
    b: int
    a_owner: int
    a_buyer: int
    b_owner: int
    manager: int  # A's personal manager
    other_manager: int  # B's personal manager
    admin: int
    a_order: int
    b_order: int


def user(
    s: Session, login: str, *, role: str, partner_id: int | None = None, email: str | None = None
) -> int:
    u = User(
        login=login,
        password_hash="!",
        full_name=login.replace("-", " ").title(),
        role=role,
        partner_id=partner_id,
        email=email if email is not None else f"{login}@mail.example",
        language="en",
    )
    s.add(u)
    s.flush()
    return u.id


def order(s: Session, partner_id: int, contractor_id: int) -> int:
    return sales.create_customer_order(
        s,
        user_id=None,
        partner_id=partner_id,
        contractor_id=contractor_id,
        warehouse_id=f.warehouse(s).id,
        lines=[sales.OrderLineInput(f.item(s).id, Decimal(1), Decimal("10.00"))],
    ).id


def build_world(db: Database) -> World:
    with db.transaction() as s:
        (a, a_contractor), (b, b_contractor) = f.dealer(s, "Alpha"), f.dealer(s, "Beta")
        manager = user(s, "anna-manager", role="sales_manager")
        other_manager = user(s, "boris-manager", role="sales_manager")
        admin = user(s, "root-admin", role="administrator")
        pt = f.price_type(s)
        f.agreement(s, a, pt, personal_manager_id=manager)
        f.agreement(s, b, pt, personal_manager_id=other_manager)
        return World(
            a=a.id,
            b=b.id,
            a_owner=user(s, "alpha-owner", role="owner", partner_id=a.id),
            a_buyer=user(s, "alpha-buyer", role="buyer", partner_id=a.id),
            b_owner=user(s, "beta-owner", role="owner", partner_id=b.id),
            manager=manager,
            other_manager=other_manager,
            admin=admin,
            a_order=order(s, a.id, a_contractor.id),
            b_order=order(s, b.id, b_contractor.id),
        )


def counts(db: Database, tables: tuple[str, ...] = WRITTEN_TABLES) -> dict[str, int]:
    from dealerhub.core.db import CoreBase

    with db.session() as s:
        return {t: s.scalar(select(func.count()).select_from(CoreBase.metadata.tables[t])) for t in tables}


def jpeg(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (6, 6), color).save(out, "JPEG")
    return out.getvalue()
