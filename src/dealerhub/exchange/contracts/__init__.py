"""The published contract of the exchange: one Pydantic model per message type and version.

from dealerhub.exchange.contracts import OrdersV1, OrderLine, build_message, parse_payload
"""

from dealerhub.exchange.contracts.ack import AckV1
from dealerhub.exchange.contracts.asn import AsnLine, AsnV1
from dealerhub.exchange.contracts.classifier import ClassifierGroup, ClassifierV1
from dealerhub.exchange.contracts.common import Contract, decimal_text, optional_decimal, to_decimal
from dealerhub.exchange.contracts.counterparty import Counterparty, CounterpartyV1
from dealerhub.exchange.contracts.despatch import DespatchLine, DespatchV1, Package, PackageContent
from dealerhub.exchange.contracts.envelope import (
    Envelope,
    Message,
    build_message,
    new_message_id,
    payload_sha256,
    payload_text,
)
from dealerhub.exchange.contracts.error import ErrorV1
from dealerhub.exchange.contracts.errors import ContractError, ErrorCode
from dealerhub.exchange.contracts.goods import GoodsItem, GoodsV1, Unit
from dealerhub.exchange.contracts.inventory import InventoryLine, InventoryV1
from dealerhub.exchange.contracts.movement import MovementLine, MovementV1
from dealerhub.exchange.contracts.orders import OrderLine, OrdersV1
from dealerhub.exchange.contracts.packaging import PackagingItem, PackagingLevel, PackagingV1
from dealerhub.exchange.contracts.receipt import ReceiptLine, ReceiptV1
from dealerhub.exchange.contracts.registry import (
    REGISTRY,
    MessageSpec,
    MessageType,
    all_specs,
    parse_payload,
    spec_for,
    spec_of,
)
from dealerhub.exchange.contracts.remains import RemainsRow, RemainsV1

__all__ = [
    "REGISTRY",
    "AckV1",
    "AsnLine",
    "AsnV1",
    "ClassifierGroup",
    "ClassifierV1",
    "Contract",
    "ContractError",
    "Counterparty",
    "CounterpartyV1",
    "DespatchLine",
    "DespatchV1",
    "Envelope",
    "ErrorCode",
    "ErrorV1",
    "GoodsItem",
    "GoodsV1",
    "InventoryLine",
    "InventoryV1",
    "Message",
    "MessageSpec",
    "MessageType",
    "MovementLine",
    "MovementV1",
    "OrderLine",
    "OrdersV1",
    "Package",
    "PackageContent",
    "PackagingItem",
    "PackagingLevel",
    "PackagingV1",
    "ReceiptLine",
    "ReceiptV1",
    "RemainsRow",
    "RemainsV1",
    "Unit",
    "all_specs",
    "build_message",
    "decimal_text",
    "new_message_id",
    "optional_decimal",
    "parse_payload",
    "payload_sha256",
    "payload_text",
    "spec_for",
    "spec_of",
    "to_decimal",
]
