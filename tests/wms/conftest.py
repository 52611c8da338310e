"""WMS test databases: every test that takes `wms_db` runs on SQLite and on PostgreSQL (like the
core's `core_db`): a migrated SQLite template copied per test; one PostgreSQL database per test
process, migrated once, emptied after each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2.profiles import CHEAPEST

from dealerhub import migrations
from dealerhub.shared import passwords
from dealerhub.shared.db import Database
from dealerhub.wms.db import WmsBase, load_all_models
from tests.conftest import _backend_params, drop_pg_database, pg_database_url, require_postgres

load_all_models()


@pytest.fixture(scope="session")
def _sqlite_wms_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wms-template") / "wms.sqlite3"
    migrations.upgrade("wms", f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _pg_wms_url() -> Iterator[str]:
    require_postgres()
    url = pg_database_url("wms")
    migrations.upgrade("wms", url)
    yield url
    drop_pg_database(url)


def _truncate(database: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in WmsBase.metadata.sorted_tables)
    with database.engine.begin() as conn:
        # The ledger's append-only trigger fires on DELETE, not on TRUNCATE.
        conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(params=_backend_params())
def wms_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty WMS database: SQLite and PostgreSQL in turn."""
    if request.param == "sqlite":
        path = tmp_path / "wms.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_wms_template"), path)
        database = Database(f"sqlite:///{path}")
        yield database
        database.dispose()
    else:
        database = Database(request.getfixturevalue("_pg_wms_url"))
        try:
            yield database
        finally:
            database.dispose()
            _truncate(database)


@pytest.fixture(autouse=True, scope="session")
def _cheap_hashes() -> Iterator[None]:
    passwords.set_hash_parameters(CHEAPEST)
    yield
    passwords.set_hash_parameters(None)


from tests.cli.conftest import cli, migrated_cli  # noqa: F401 - the CLI tests' fixtures
from tests.exchange_fixtures import _pg_exchange_url, _sqlite_exchange_template  # noqa: F401
from tests.wms.landscape import landscape  # noqa: F401
