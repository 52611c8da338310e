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
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from dealerhub.exchange.db import ExchangeBase, load_all_models
from dealerhub.shared.db import Database
from tests.conftest import (
    BACKENDS,
    admin_execute,
    database_per_test,
    empty_tables,
    migrated_server_url,
    migrated_sqlite_template,
    require_server,
    server_unreachable,
    worker_database,
)

load_all_models()

MARIADB_ADMIN_URL = os.environ.get("DEALERHUB_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/mysql")
_MARIADB_UNAVAILABLE = server_unreachable(MARIADB_ADMIN_URL, "MariaDB")


def require_mariadb() -> None:
    require_server("MariaDB", _MARIADB_UNAVAILABLE, "DEALERHUB_REQUIRE_MARIADB")


def mariadb_database_url(name: str) -> str:
    """Create (fresh) a MariaDB database for this test process and return its URL."""
    database, url = worker_database(name, MARIADB_ADMIN_URL)
    admin_execute(
        MARIADB_ADMIN_URL,
        f"DROP DATABASE IF EXISTS `{database}`",
        f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4",
    )
    return url


def drop_mariadb_database(url: str) -> None:
    admin_execute(MARIADB_ADMIN_URL, f"DROP DATABASE IF EXISTS `{make_url(url).database}`")


@pytest.fixture(scope="session")
def _sqlite_exchange_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_sqlite_template(tmp_path_factory, "exchange")


@pytest.fixture(scope="session")
def _pg_exchange_url() -> Iterator[str]:
    yield from migrated_server_url("exchange")


@pytest.fixture(scope="session")
def _mariadb_exchange_url() -> Iterator[str]:
    yield from migrated_server_url("exchange", require_mariadb, mariadb_database_url, drop_mariadb_database)


def _empty(database: Database) -> None:
    empty_tables(database, ExchangeBase.metadata)


def _server_params() -> list:
    params = []
    if "postgresql" in BACKENDS:
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql))
    params.append(pytest.param("mariadb", id="mariadb", marks=pytest.mark.mariadb))
    return params


def _all_params() -> list:
    sqlite = [pytest.param("sqlite", id="sqlite")] if "sqlite" in BACKENDS else []
    return sqlite + _server_params()


@pytest.fixture(params=_all_params())
def exchange_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty exchange database: SQLite, PostgreSQL and MariaDB in turn."""
    yield from database_per_test(request, request.param, tmp_path, "exchange", ExchangeBase.metadata)


@pytest.fixture(params=_server_params())
def server_exchange_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """PostgreSQL and MariaDB only, with a pool for many parallel connections (concurrency tests)."""
    yield from database_per_test(
        request, request.param, tmp_path, "exchange", ExchangeBase.metadata, pool_size=20, max_overflow=10
    )
