"""Test databases: every test that takes `core_db` runs on SQLite and on PostgreSQL.

- SQLite: a migrated template file is copied for each test (fast and fully isolated).
- PostgreSQL: one database per xdist worker, migrated once by Alembic; tables are truncated
  after each test. Without a reachable server those runs are skipped with a loud reason, and
  DEALERHUB_REQUIRE_POSTGRES=1 (set by CI) turns the skip into a failure.
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
from dealerhub.core.db import CoreBase, load_all_models
from dealerhub.shared import clock
from dealerhub.shared.db import Database

PG_ADMIN_URL = os.environ.get("DEALERHUB_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BACKENDS = os.environ.get("DEALERHUB_TEST_BACKENDS", "sqlite,postgresql").split(",")

load_all_models()


def _worker() -> str:
    # Unique per test process: parallel pytest runs on one machine never share a database.
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def _pg_reason() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}: {exc}".splitlines()[0]


_PG_UNAVAILABLE = _pg_reason() if "postgresql" in BACKENDS else "postgresql not in DEALERHUB_TEST_BACKENDS"


def _admin(sql: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(sql))
    admin.dispose()


def pg_database_url(name: str) -> str:
    """Create (fresh) a PostgreSQL database for this test process and return its URL."""
    database = f"dealerhub_test_{name}_{_worker()}"
    _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{database}"')
    return make_url(PG_ADMIN_URL).set(database=database).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def require_postgres() -> None:
    if _PG_UNAVAILABLE:
        if os.environ.get("DEALERHUB_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here (DEALERHUB_REQUIRE_POSTGRES=1): {_PG_UNAVAILABLE}")
        pytest.skip(f"SKIPPED ON POSTGRESQL: {_PG_UNAVAILABLE}")


def pytest_report_header(config: pytest.Config) -> str:
    return f"dealerhub backends: {', '.join(BACKENDS)}; PostgreSQL: {_PG_UNAVAILABLE or 'reachable'}"


def _backend_params() -> list:
    params = []
    if "sqlite" in BACKENDS:
        params.append(pytest.param("sqlite", id="sqlite"))
    if "postgresql" in BACKENDS:
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql))
    return params


@pytest.fixture(scope="session")
def _sqlite_core_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "core.sqlite3"
    migrations.upgrade("core", f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _pg_core_url() -> Iterator[str]:
    require_postgres()
    url = pg_database_url("core")
    migrations.upgrade("core", url)
    yield url
    drop_pg_database(url)


_TRUNCATE = None


def _truncate_pg(database: Database) -> None:
    global _TRUNCATE
    if _TRUNCATE is None:
        tables = ", ".join(f'"{t.name}"' for t in CoreBase.metadata.sorted_tables)
        _TRUNCATE = f"TRUNCATE {tables} RESTART IDENTITY CASCADE"
    with database.engine.begin() as conn:
        conn.exec_driver_sql(_TRUNCATE)


@pytest.fixture(params=_backend_params())
def core_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty core database: SQLite and PostgreSQL in turn."""
    if request.param == "sqlite":
        path = tmp_path / "core.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_core_template"), path)
        database = Database(f"sqlite:///{path}")
        yield database
        database.dispose()
    else:
        database = Database(request.getfixturevalue("_pg_core_url"))
        try:
            yield database
        finally:
            database.dispose()
            _truncate_pg(database)


@pytest.fixture
def pg_core_db(_pg_core_url: str) -> Iterator[Database]:
    """The PostgreSQL core database only (concurrency tests)."""
    database = Database(_pg_core_url, pool_size=40, max_overflow=10)
    try:
        yield database
    finally:
        database.dispose()
        _truncate_pg(database)


@pytest.fixture(autouse=True)
def _release_clock() -> Iterator[None]:
    yield
    clock.freeze(None)
