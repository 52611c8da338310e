"""Test databases: every test that takes `core_db` runs on SQLite and on PostgreSQL.

- SQLite: a migrated template file is copied for each test (fast and fully isolated).
- PostgreSQL: one database per xdist worker, migrated once by Alembic; tables are truncated
  after each test. Without a reachable server those runs are skipped with a loud reason, and
  DEALERHUB_REQUIRE_POSTGRES=1 (set by CI) turns the skip into a failure.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, text
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


def server_unreachable(admin_url: str, label: str) -> str | None:
    """Why the database server at `admin_url` can't be used (None: it answers)."""
    try:
        engine = create_engine(admin_url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"{label} not reachable at {admin_url}: {type(exc).__name__}: {exc}".splitlines()[0]


def require_server(label: str, unavailable: str | None, required_env: str) -> None:
    """Skip the test loudly without the server; fail instead when `required_env`=1 (CI)."""
    if unavailable:
        if os.environ.get(required_env) == "1":
            pytest.fail(f"{label} is required here ({required_env}=1): {unavailable}")
        pytest.skip(f"SKIPPED ON {label.upper()}: {unavailable}")


def admin_execute(admin_url: str, *statements: str) -> None:
    """Run statements outside a transaction (CREATE / DROP DATABASE) on the server's admin URL."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for sql in statements:
            conn.execute(text(sql))
    admin.dispose()


def worker_database(name: str, admin_url: str) -> tuple[str, str]:
    """This test process's database `name` on the server: (its name, its URL)."""
    database = f"dealerhub_test_{name}_{_worker()}"
    return database, make_url(admin_url).set(database=database).render_as_string(hide_password=False)


_PG_UNAVAILABLE = (
    server_unreachable(PG_ADMIN_URL, "PostgreSQL")
    if "postgresql" in BACKENDS
    else "postgresql not in DEALERHUB_TEST_BACKENDS"
)


def pg_database_url(name: str) -> str:
    """Create (fresh) a PostgreSQL database for this test process and return its URL."""
    database, url = worker_database(name, PG_ADMIN_URL)
    admin_execute(PG_ADMIN_URL, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', f'CREATE DATABASE "{database}"')
    return url


def drop_pg_database(url: str) -> None:
    admin_execute(PG_ADMIN_URL, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def require_postgres() -> None:
    require_server("PostgreSQL", _PG_UNAVAILABLE, "DEALERHUB_REQUIRE_POSTGRES")


def pytest_report_header(config: pytest.Config) -> str:
    return f"dealerhub backends: {', '.join(BACKENDS)}; PostgreSQL: {_PG_UNAVAILABLE or 'reachable'}"


def _backend_params() -> list:
    params = []
    if "sqlite" in BACKENDS:
        params.append(pytest.param("sqlite", id="sqlite"))
    if "postgresql" in BACKENDS:
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql))
    return params


# Every database ("core", "wms", "exchange") has the session fixtures `_sqlite_<name>_template` (a
# migrated file) and `_pg_<name>_url` (a migrated database of this test process; MariaDB:
# `_mariadb_<name>_url`); a test gets a copy of the file or the server database, emptied after it.


def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    path = tmp_path_factory.mktemp(f"{name}-template") / f"{name}.sqlite3"
    migrations.upgrade(name, f"sqlite:///{path}")
    return path


def migrated_server_url(
    name: str,
    require: Callable[[], None] = require_postgres,
    create: Callable[[str], str] = pg_database_url,
    drop: Callable[[str], None] = drop_pg_database,
) -> Iterator[str]:
    """For a session fixture: `yield from migrated_server_url("core")` (PostgreSQL unless told)."""
    require()
    url = create(name)
    migrations.upgrade(name, url)
    yield url
    drop(url)


def open_database(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, name: str, **engine_kwargs
) -> Database:
    """Database `name` for one test on `backend` (sqlite: a copy of the template)."""
    if backend == "sqlite":
        path = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(request.getfixturevalue(f"_sqlite_{name}_template"), path)
        return Database(f"sqlite:///{path}")
    server = {"postgresql": "pg", "mariadb": "mariadb"}[backend]
    return Database(request.getfixturevalue(f"_{server}_{name}_url"), **engine_kwargs)


@functools.cache
def _truncate_sql(metadata: MetaData) -> str:
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    return f"TRUNCATE {tables} RESTART IDENTITY CASCADE"


def empty_tables(database: Database, metadata: MetaData) -> None:
    """Empty a server database after a test. TRUNCATE, not DELETE: the append-only registers'
    triggers fire on DELETE only."""
    with database.engine.begin() as conn:
        if database.dialect == "postgresql":
            conn.exec_driver_sql(_truncate_sql(metadata))
        else:
            for table in metadata.sorted_tables:
                conn.exec_driver_sql(f"TRUNCATE TABLE {table.name}")


def database_per_test(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, name: str, metadata: MetaData, **engine_kwargs
) -> Iterator[Database]:
    """For a fixture: `yield from database_per_test(...)`: open, yield, dispose, empty (servers)."""
    database = open_database(request, backend, tmp_path, name, **engine_kwargs)
    try:
        yield database
    finally:
        database.dispose()
        if backend != "sqlite":
            empty_tables(database, metadata)


@pytest.fixture(scope="session")
def _sqlite_core_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_sqlite_template(tmp_path_factory, "core")


@pytest.fixture(scope="session")
def _pg_core_url() -> Iterator[str]:
    yield from migrated_server_url("core")


def _truncate_pg(database: Database) -> None:
    empty_tables(database, CoreBase.metadata)


@pytest.fixture(params=_backend_params())
def core_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty core database: SQLite and PostgreSQL in turn."""
    yield from database_per_test(request, request.param, tmp_path, "core", CoreBase.metadata)


@pytest.fixture
def pg_core_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The PostgreSQL core database only (concurrency tests)."""
    yield from database_per_test(
        request, "postgresql", tmp_path, "core", CoreBase.metadata, pool_size=40, max_overflow=10
    )


@pytest.fixture(autouse=True)
def _release_clock() -> Iterator[None]:
    yield
    clock.freeze(None)
