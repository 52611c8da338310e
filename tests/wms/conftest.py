"""WMS test databases: every test that takes `wms_db` runs on SQLite and on PostgreSQL (like the
core's `core_db`): a migrated SQLite template copied per test; one PostgreSQL database per test
process, migrated once, emptied after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2.profiles import CHEAPEST

from dealerhub.shared import passwords
from dealerhub.shared.db import Database
from dealerhub.wms.db import WmsBase, load_all_models
from tests.conftest import (
    _backend_params,
    database_per_test,
    empty_tables,
    migrated_server_url,
    migrated_sqlite_template,
)

load_all_models()


@pytest.fixture(scope="session")
def _sqlite_wms_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_sqlite_template(tmp_path_factory, "wms")


@pytest.fixture(scope="session")
def _pg_wms_url() -> Iterator[str]:
    yield from migrated_server_url("wms")


def _truncate(database: Database) -> None:
    empty_tables(database, WmsBase.metadata)


@pytest.fixture(params=_backend_params())
def wms_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty WMS database: SQLite and PostgreSQL in turn."""
    yield from database_per_test(request, request.param, tmp_path, "wms", WmsBase.metadata)


@pytest.fixture(autouse=True)
def _cheap_hashes() -> Iterator[None]:
    # Per test, like the web tests': shared.passwords is the core's hasher too, so cheap parameters
    # must not outlive the WMS's tests in a worker.
    passwords.set_hash_parameters(CHEAPEST)
    yield
    passwords.set_hash_parameters(None)


from tests.cli.conftest import cli, migrated_cli  # noqa: F401 - the CLI tests' fixtures
from tests.exchange_fixtures import _pg_exchange_url, _sqlite_exchange_template  # noqa: F401
from tests.wms.landscape import landscape  # noqa: F401
