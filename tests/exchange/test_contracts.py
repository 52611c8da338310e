"""The message contracts: what they accept, what they refuse and with which stable code."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from dealerhub.exchange.contracts import (
    REGISTRY,
    ContractError,
    ErrorCode,
    MessageType,
    OrderLine,
    OrdersV1,
    all_specs,
    build_message,
    decimal_text,
    parse_payload,
    spec_of,
    to_decimal,
)

ORDER = {
    "order_number": "PT-000001",
    "customer_order_number": "CO-000001",
    "counterparty_code": "K-0001",
    "action": "create",
    "ship_by": "2026-12-01",
    "comment": None,
    "lines": [{"line_no": 1, "item_code": "FLT-001", "quantity": "12.500"}],
}


def refused(type_: str, version: int, text: str) -> ContractError:
    with pytest.raises(ContractError) as caught:
        parse_payload(type_, version, text)
    return caught.value


def test_every_type_has_version_1_in_the_registry() -> None:
    assert {t for (t, _v) in REGISTRY} == {m.value for m in MessageType}
    assert all(v == 1 for (_t, v) in REGISTRY)
    assert {s.schema_name for s in all_specs()} >= {"ORDERS.v1", "ACK.v1", "ERROR.v1"}


def test_build_then_parse_round_trips_exactly() -> None:
    order = OrdersV1(
        order_number="PT-1",
        customer_order_number="CO-1",
        counterparty_code="K",
        action="create",
        lines=[OrderLine(line_no=1, item_code="A", quantity="12.500")],
    )
    message = build_message(
        order,
        sender="core",
        receiver="wms",
        document_type="picking_task",
        document_number="PT-1",
        document_seq=1,
    )
    assert (message.envelope.type, message.envelope.schema_version) == ("ORDERS", 1)
    assert json.loads(message.payload)["lines"][0]["quantity"] == "12.500"
    assert json.loads(message.payload)["ship_by"] is None
    parsed = parse_payload("ORDERS", 1, message.payload)
    assert parsed == order
    assert to_decimal(parsed.lines[0].quantity) == Decimal("12.500")
    assert spec_of(parsed).type is MessageType.ORDERS
    # The same payload gives the same text and hash (publishing it again is a no-op).
    again = build_message(order, sender="core", receiver="wms", message_id=message.message_id)
    assert again.payload_sha256 == message.payload_sha256


def test_malformed_json() -> None:
    error = refused("ORDERS", 1, '{"order_number": ')
    assert error.code is ErrorCode.MALFORMED_JSON
    assert "not valid JSON" in error.reason


def test_unknown_type_and_unknown_version() -> None:
    assert refused("INVOICE", 1, "{}").code is ErrorCode.UNKNOWN_TYPE
    error = refused("ORDERS", 7, json.dumps(ORDER))
    assert error.code is ErrorCode.UNKNOWN_VERSION
    assert error.reason == "ORDERS has no schema version 7 (known: 1)"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (
            {"lines": [{"line_no": 1, "item_code": "A", "quantity": 12.5}]},
            "lines.0.quantity",
        ),  # a JSON number
        (
            {"lines": [{"line_no": 1, "item_code": "A", "quantity": "12.5000"}]},
            "lines.0.quantity",
        ),  # 4 places
        ({"lines": [{"line_no": 1, "item_code": "A", "quantity": "-1"}]}, "lines.0.quantity"),
        ({"action": "delete"}, "action"),
        ({"surprise": 1}, "surprise"),  # extra fields are refused
        ({"ship_by": "tomorrow"}, "ship_by"),
        ({"lines": []}, "an order to create needs at least one line"),
        (
            {
                "lines": [
                    {"line_no": 1, "item_code": "A", "quantity": "1"},
                    {"line_no": 1, "item_code": "B", "quantity": "1"},
                ]
            },
            "line_no 1 appears more than once",
        ),
    ],
)
def test_schema_violations_name_the_field(change: dict, where: str) -> None:
    error = refused("ORDERS", 1, json.dumps({**ORDER, **change}))
    assert error.code is ErrorCode.SCHEMA_VIOLATION
    assert error.reason.startswith("ORDERS.v1: ")
    assert where in error.reason


def test_a_payload_that_is_not_an_object() -> None:
    error = refused("ORDERS", 1, "[1, 2]")
    assert (error.code, error.reason) == (
        ErrorCode.SCHEMA_VIOLATION,
        "ORDERS.v1: (payload): Input should be an object",
    )


def test_booleans_and_times_are_strict() -> None:
    receipt = {
        "asn_number": "ASN-1",
        "receipt_number": "R-1",
        "supplier_invoice": None,
        "final": "true",
        "received_at": "2026-11-28T10:00:00",
        "lines": [],
    }
    error = refused("RECEIPT", 1, json.dumps(receipt))
    assert "final: Input should be a valid boolean" in error.reason
    assert "received_at: Input should have timezone info" in error.reason


def test_error_payload_codes_are_the_stable_ones() -> None:
    good = {
        "message_id": "0b6f1f0e-8f2a-4c36-9d63-2f2a5f3c1a10",
        "code": "unknown_item",
        "reason": "no FLT-9",
    }
    assert parse_payload("ERROR", 1, json.dumps(good)).code is ErrorCode.UNKNOWN_ITEM
    assert refused("ERROR", 1, json.dumps({**good, "code": "oops"})).code is ErrorCode.SCHEMA_VIOLATION


def test_decimal_text() -> None:
    assert decimal_text(Decimal("12.5")) == "12.500"
    assert decimal_text(7) == "7.000"
    assert decimal_text(Decimal(1200), places=0) == "1200"
    with pytest.raises(ValueError, match="more than 3 decimal places"):
        decimal_text(Decimal("0.0001"))


def test_document_fields_go_together() -> None:
    # Python code builds payloads from Python values (a date, not its text); JSON is parsed from text.
    with pytest.raises(ValueError, match="valid date"):
        OrdersV1.model_validate(ORDER)
    order = OrdersV1.model_validate_json(json.dumps(ORDER))
    with pytest.raises(ValueError, match="all or none"):
        build_message(
            order, sender="core", receiver="wms", document_type="picking_task", document_number="PT-1"
        )
