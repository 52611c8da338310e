"""Waking an exchange node as soon as it has work, instead of at its next poll.

On PostgreSQL a transaction that gives a node work says so with NOTIFY, delivered at its commit
(nothing for a rollback): publishing into the exchange database notifies the messages' receivers
(channel `dealerhub_exchange`, payload the receiver), writing a side's outbox notifies its relay
(channel `dealerhub_outbox` on the side's database). A node's `Wakeup` LISTENs on its own
connections and returns from `wait()` at the first notification that concerns it, or when the poll
interval is over: polling stays the rule that makes everything work (SQLite, MariaDB, a missed
notification, an outside party writing rows with plain SQL); the notifications only cut the wait.
"""

from __future__ import annotations

import contextlib
import logging
import select
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import bindparam, func
from sqlalchemy import select as sql_select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from dealerhub.shared.db import Database

log = logging.getLogger(__name__)

EXCHANGE_CHANNEL = "dealerhub_exchange"
OUTBOX_CHANNEL = "dealerhub_outbox"
_NOTIFY = sql_select(func.pg_notify(bindparam("channel"), bindparam("payload")))
_SLICE = 0.25  # seconds: how soon a waiting node notices that it is asked to stop


# What each open transaction has notified already: a transaction that writes many outbox rows
# sends its NOTIFY once (PostgreSQL would fold the repeats at the commit, but each costs a statement).
_notified: weakref.WeakKeyDictionary[Any, set[tuple[str, str]]] = weakref.WeakKeyDictionary()


def notify(s: Session, channel: str, payload: str = "") -> None:
    """In the caller's transaction: wake who listens on `channel` when it commits (PostgreSQL only)."""
    conn = s.connection()
    if conn.dialect.name != "postgresql":
        return
    sent = _notified.setdefault(conn.get_transaction(), set())
    if (channel, payload) not in sent:
        conn.execute(_NOTIFY, {"channel": channel, "payload": payload})
        sent.add((channel, payload))


@dataclass(frozen=True)
class Listen:
    """A channel to listen on in `db`; `payloads`: only these wake (None: any)."""

    db: Database
    channel: str
    payloads: frozenset[str] | None = None


class Wakeup:
    """Waits for a notification on any of `listens` (their PostgreSQL databases), at most a timeout."""

    def __init__(self, listens: Sequence[Listen]) -> None:
        self.listens = [x for x in listens if x.db.dialect == "postgresql"]
        self._connections: dict[int, Any] = {}
        self.woken = 0  # waits that a notification ended early (for the logs and tests)

    def wait(self, timeout: float, stop: threading.Event | None = None) -> bool:
        """Return True as soon as a notification that concerns us arrives, False when `timeout`
        seconds have passed (or `stop` is set). Without PostgreSQL it just waits."""
        deadline = time.monotonic() + timeout
        connections = self._connect()
        while (left := deadline - time.monotonic()) > 0:
            if stop is not None and stop.is_set():
                return False
            if not connections:
                (stop.wait if stop is not None else time.sleep)(min(left, _SLICE))
                continue
            try:
                ready, _, _ = select.select([c.fileno() for c, _ in connections], [], [], min(left, _SLICE))
                if ready and self._drain(connections):
                    self.woken += 1
                    return True
            except Exception:  # the listening connection is gone: poll until it can be opened again
                log.warning("exchange wake-up: a listening connection failed; polling meanwhile", exc_info=True)
                self.close()
                connections = []
        return False

    def close(self) -> None:
        for conn in self._connections.values():
            with contextlib.suppress(psycopg.Error, OSError):  # closing a broken connection
                conn.close()
        self._connections.clear()

    def _connect(self) -> list[tuple[Any, Listen]]:
        found = []
        for n, listen in enumerate(self.listens):
            conn = self._connections.get(n)
            if conn is None or conn.closed:
                try:
                    conn = psycopg.connect(_libpq_url(listen.db), autocommit=True)
                    conn.execute(f'LISTEN "{listen.channel}"')
                except Exception:
                    log.warning("exchange wake-up: can't listen on %s; polling", listen.channel, exc_info=True)
                    continue
                self._connections[n] = conn
            found.append((conn, listen))
        return found

    @staticmethod
    def _drain(connections: list[tuple[Any, Listen]]) -> bool:
        concerned = False
        for conn, listen in connections:
            for note in conn.notifies(timeout=0):
                if listen.payloads is None or note.payload in listen.payloads:
                    concerned = True
        return concerned


def _libpq_url(db: Database) -> str:
    """The database's URL as libpq takes it (without SQLAlchemy's driver name)."""
    return make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)
