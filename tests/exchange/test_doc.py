"""docs/exchange.md is the contract for an outside party: its JSON examples must parse, and its SQL
must do what it says on the databases it names."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from dealerhub.exchange.contracts import ContractError, all_specs, build_message, parse_payload
from dealerhub.exchange.models import document_progress, messages
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared.db import Database
from tests.exchange.builders import order

DOC = Path(__file__).resolve().parents[2] / "docs" / "exchange.md"
BLOCK = re.compile(r"^```(\w+) ([^\n]+)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def blocks(language: str) -> dict[str, str]:
    found = {}
    for lang, label, body in BLOCK.findall(DOC.read_text(encoding="utf-8")):
        if lang == language:
            assert label not in found, f"two {language} blocks labelled {label}"
            found[label] = body
    return found


def statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def test_every_message_type_has_an_example_and_every_example_parses() -> None:
    examples = blocks("json")
    assert set(examples) == {spec.schema_name for spec in all_specs()}
    for label, body in examples.items():
        type_, version = label.split(".v")
        try:
            parse_payload(type_, int(version), body)
        except ContractError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"the {label} example in docs/exchange.md is refused: {exc}")


def test_the_doc_names_every_error_code() -> None:
    from dealerhub.exchange.contracts import ErrorCode

    doc = DOC.read_text(encoding="utf-8")
    assert all(f"| `{code.value}` |" in doc for code in ErrorCode)


def test_writing_a_message_with_the_documented_insert(exchange_db: Database) -> None:
    [sql] = statements(blocks("sql")["write"])
    with exchange_db.transaction() as s:
        run(s, sql)
    with exchange_db.session() as s:
        row = s.execute(select(messages)).one()
    assert hashlib.sha256(row.payload.encode("utf-8")).hexdigest() == row.payload_sha256
    assert (row.status, row.attempts, row.type) == ("new", 0, "RECEIPT")
    assert parse_payload(row.type, row.schema_version, row.payload).asn_number == "ASN-000123"
    taken = ExchangeStore(exchange_db).claim("core", 10, timedelta(seconds=60), "w")
    assert [t.message_id for t in taken] == [row.message_id]


def run(session, sql: str):
    """The doc's SQL as a driver would send it (its JSON holds colons that are no bind parameters)."""
    return session.connection().exec_driver_sql(sql)


def _publish_for_wms(store: ExchangeStore) -> list[str]:
    first, second, free = order("PT-1", seq=1), order("PT-1", seq=2), order("PT-2")
    store.publish_many([second, first, free])
    return [first.message_id, free.message_id]  # what may be taken now, in arrival order


def test_taking_messages_with_the_documented_sql(server_exchange_db: Database) -> None:
    store = ExchangeStore(server_exchange_db)
    expected = _publish_for_wms(store)
    if server_exchange_db.dialect == "postgresql":
        [sql] = statements(blocks("sql")["take postgresql"])
        with server_exchange_db.transaction() as s:
            returned = [row.message_id for row in run(s, sql)]
    else:
        parts = statements(blocks("sql")["take mariadb"])
        selected = next(p for p in parts if p.startswith("SELECT"))
        update = next(p for p in parts if p.startswith("UPDATE"))
        with server_exchange_db.engine.connect() as conn:
            for part in parts[:2]:  # isolation and time zone
                conn.exec_driver_sql(part)
            conn.commit()
            with conn.begin():
                rows = conn.exec_driver_sql(selected).all()
                ids = ", ".join(str(r.id) for r in rows)
                conn.exec_driver_sql(update.replace("/* the selected ids */ 0", ids))
            returned = [r.message_id for r in rows]
    assert returned == expected
    assert {
        (r.message_id, r.status, r.taken_by, r.attempts) for r in store.list()[0] if r.status == "taken"
    } == {(m, "taken", "wms-1", 1) for m in expected}
    assert store.claim("wms", 10, timedelta(seconds=60), "w") == []


def test_settling_with_the_documented_sql(exchange_db: Database) -> None:
    done_message = build_message(
        parse_payload("ORDERS", 1, order("PT-2026-0007").payload),
        sender="core",
        receiver="wms",
        document_type="picking_task",
        document_number="PT-2026-0007",
        document_seq=1,
    )
    store = ExchangeStore(exchange_db)
    store.publish(done_message)
    refused = order("PT-9")
    store.publish(refused)
    with exchange_db.transaction() as s:
        # The doc's examples use id 17 and worker wms-1.
        s.execute(messages.update().where(messages.c.message_id == done_message.message_id).values(id=17))
        s.execute(messages.update().where(messages.c.message_id == refused.message_id).values(id=18))
        s.execute(messages.update().values(status="taken", taken_by="wms-1"))
    with exchange_db.transaction() as s:
        for sql in statements(blocks("sql")["done"]):
            run(s, sql)
    with exchange_db.transaction() as s:
        for sql in statements(blocks("sql")["error"]):
            run(s, sql.replace("id = 17", "id = 18"))
    assert store.get(done_message.message_id).status == "done"
    with exchange_db.session() as s:
        assert s.execute(select(document_progress)).all() == [("core", "picking_task", "PT-2026-0007", 1)]
    record = store.get(refused.message_id)
    assert (record.status, record.last_error) == ("error", "unknown_item: item FLT-999 is not known (line 3)")
    assert json.loads(record.payload)["order_number"] == "PT-9"


def test_renewing_a_lease_with_the_documented_sql(server_exchange_db: Database) -> None:
    store = ExchangeStore(server_exchange_db)
    mine, theirs = order("PT-1"), order("PT-2")
    store.publish_many([mine, theirs])
    with server_exchange_db.transaction() as s:
        s.execute(messages.update().where(messages.c.message_id == mine.message_id).values(id=17))
        s.execute(messages.update().where(messages.c.message_id == theirs.message_id).values(id=18))
        s.execute(
            messages.update().values(
                status="taken", taken_by="wms-1", lease_until=datetime(2000, 1, 1, tzinfo=UTC)
            )
        )
        s.execute(messages.update().where(messages.c.id == 18).values(taken_by="wms-2"))
    label = "renew postgresql" if server_exchange_db.dialect == "postgresql" else "renew mariadb"
    [sql] = statements(blocks("sql")[label])
    with server_exchange_db.transaction() as s:
        assert run(s, sql).rowcount == 1
    renewed = store.get(mine.message_id).lease_until
    assert timedelta(seconds=50) < renewed - datetime.now(UTC) <= timedelta(seconds=60)
    assert store.get(theirs.message_id).lease_until == datetime(2000, 1, 1, tzinfo=UTC)
