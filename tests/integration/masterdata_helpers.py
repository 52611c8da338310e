"""Helpers of the master-data tests (catalog, partners, warehouses): row counts, audit rows, and
waiting until a PostgreSQL connection is blocked on a lock (for the race tests)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from dealerhub.core.audit.models import AuditRecord
from dealerhub.shared.db import Database


def count(s: Session, model: type) -> int:
    return s.scalar(select(func.count()).select_from(model))


def audit(s: Session, entity_type: str, entity_id: int | None = None) -> list[tuple[str, dict]]:
    """(action, details) of the audit rows of an entity type (and id), oldest first."""
    query = select(AuditRecord).where(AuditRecord.entity_type == entity_type).order_by(AuditRecord.id)
    if entity_id is not None:
        query = query.where(AuditRecord.entity_id == entity_id)
    return [(r.action, r.details) for r in s.scalars(query)]


def wait_until_blocked(db: Database, timeout: float = 10.0) -> None:
    """Return once another connection of this database waits for a lock (PostgreSQL only)."""
    deadline = time.monotonic() + timeout
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while time.monotonic() < deadline:
        with db.engine.connect() as conn:
            if conn.execute(query).scalar():
                return
        time.sleep(0.02)
    raise AssertionError("the second transaction never waited for the first one's lock")


def race(
    db: Database, first: Callable[[Session], Any], second: Callable[[Session], Any]
) -> BaseException | None:
    """Run `first` in an open transaction, start `second` in another thread (it blocks on a lock
    `first` holds), commit `first`, and return what `second` raised (None if it succeeded)."""
    outcome: dict[str, BaseException | None] = {"error": None}

    def run_second() -> None:
        try:
            with db.transaction() as s:
                second(s)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run_second)
    with db.transaction() as s:
        first(s)
        s.flush()
        thread.start()
        wait_until_blocked(db)
    thread.join(timeout=30)
    assert not thread.is_alive()
    return outcome["error"]
