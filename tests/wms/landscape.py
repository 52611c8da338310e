"""The whole landscape for the end-to-end scenarios: the core, the exchange and the WMS, each in its
own real database (all SQLite or all PostgreSQL), and `sync()`, which runs both nodes the way
`dealerhub exchange run` / `dealerhub wms exchange run` do: the core's relay (B1) and the
exchange Worker over the core's inbox (B2's apply_batch), the WMS's relay and Worker over its
inbox, until nothing moves any more."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dealerhub.core.inbox.worker_handler import exchange_handler
from dealerhub.core.outbox.relay import relay_all
from dealerhub.exchange.store import ExchangeStore
from dealerhub.exchange.worker import Worker
from dealerhub.shared.config import get_settings
from dealerhub.shared.db import Database
from dealerhub.wms.exchange_link.runner import run_once
from tests.conftest import _backend_params, _truncate_pg, open_database
from tests.exchange_fixtures import _empty
from tests.wms.conftest import _truncate


@dataclass
class Landscape:
    core: Database
    exchange: Database
    wms: Database

    def __post_init__(self) -> None:
        self.store = ExchangeStore(self.exchange)
        settings = get_settings()
        self.core_worker = Worker(self.store, settings.exchange_node, exchange_handler(self.core),
                                  report_rejections=False)

    def sync(self, rounds: int = 10) -> None:
        """Relay and apply on both sides until a round moves nothing."""
        settings = get_settings()
        for _ in range(rounds):
            moved = relay_all(self.core, self.store)
            done = run_once(self.wms, self.store, settings)
            moved += done.relayed + done.taken
            moved += self.core_worker.run(once=True).taken
            if not moved:
                return
        raise AssertionError(f"the exchange did not settle in {rounds} rounds")


@pytest.fixture(params=_backend_params())
def landscape(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Landscape]:
    core = open_database(request, request.param, tmp_path, "core")
    exchange = open_database(request, request.param, tmp_path, "exchange")
    wms = open_database(request, request.param, tmp_path, "wms")
    try:
        yield Landscape(core, exchange, wms)
    finally:
        for database in (core, exchange, wms):
            database.dispose()
        if request.param == "postgresql":
            _truncate_pg(core)
            _empty(exchange)
            _truncate(wms)
