"""Reading the outbox exactly, and worlds with a WMS-run warehouse for the outbox tests."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.outbox.models import OutboxMessage
from dealerhub.core.warehouses.models import Warehouse
from dealerhub.shared.db import Database
from tests.integration import sales_builders


@dataclass(frozen=True)
class Row:
    """An outbox row: envelope, parsed payload and state (message_id checked to be a uuid)."""

    type: str
    schema_version: int
    sender: str
    receiver: str
    warehouse_code: str | None
    document_type: str | None
    document_number: str | None
    document_seq: int | None
    correlation_id: str | None
    payload: dict
    message_id: str
    relayed: bool


def outbox(db: Database) -> list[Row]:
    with db.session() as s:
        rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    result = []
    for r in rows:
        assert str(uuid.UUID(r.message_id)) == r.message_id
        result.append(
            Row(
                r.type, r.schema_version, r.sender, r.receiver, r.warehouse_code, r.document_type,
                r.document_number, r.document_seq, r.correlation_id, json.loads(r.payload), r.message_id,
                r.relayed_at is not None,
            )
        )
    return result


def envelopes(db: Database) -> list[tuple]:
    """(type, warehouse_code, document_type, document_number, document_seq) per outbox row."""
    return [(r.type, r.warehouse_code, r.document_type, r.document_number, r.document_seq) for r in outbox(db)]


def of_type(db: Database, type_: str) -> list[Row]:
    return [r for r in outbox(db) if r.type == type_]


def wms_world(db: Database, *, wms_code: str | None = "MSK01", **kwargs: object) -> sales_builders.World:
    """The sales tests' world, its warehouse run by the WMS under `wms_code`."""
    w = sales_builders.make_world(db, **kwargs)
    if wms_code is not None:
        with db.transaction() as s:
            s.get(Warehouse, w.warehouse_id).wms_code = wms_code
    return w


def of_type_in(s: Session) -> list[OutboxMessage]:
    """The outbox as this session sees it (inside its open transaction)."""
    return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
