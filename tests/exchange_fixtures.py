"""Exchange databases for tests: SQLite, PostgreSQL and MariaDB.

`exchange_db` runs a test on each of the three; `server_exchange_db` on PostgreSQL and MariaDB only
(real row locks, real parallel connections). Import the fixtures into a conftest.py:

    from tests.exchange_fixtures import (  # noqa: F401
        _mariadb_exchange_url, _pg_exchange_url, _sqlite_exchange_template, exchange_db, server_exchange_db,
    )

- SQLite: a migrated template file copied for each test.
- PostgreSQL / MariaDB: one database per test process, migrated once, emptied after each test.
  Without a reachable server those runs are skipped loudly; DEALERHUB_REQUIRE_POSTGRES=1 /
  DEALERHUB_REQUIRE_MARIADB=1 (CI) turn the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dealerhub import migrations
from dealerhub.exchange.db import ExchangeBase, load_all_models
from dealerhub.shared.db import Database
from tests.conftest import BACKENDS, _worker, drop_pg_database, pg_database_url, require_postgres

load_all_models()

MARIADB_ADMIN_URL = os.environ.get("DEALERHUB_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/mysql")


def _mariadb_reason() -> str | None:
    try:
        engine = create_engine(MARIADB_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"MariaDB not reachable at {MARIADB_ADMIN_URL}: {type(exc).__name__}: {exc}".splitlines()[0]


_MARIADB_UNAVAILABLE = _mariadb_reason()


def require_mariadb() -> None:
    if _MARIADB_UNAVAILABLE:
        if os.environ.get("DEALERHUB_REQUIRE_MARIADB") == "1":
            pytest.fail(f"MariaDB is required here (DEALERHUB_REQUIRE_MARIADB=1): {_MARIADB_UNAVAILABLE}")
        pytest.skip(f"SKIPPED ON MARIADB: {_MARIADB_UNAVAILABLE}")


def _mariadb_admin(sql: str) -> None:
    engine = create_engine(MARIADB_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def mariadb_database_url(name: str) -> str:
    """Create (fresh) a MariaDB database for this test process and return its URL."""
    database = f"dealerhub_test_{name}_{_worker()}"
    _mariadb_admin(f"DROP DATABASE IF EXISTS `{database}`")
    _mariadb_admin(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
    return make_url(MARIADB_ADMIN_URL).set(database=database).render_as_string(hide_password=False)


def drop_mariadb_database(url: str) -> None:
    _mariadb_admin(f"DROP DATABASE IF EXISTS `{make_url(url).database}`")


@pytest.fixture(scope="session")
def _sqlite_exchange_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("exchange-template") / "exchange.sqlite3"
    migrations.upgrade("exchange", f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _pg_exchange_url() -> Iterator[str]:
    require_postgres()
    url = pg_database_url("exchange")
    migrations.upgrade("exchange", url)
    yield url
    drop_pg_database(url)


@pytest.fixture(scope="session")
def _mariadb_exchange_url() -> Iterator[str]:
    require_mariadb()
    url = mariadb_database_url("exchange")
    migrations.upgrade("exchange", url)
    yield url
    drop_mariadb_database(url)


def _empty(database: Database) -> None:
    tables = [t.name for t in ExchangeBase.metadata.sorted_tables]
    with database.engine.begin() as conn:
        if database.dialect == "postgresql":
            conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
        else:
            for table in tables:
                conn.exec_driver_sql(f"TRUNCATE TABLE {table}")


def _server_params() -> list:
    params = []
    if "postgresql" in BACKENDS:
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql))
    params.append(pytest.param("mariadb", id="mariadb", marks=pytest.mark.mariadb))
    return params


def _all_params() -> list:
    sqlite = [pytest.param("sqlite", id="sqlite")] if "sqlite" in BACKENDS else []
    return sqlite + _server_params()


def _open(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, **engine_kwargs
) -> Iterator[Database]:
    if backend == "sqlite":
        path = tmp_path / "exchange.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_exchange_template"), path)
        database = Database(f"sqlite:///{path}")
        yield database
        database.dispose()
        return
    fixture = "_pg_exchange_url" if backend == "postgresql" else "_mariadb_exchange_url"
    database = Database(request.getfixturevalue(fixture), **engine_kwargs)
    try:
        yield database
    finally:
        database.dispose()
        _empty(database)


@pytest.fixture(params=_all_params())
def exchange_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty exchange database: SQLite, PostgreSQL and MariaDB in turn."""
    yield from _open(request, request.param, tmp_path)


@pytest.fixture(params=_server_params())
def server_exchange_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """PostgreSQL and MariaDB only, with a pool for many parallel connections (concurrency tests)."""
    yield from _open(request, request.param, tmp_path, pool_size=20, max_overflow=10)
