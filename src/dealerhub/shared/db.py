"""Engines and transactions. Every system (core, WMS, exchange) has its own database and metadata;
this module only knows how to open them.

Use cases receive a Session and never commit: the caller opens one transaction with
`Database.transaction()`, which commits once or rolls everything back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, MetaData, Select, create_engine, event, func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def declarative_base(name: str) -> type[DeclarativeBase]:
    """A declarative base with its own MetaData: one per database."""
    return type(name, (DeclarativeBase,), {"metadata": new_metadata(), "__abstract__": True})


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg"))
    if parsed.get_backend_name() == "mysql" and parsed.drivername in ("mysql", "mariadb"):
        url = str(parsed.set(drivername="mysql+pymysql"))
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so BEGIN is ours (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writing transaction takes SQLite's write lock up front: a deferred one that upgrades
        # later fails with "database is locked" instead of waiting when another writer got in first.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Database:
    """One database: its engine and the transactions opened on it."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self._write = sessionmaker(writer, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A writing unit of work: commits once at the end, or nothing of it stays."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A reading session (rolled back at the end)."""
        with self._read() as session:
            yield session

    def after_bulk_load(self, tables: Sequence[str]) -> None:
        """Fresh planner statistics and tidy indexes for the tables a bulk load (a seed, an import)
        filled.

        PostgreSQL: VACUUM (ANALYZE) also empties the GIN indexes' pending lists, which a search
        otherwise reads through row by row (a fresh 100 000-item catalog: 8 ms per name lookup
        instead of 3). SQLite: ANALYZE for its planner. Only the tables named: statistics taken of
        a table while it is still empty (the documents' registers after a seed) would tell the
        planner it stays empty, and it would scan it whole once it has grown, until autovacuum
        looks again. Tables this database doesn't have (a dialect's own) are passed over."""
        present = inspect(self.engine)
        tables = [t for t in tables if present.has_table(t)]
        if not tables:
            return
        if self.dialect == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM (ANALYZE) " + ", ".join(f'"{t}"' for t in tables))
        elif self.dialect == "sqlite":
            with self.engine.begin() as conn:
                for table in tables:
                    conn.exec_driver_sql(f'ANALYZE "{table}"')

    def dispose(self) -> None:
        self.engine.dispose()


T = TypeVar("T")


def fetch_page(s: Session, query: Select[tuple[T]], *, order_by: Any, limit: int, offset: int) -> tuple[list[T], int]:
    """One page of `query` (ordered by `order_by`) and the total number of rows it has."""
    total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
    return list(s.scalars(query.order_by(order_by).limit(limit).offset(offset))), total
