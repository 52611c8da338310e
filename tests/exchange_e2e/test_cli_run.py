"""`dealerhub exchange send-catalog` and `dealerhub exchange run --once` through the real CLI on
SQLite databases chosen by the environment."""

from __future__ import annotations

from sqlalchemy import func, select

from dealerhub.core.catalog.models import Item
from dealerhub.core.outbox.models import OutboxMessage
from dealerhub.exchange.models import messages
from dealerhub.shared.db import Database
from tests.cli.conftest import cli, migrated_cli  # noqa: F401


def _query(url, statement):
    database = Database(url)
    try:
        with database.session() as s:
            return s.execute(statement).all()
    finally:
        database.dispose()


def test_send_catalog_then_run_once_hands_every_message_over(migrated_cli):  # noqa: F811
    env = migrated_cli.env
    core, exchange = env["DEALERHUB_CORE_DATABASE_URL"], env["DEALERHUB_EXCHANGE_DATABASE_URL"]
    assert migrated_cli("demo", "seed", "--seed", "3", "--items", "60", "--dealers", "2", "--no-wms").exit_code == 0
    [(flagged,)] = _query(core, select(func.count()).select_from(Item).where(Item.use_in_wms.is_(True)))
    [(before,)] = _query(core, select(func.count()).select_from(OutboxMessage))

    sent = migrated_cli("exchange", "send-catalog", "--counterparties", "--batch", "25")

    assert sent.exit_code == 0, sent.output
    assert f"and {flagged} item(s) for the WMS" in sent.output and "contractor(s)" in sent.output
    types = dict(_query(core, select(OutboxMessage.type, func.count()).where(OutboxMessage.id > before)
                        .group_by(OutboxMessage.type)))
    assert types["GOODS"] == -(-flagged // 25) and types["COUNTERPARTY"] >= 1 and types["CLASSIFIER"] >= 1

    ran = migrated_cli("exchange", "run", "--once", "--poll", "0")

    assert ran.exit_code == 0, ran.output
    outbox = _query(core, select(OutboxMessage.message_id, OutboxMessage.relayed_at.is_not(None)))
    assert outbox and all(relayed for _, relayed in outbox)
    assert f"{len(outbox)} relayed, 0 taken" in ran.output
    in_exchange = _query(exchange, select(messages.c.message_id, messages.c.status, messages.c.receiver))
    assert sorted(m for m, _, _ in in_exchange) == sorted(m for m, _ in outbox)
    assert {(s, r) for _, s, r in in_exchange} == {("new", "wms")}  # waiting for the WMS to take them
    again = migrated_cli("exchange", "run", "--once")
    assert "0 relayed, 0 taken" in again.output
