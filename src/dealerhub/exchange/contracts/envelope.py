"""The envelope: who sends what to whom, about which document; and a message ready to publish.

A payload is serialized once, by `payload_text`, and the exact text is what travels and what the
idempotency hash is taken of: publishing the same message id again must give the same text.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from dealerhub.exchange.contracts.common import Contract
from dealerhub.exchange.contracts.registry import spec_of

Party = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Uuid = Annotated[
    str,
    StringConstraints(
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    ),
]


class Envelope(BaseModel):
    """The columns of an exchange message besides its payload and its processing state."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    message_id: Uuid
    type: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    schema_version: int = Field(ge=1)
    sender: Party
    receiver: Party
    warehouse_code: Annotated[str, StringConstraints(min_length=1, max_length=32)] | None = None
    document_type: Annotated[str, StringConstraints(min_length=1, max_length=32)] | None = None
    document_number: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    # 1, 2, 3... per (sender, document_type, document_number): the receiver applies them in order.
    document_seq: int | None = Field(default=None, ge=1)
    # ACK / ERROR: the message_id answered.
    correlation_id: Uuid | None = None

    @model_validator(mode="after")
    def _document_complete(self) -> Envelope:
        parts = (self.document_type, self.document_number, self.document_seq)
        if any(p is not None for p in parts) and any(p is None for p in parts):
            raise ValueError("document_type, document_number and document_seq go together (all or none)")
        return self


class Message(BaseModel):
    """An envelope and its payload text, as stored in the exchange."""

    model_config = ConfigDict(frozen=True)

    envelope: Envelope
    payload: str

    @property
    def message_id(self) -> str:
        return self.envelope.message_id

    @property
    def payload_sha256(self) -> str:
        return payload_sha256(self.payload)


def new_message_id() -> str:
    return str(uuid.uuid4())


def payload_text(payload: Contract) -> str:
    """The payload as compact JSON: fields in the model's order, nulls written out."""
    return payload.model_dump_json()


def payload_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_message(
    payload: Contract,
    *,
    sender: str,
    receiver: str,
    message_id: str | None = None,
    warehouse_code: str | None = None,
    document_type: str | None = None,
    document_number: str | None = None,
    document_seq: int | None = None,
    correlation_id: str | None = None,
) -> Message:
    """A message for a payload model; type and schema_version come from the registry."""
    spec = spec_of(payload)
    envelope = Envelope(
        message_id=message_id or new_message_id(),
        type=spec.type.value,
        schema_version=spec.version,
        sender=sender,
        receiver=receiver,
        warehouse_code=warehouse_code,
        document_type=document_type,
        document_number=document_number,
        document_seq=document_seq,
        correlation_id=correlation_id,
    )
    return Message(envelope=envelope, payload=payload_text(payload))
