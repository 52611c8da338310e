"""Helpers of the document page tests: posting forms with the session's token, counting rows,
reading the registers a document wrote."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dealerhub.core.audit.models import AuditRecord
from dealerhub.core.stock import get_balance
from dealerhub.core.stock.models import Reservation, ReservationMove, StockBalance, StockMove
from dealerhub.shared.db import Database
from tests.web.conftest import add_user, log_in, page_token

# What a refused action must leave untouched.
LEDGERS = (StockMove, ReservationMove, Reservation, StockBalance, AuditRecord)


def submit(client: TestClient, path: str, form: dict[str, str] | None = None):
    """POST a form the way the page does: with the session's CSRF token."""
    return client.post(path, data={**(form or {}), "csrf_token": page_token(client)})


def counts(db: Database, *models: type) -> dict[str, int]:
    with db.session() as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m)) or 0 for m in (models or LEDGERS)}


def stock_moves(db: Database, doc_type: str, doc_id: int) -> list[tuple[int, int, Decimal, bool]]:
    """(item, warehouse, quantity, is reversal) of the document's stock moves, in order."""
    with db.session() as s:
        rows = s.execute(
            select(StockMove.item_id, StockMove.warehouse_id, StockMove.quantity, StockMove.is_reversal)
            .where(StockMove.document_type == doc_type, StockMove.document_id == doc_id)
            .order_by(StockMove.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def reservation_moves(db: Database, doc_type: str, doc_id: int) -> list[tuple[int, int, Decimal, str]]:
    """(item, warehouse, quantity, reason) of the reservation moves the document wrote, in order."""
    with db.session() as s:
        rows = s.execute(
            select(
                ReservationMove.item_id,
                ReservationMove.warehouse_id,
                ReservationMove.quantity,
                ReservationMove.reason,
            )
            .where(ReservationMove.document_type == doc_type, ReservationMove.document_id == doc_id)
            .order_by(ReservationMove.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def balance(db: Database, item_id: int, warehouse_id: int) -> tuple[Decimal, Decimal, Decimal]:
    """(on hand, reserved, free)."""
    with db.session() as s:
        row = get_balance(s, item_id, warehouse_id)
        return row.on_hand, row.reserved, row.free


def audit_actions(db: Database, doc_type: str, doc_id: int) -> list[tuple[str, str | None, str | None]]:
    with db.session() as s:
        rows = s.execute(
            select(AuditRecord.action, AuditRecord.from_status, AuditRecord.to_status)
            .where(AuditRecord.entity_type == doc_type, AuditRecord.entity_id == doc_id)
            .order_by(AuditRecord.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def doc_id_from(answer) -> int:
    """The id in the redirect to a new document's page (…/<id>?notice=created)."""
    assert answer.status_code == 303, answer.text
    return int(answer.headers["location"].split("?")[0].rsplit("/", 1)[1])


def client_as(client: TestClient, db: Database, login: str, role: str) -> TestClient:
    add_user(db, login, role)
    log_in(client, login)
    return client


def cells(rows: list[list[str]], skip_first: bool = True) -> list[list[str]]:
    """Table rows without their first cell (a time that changes from run to run)."""
    return [row[1:] if skip_first else row for row in rows]
