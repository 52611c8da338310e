"""The registry of message types: (type, schema_version) -> the payload's model, and parsing a
payload text into it with a stable error code when it is refused."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from pydantic import ValidationError

from dealerhub.exchange.contracts.ack import AckV1
from dealerhub.exchange.contracts.asn import AsnV1
from dealerhub.exchange.contracts.classifier import ClassifierV1
from dealerhub.exchange.contracts.common import Contract
from dealerhub.exchange.contracts.counterparty import CounterpartyV1
from dealerhub.exchange.contracts.despatch import DespatchV1
from dealerhub.exchange.contracts.error import ErrorV1
from dealerhub.exchange.contracts.errors import ContractError, ErrorCode
from dealerhub.exchange.contracts.goods import GoodsV1
from dealerhub.exchange.contracts.inventory import InventoryV1
from dealerhub.exchange.contracts.movement import MovementV1
from dealerhub.exchange.contracts.orders import OrdersV1
from dealerhub.exchange.contracts.packaging import PackagingV1
from dealerhub.exchange.contracts.receipt import ReceiptV1
from dealerhub.exchange.contracts.remains import RemainsV1


class MessageType(StrEnum):
    CLASSIFIER = "CLASSIFIER"
    GOODS = "GOODS"
    COUNTERPARTY = "COUNTERPARTY"
    ASN = "ASN"
    ORDERS = "ORDERS"
    RECEIPT = "RECEIPT"
    DESPATCH = "DESPATCH"
    REMAINS = "REMAINS"
    INVENTORY = "INVENTORY"
    MOVEMENT = "MOVEMENT"
    PACKAGING = "PACKAGING"
    ACK = "ACK"
    ERROR = "ERROR"


Direction = Literal["core->wms", "wms->core", "both"]


@dataclass(frozen=True)
class MessageSpec:
    type: MessageType
    version: int
    model: type[Contract]
    direction: Direction
    # What the envelope's document (document_type, document_number, document_seq) is for this type.
    document: str | None

    @property
    def schema_name(self) -> str:
        return f"{self.type.value}.v{self.version}"


_SPECS = [
    MessageSpec(MessageType.CLASSIFIER, 1, ClassifierV1, "core->wms", None),
    MessageSpec(MessageType.GOODS, 1, GoodsV1, "core->wms", None),
    MessageSpec(MessageType.COUNTERPARTY, 1, CounterpartyV1, "core->wms", None),
    MessageSpec(
        MessageType.ASN, 1, AsnV1, "core->wms", "the source document: supplier order or customer return"
    ),
    MessageSpec(MessageType.ORDERS, 1, OrdersV1, "core->wms", "the picking task"),
    MessageSpec(MessageType.RECEIPT, 1, ReceiptV1, "wms->core", "the ASN"),
    MessageSpec(MessageType.DESPATCH, 1, DespatchV1, "wms->core", "the picking task (the order)"),
    MessageSpec(MessageType.REMAINS, 1, RemainsV1, "wms->core", "the snapshot"),
    MessageSpec(MessageType.INVENTORY, 1, InventoryV1, "wms->core", None),
    MessageSpec(MessageType.MOVEMENT, 1, MovementV1, "wms->core", None),
    MessageSpec(MessageType.PACKAGING, 1, PackagingV1, "wms->core", None),
    MessageSpec(MessageType.ACK, 1, AckV1, "both", None),
    MessageSpec(MessageType.ERROR, 1, ErrorV1, "both", None),
]

REGISTRY: dict[tuple[str, int], MessageSpec] = {(s.type.value, s.version): s for s in _SPECS}
_BY_MODEL: dict[type[Contract], MessageSpec] = {s.model: s for s in _SPECS}


def all_specs() -> list[MessageSpec]:
    return list(_SPECS)


def spec_for(type_: str, version: int) -> MessageSpec:
    """The spec of a (type, version); ContractError unknown_type / unknown_version otherwise."""
    spec = REGISTRY.get((type_, version))
    if spec is not None:
        return spec
    known = sorted(v for (t, v) in REGISTRY if t == type_)
    if not known:
        raise ContractError(ErrorCode.UNKNOWN_TYPE, f"unknown message type {type_!r}")
    raise ContractError(
        ErrorCode.UNKNOWN_VERSION,
        f"{type_} has no schema version {version} (known: {', '.join(map(str, known))})",
    )


def spec_of(model: type[Contract] | Contract) -> MessageSpec:
    """The spec of a payload model (class or instance)."""
    cls = model if isinstance(model, type) else type(model)
    try:
        return _BY_MODEL[cls]
    except KeyError:
        raise TypeError(f"{cls.__name__} is not a registered message payload") from None


def parse_payload(type_: str, version: int, text: str | bytes) -> Contract:
    """Parse and validate a payload. Raises ContractError with malformed_json, unknown_type,
    unknown_version or schema_violation and a reason a person can act on."""
    spec = spec_for(type_, version)
    try:
        return spec.model.model_validate_json(text)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        if any(e["type"] == "json_invalid" for e in errors):
            detail = errors[0].get("ctx", {}).get("error", errors[0]["msg"])
            raise ContractError(
                ErrorCode.MALFORMED_JSON, f"the payload is not valid JSON: {detail}"
            ) from None
        raise ContractError(ErrorCode.SCHEMA_VIOLATION, describe(spec, errors)) from None


def describe(spec: MessageSpec, errors: list, limit: int = 5) -> str:
    """`GOODS.v1: items.0.unit.decimals: Input should be less than or equal to 3; ...`"""
    parts = []
    for error in errors[:limit]:
        where = ".".join(str(p) for p in error["loc"]) or "(payload)"
        parts.append(f"{where}: {error['msg']}")
    more = f" (and {len(errors) - limit} more)" if len(errors) > limit else ""
    return f"{spec.schema_name}: " + "; ".join(parts) + more
