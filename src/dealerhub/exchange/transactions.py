"""The exchange store's short transactions: retried when the database picks one as a deadlock
victim, in chunks of ids, and MariaDB sessions set up for them; durations for people."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from dealerhub.shared.db import Database

log = logging.getLogger(__name__)
T = TypeVar("T")

# MariaDB 1213 (deadlock) / 1205 (lock wait timeout); PostgreSQL 40P01 (deadlock) / 40001.
_RETRYABLE = {1213, 1205, "40P01", "40001"}


def deadlock_retry(work: Callable[[], T], tries: int = 5) -> T:
    """Run a short transaction again when the database chose it as a deadlock victim."""
    for attempt in range(tries):
        try:
            return work()
        except OperationalError as exc:
            orig = exc.orig
            code = getattr(orig, "sqlstate", None) or (orig.args[0] if getattr(orig, "args", None) else None)
            if code not in _RETRYABLE or attempt == tries - 1:
                raise
            log.info("exchange: transaction lost a deadlock (%s), trying again", code)
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


def chunks(values: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def human_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def configure_mariadb_sessions(db: Database) -> None:
    """MariaDB sessions of the exchange: UTC (CURRENT_TIMESTAMP, the columns' default, follows the
    session's time zone) and READ COMMITTED: under REPEATABLE READ a locking read also locks the
    gaps of the claim index, and two claimers moving rows out of it deadlock each other."""
    if getattr(db.engine, "_exchange_sessions", False):
        return
    db.engine._exchange_sessions = True  # type: ignore[attr-defined]

    @event.listens_for(db.engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SET time_zone = '+00:00'")
        cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
        cursor.close()
