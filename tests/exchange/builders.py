"""Messages for the exchange's tests."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from dealerhub.exchange.contracts import AckV1, Message, OrderLine, OrdersV1, build_message, new_message_id

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def order(number: str = "PT-1", *, seq: int | None = None, quantity: str = "1.000", **envelope) -> Message:
    """An ORDERS message core -> wms; with `seq`, it belongs to picking task `number`."""
    payload = OrdersV1(
        order_number=number,
        customer_order_number="CO-" + number,
        counterparty_code="K-1",
        action="create" if not seq or seq == 1 else "replace",
        lines=[OrderLine(line_no=1, item_code="FLT-001", quantity=quantity)],
    )
    document = (
        {"document_type": "picking_task", "document_number": number, "document_seq": seq}
        if seq is not None
        else {}
    )
    parties = {"sender": "core", "receiver": "wms", **envelope}
    return build_message(payload, **parties, **document)


def ack(answered: str, *, sender: str = "wms", receiver: str = "core") -> Message:
    return build_message(
        AckV1(message_id=answered, result="applied"),
        sender=sender,
        receiver=receiver,
        correlation_id=answered,
    )


def raw_row(
    *, type_: str = "ORDERS", version: int = 1, payload: str = "{}", database_clock: bool = False, **columns
) -> dict:
    """The columns an outside party writes for a message of its own (anything may be in payload).
    Times are T0 (the tests' frozen clock) unless `database_clock` leaves them to the column defaults."""
    times = {} if database_clock else {"created_at": T0, "next_attempt_at": T0}
    return {
        **times,
        "message_id": new_message_id(),
        "type": type_,
        "schema_version": version,
        "sender": "wms",
        "receiver": "core",
        "payload": payload,
        "payload_sha256": hashlib.sha256(payload.encode()).hexdigest(),
        **columns,
    }
