"""`dealerhub exchange ...` against a real exchange database (SQLite, through the environment)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dealerhub import migrations
from dealerhub.cli.main import app
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared import clock
from dealerhub.shared.config import get_settings
from dealerhub.shared.db import Database
from tests.cli.conftest import sqlite_env
from tests.exchange.builders import T0, order

LEASE = timedelta(seconds=60)


class Exchange:
    def __init__(self, folder: Path) -> None:
        self.env = sqlite_env(folder)
        url = self.env["DEALERHUB_EXCHANGE_DATABASE_URL"]
        migrations.upgrade("exchange", url)
        self.db = Database(url)
        self.store = ExchangeStore(self.db, max_attempts=1)
        self.runner = CliRunner()

    def __call__(self, *args: str):
        return self.runner.invoke(app, ["exchange", *args], env=self.env, catch_exceptions=False)


@pytest.fixture
def exchange(tmp_path: Path) -> Iterator[Exchange]:
    clock.freeze(T0)
    ex = Exchange(tmp_path)
    yield ex
    ex.db.dispose()
    get_settings.cache_clear()


def kill(ex: Exchange, message_id: str) -> None:
    """Take the next message (it must be `message_id`) and fail its only attempt: dead."""
    [taken] = ex.store.claim("wms", 1, LEASE, "w")
    assert taken.message_id == message_id
    assert ex.store.fail(taken.id, "WMS down", "w") == "dead"


def test_status_counts_by_type_and_status_with_lag(exchange: Exchange) -> None:
    first, second, third = order("PT-1", seq=1), order("PT-1", seq=2), order("PT-2")
    exchange.store.publish_many([third, first, second])
    kill(exchange, third.message_id)
    clock.freeze(T0 + timedelta(seconds=10))
    result = exchange("status")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "ORDERS" in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells == ["ORDERS", "2", "0", "0", "0", "1"]
    assert "lag for wms: 10.0 s" in result.output
    assert f"oldest waiting: {second.message_id} ORDERS to wms" in result.output
    assert "document picking_task PT-1 #2" in result.output
    assert "0 in error, 1 dead" in result.output
    assert "refused on arrival" not in result.output


def test_status_names_messages_refused_on_arrival(exchange: Exchange) -> None:
    first = order("PT-1")
    exchange.store.publish(first)
    reused = order("PT-1", quantity="7.000", message_id=first.message_id)
    exchange.store.publish(reused)
    result = exchange("status")
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert (
        f"1 refused on arrival (exchange_refused_messages, status error); the latest: ORDERS "
        f"{first.message_id} from core duplicate_conflict: message id {first.message_id} is already in the "
        "exchange" in output
    )


def test_show_prints_the_envelope_state_and_payload(exchange: Exchange) -> None:
    message = order("PT-7", seq=1)
    exchange.store.publish(message)
    result = exchange("show", message.message_id)
    assert result.exit_code == 0, result.output
    assert "picking_task" in result.output and "PT-7" in result.output
    assert '"order_number": "PT-7"' in result.output
    missing = exchange("show", "00000000-0000-4000-8000-000000000000")
    assert missing.exit_code == 1
    assert "no message 00000000-0000-4000-8000-000000000000" in missing.output


def test_retry_one_and_every_dead(exchange: Exchange) -> None:
    batch = [order(f"PT-{n}") for n in range(3)]
    exchange.store.publish_many(batch)
    for message in batch:
        kill(exchange, message.message_id)
    result = exchange("retry", batch[0].message_id)
    assert (result.exit_code, result.output.strip()) == (0, f"{batch[0].message_id}: dead -> new")
    assert exchange.store.get(batch[0].message_id).status == "new"
    result = exchange("retry", batch[0].message_id)  # waiting new: just due now
    assert result.output.strip() == f"{batch[0].message_id}: new -> new"
    result = exchange("retry", "--dead")
    assert result.output.strip() == "2 dead message(s) back to new"
    assert {exchange.store.get(m.message_id).status for m in batch} == {"new"}
    exchange.store.claim("wms", 1, LEASE, "w")
    refused = exchange("retry", batch[0].message_id)
    assert refused.exit_code == 1 and "is taken" in refused.output
    assert exchange("retry").exit_code == 2
    assert exchange("retry", batch[1].message_id, "--dead").exit_code == 2


def test_archive_uses_the_retention_or_the_option(exchange: Exchange) -> None:
    batch = [order(f"PT-{n}") for n in range(3)]
    exchange.store.publish_many(batch)
    exchange.store.complete([t.id for t in exchange.store.claim("wms", 10, LEASE, "w")], "w")
    clock.freeze(T0 + timedelta(days=10))
    exchange.env["DEALERHUB_EXCHANGE_RETENTION_DAYS"] = "30"
    assert exchange("archive").output.strip() == "0 message(s) archived (done more than 30 days ago)"
    result = exchange("archive", "--older-than", "7")
    assert result.output.strip() == "3 message(s) archived (done more than 7 days ago)"
    assert exchange.store.get(batch[0].message_id).archived


def test_schemas_check_and_write(exchange: Exchange, tmp_path: Path) -> None:
    target = tmp_path / "schemas"
    failed = exchange("schemas", "--check", "--dir", str(target))
    assert failed.exit_code == 1
    assert "ORDERS.v1.json: missing" in failed.output
    written = exchange("schemas", "--dir", str(target))
    assert written.output.strip() == f"14 schema file(s) written in {target}"
    assert exchange("schemas", "--check", "--dir", str(target)).exit_code == 0
    (target / "ORDERS.v1.json").write_text("{}")
    (target / "OLD.v1.json").write_text("{}")
    failed = exchange("schemas", "--check", "--dir", str(target))
    assert "ORDERS.v1.json: differs from the code" in failed.output
    assert "OLD.v1.json: published but no such type in the code" in failed.output


def test_help_lists_the_commands(exchange: Exchange) -> None:
    result = exchange("--help")
    for command in ("status", "show", "retry", "archive", "schemas"):
        assert f" {command} " in result.output
    assert "--dead" in exchange("retry", "--help").output
