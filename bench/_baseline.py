"""What the benchmarks share: the plain single-row INSERT + COMMIT loop every target is a ratio
to, the timed loops that alternate with it, and fresh scratch databases (a temporary SQLite file,
or a PostgreSQL database per run on 127.0.0.1, dropped at the end)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dealerhub import migrations
from dealerhub.shared.db import Database

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


class Counter2:
    """How many in how many seconds, summed over the rounds; with the CPU time spent meanwhile by
    this process (the client) and by the database's server processes (None where unknown)."""

    def __init__(self) -> None:
        self.count, self.seconds = 0, 0.0
        self.client_cpu = 0.0
        self.server_cpu: float | None = 0.0

    def add(self, count: int, seconds: float, client_cpu: float = 0.0, server_cpu: float | None = None) -> None:
        self.count += count
        self.seconds += seconds
        self.client_cpu += client_cpu
        self.server_cpu = None if server_cpu is None or self.server_cpu is None else self.server_cpu + server_cpu

    @property
    def rate(self) -> float:
        return self.count / self.seconds

    def per_step_ms(self) -> str:
        """Wall, client CPU and server CPU per counted step, in milliseconds."""
        ms = 1000 / self.count
        server = "" if self.server_cpu is None else f", database server CPU {self.server_cpu * ms:.3f}"
        return f"wall {self.seconds * ms:.3f}, client CPU {self.client_cpu * ms:.3f}{server}"


def cpu_timed_loop(database: Database, seconds: float, step: Callable[[int], None]) -> tuple[int, float, float, float | None]:
    """timed_loop() with the client's and the database server's CPU seconds spent meanwhile."""
    server_before, client_before = server_cpu_seconds(database), time.process_time()
    count, elapsed = timed_loop(seconds, step)
    client, server_after = time.process_time() - client_before, server_cpu_seconds(database)
    server = None if server_before is None or server_after is None else server_after - server_before
    return count, elapsed, client, server


def server_cpu_seconds(database: Database) -> float | None:
    """CPU seconds used so far by the PostgreSQL backends connected to `database` (read from
    /proc, so only for a server on this machine that we may inspect); None for SQLite (it runs in
    the client's process) or where it can't be read."""
    if database.dialect != "postgresql":
        return None
    name = make_url(database.url).database
    admin = create_engine(PG_ADMIN_URL)
    try:
        with admin.connect() as conn:
            pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :name"), {"name": name}).scalars().all()
    finally:
        admin.dispose()
    total = 0
    try:
        for pid in pids:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return None
    return total / os.sysconf("SC_CLK_TCK")


def timed_loop(seconds: float, step: Callable[[int], None]) -> tuple[int, float]:
    """Run `step(n)` until `seconds` are over: (how many, how long exactly)."""
    count, started = 0, time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        step(count)
        count += 1
    return count, time.perf_counter() - started


def create_plain_table(database: Database) -> None:
    with database.engine.begin() as conn:
        key = "INTEGER PRIMARY KEY" if database.dialect == "sqlite" else "BIGSERIAL PRIMARY KEY"
        conn.exec_driver_sql(f"CREATE TABLE bench_plain (id {key}, note VARCHAR(50) NOT NULL)")


def plain_insert(database: Database, n: int) -> None:
    """The baseline: one row, one transaction, through the same Database as the measured work."""
    with database.transaction() as s:
        s.execute(text("INSERT INTO bench_plain (note) VALUES (:note)"), {"note": f"row {n}"})


def fresh_database(
    kind: str, url: str | None, scratch: Path | None, *, history: str, pg_database: str
) -> Database:
    """The given database, or a fresh SQLite file in `scratch`, or a fresh PostgreSQL database
    `pg_database`; migrated to the head of `history` (core, wms or exchange)."""
    if url:
        pass
    elif kind == "sqlite":
        assert scratch is not None
        url = f"sqlite:///{scratch / f'{history}.sqlite3'}"
    else:
        pg_admin(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
        pg_admin(f'CREATE DATABASE "{pg_database}"')
        url = str(make_url(PG_ADMIN_URL).set(database=pg_database))
    migrations.upgrade(history, url)
    return Database(url)


def pg_admin(sql: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(sql))
    admin.dispose()
