"""Fixtures of the outbox tests: settings of the exchange changed for one test; the exchange
databases of tests/exchange_fixtures.py (SQLite, PostgreSQL, MariaDB) for the relay."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared.config import get_settings
from dealerhub.shared.db import Database
from tests.exchange_fixtures import (  # noqa: F401
    _mariadb_exchange_url,
    _pg_exchange_url,
    _sqlite_exchange_template,
    exchange_db,
    server_exchange_db,
)


@pytest.fixture
def exchange_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """exchange_settings(exchange_counterparties="upfront", exchange_languages="en,zh"): the
    settings as DEALERHUB_* environment variables, for this test only."""

    def change(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"DEALERHUB_{name.upper()}", value)
        get_settings.cache_clear()

    get_settings.cache_clear()
    yield change
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def store(exchange_db: Database) -> ExchangeStore:  # noqa: F811 - the fixture, imported above
    """The exchange (SQLite, PostgreSQL, MariaDB in turn) the relay hands messages to."""
    return ExchangeStore(exchange_db)
