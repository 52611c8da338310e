"""Stable error codes: the prefix of `last_error` in the exchange table and the `code` of an ERROR
payload. An outside party may rely on these strings; they are never renamed."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    MALFORMED_JSON = "malformed_json"  # the payload is not JSON
    UNKNOWN_TYPE = "unknown_type"  # no such message type
    UNKNOWN_VERSION = "unknown_version"  # the type exists, this schema_version does not
    SCHEMA_VIOLATION = "schema_violation"  # JSON, but not what the type's schema allows
    UNKNOWN_ITEM = "unknown_item"  # an item code the receiver does not know (after waiting)
    UNKNOWN_COUNTERPARTY = "unknown_counterparty"
    UNKNOWN_WAREHOUSE = "unknown_warehouse"
    UNKNOWN_DOCUMENT = "unknown_document"  # the order / ASN / document referred to is unknown
    QUANTITY_MISMATCH = "quantity_mismatch"  # quantities that do not fit the document
    DUPLICATE_CONFLICT = "duplicate_conflict"  # a message id reused with a different payload
    OUT_OF_ORDER = "out_of_order"  # a document's sequence that can never be satisfied
    INTERNAL = "internal"  # the receiver failed; retried, then dead


class ContractError(Exception):
    """A payload the contract refuses: `code` is one of ErrorCode, `reason` says what is wrong."""

    def __init__(self, code: ErrorCode, reason: str) -> None:
        super().__init__(f"{code.value}: {reason}")
        self.code = code
        self.reason = reason
