"""An inbound message as the inbox handles it: the envelope and the parsed payload. Anything with
`.envelope` and `.payload` (the parsed model) will do: the exchange worker's claimed messages too."""

from __future__ import annotations

from dataclasses import dataclass

from dealerhub.exchange.contracts import Contract, Envelope, Message, parse_payload


@dataclass(frozen=True)
class InboundMessage:
    envelope: Envelope
    payload: Contract

    @property
    def message_id(self) -> str:
        return self.envelope.message_id

    @classmethod
    def of(cls, message: Message) -> InboundMessage:
        """Parse a stored message (ContractError if the payload breaks its schema)."""
        envelope = message.envelope
        return cls(envelope, parse_payload(envelope.type, envelope.schema_version, message.payload))
