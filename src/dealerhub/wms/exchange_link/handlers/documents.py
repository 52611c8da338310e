"""ASN and ORDERS: expected receipts and orders to pick. A warehouse or an item the WMS does not
know yet makes the message wait (the CLASSIFIER/GOODS carrying it may still be on the way)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import AsnV1, ErrorCode, OrdersV1, to_decimal
from dealerhub.exchange.sidekit import Done, NotYet, Reject
from dealerhub.exchange.sidekit.inbox import InboundMessage
from dealerhub.wms.catalog.service import find_items
from dealerhub.wms.layout.models import Warehouse
from dealerhub.wms.layout.service import find_warehouse
from dealerhub.wms.picking.batch import NewOrder, create_orders, existing_orders
from dealerhub.wms.picking.orders import WantedLine, cancel_order, create_order, find_order, replace_order
from dealerhub.wms.receiving.asns import ExpectedLine, cancel_asn, create_asn, find_asn, replace_asn


def _warehouse(s: Session, message: InboundMessage) -> Warehouse:
    code = message.envelope.warehouse_code
    if code is None:
        raise Reject(ErrorCode.UNKNOWN_WAREHOUSE, f"{message.envelope.type} names no warehouse")
    known = s.info.setdefault("wms_warehouses", {})  # read once per transaction (a batch of ORDERS)
    warehouse = known.get(code) or find_warehouse(s, code)
    if warehouse is not None:
        known[code] = warehouse
    if warehouse is None:
        raise NotYet(ErrorCode.UNKNOWN_WAREHOUSE, f"warehouse {code} is not set up in the WMS")
    return warehouse


def _items(s: Session, codes: list[str]) -> dict:
    items = find_items(s, codes)
    missing = sorted(set(codes) - set(items))
    if missing:
        raise NotYet(ErrorCode.UNKNOWN_ITEM, f"item(s) {', '.join(missing[:10])} are not known to the WMS yet")
    return items


def handle_asn(s: Session, message: InboundMessage) -> Done:
    p: AsnV1 = message.payload  # type: ignore[assignment]
    warehouse = _warehouse(s, message)
    asn = find_asn(s, warehouse.id, p.asn_number, lock=True)
    if p.action == "cancel":
        if asn is None:
            raise Reject(ErrorCode.UNKNOWN_DOCUMENT, f"no ASN {p.asn_number} to cancel")
        cancel_asn(s, asn)
        return Done("asn", p.asn_number, f"ASN {p.asn_number} cancelled")
    items = _items(s, [x.item_code for x in p.lines])
    lines = [ExpectedLine(x.line_no, items[x.item_code].id, to_decimal(x.quantity)) for x in p.lines]
    if asn is None:
        if p.action == "replace":
            raise Reject(ErrorCode.UNKNOWN_DOCUMENT, f"no ASN {p.asn_number} to replace")
        create_asn(s, warehouse.id, asn_number=p.asn_number, kind=p.kind, source_number=p.source_number,
                   counterparty_code=p.counterparty_code, expected_date=p.expected_date, lines=lines)
        return Done("asn", p.asn_number, f"ASN {p.asn_number}: {len(lines)} line(s) expected")
    # A create for an ASN the WMS has (the core announced it again) is a replace.
    replace_asn(s, asn, expected_date=p.expected_date, counterparty_code=p.counterparty_code, lines=lines)
    return Done("asn", p.asn_number, f"ASN {p.asn_number} replaced (revision {asn.revision})")


def handle_orders(s: Session, message: InboundMessage) -> Done:
    p: OrdersV1 = message.payload  # type: ignore[assignment]
    warehouse = _warehouse(s, message)
    order = find_order(s, warehouse.id, p.order_number, lock=True)
    if p.action == "cancel":
        if order is None:
            raise Reject(ErrorCode.UNKNOWN_DOCUMENT, f"no order {p.order_number} to cancel")
        cancel_order(s, order)
        return Done("order", p.order_number, f"order {p.order_number} cancelled")
    items = _items(s, [x.item_code for x in p.lines])
    lines = [WantedLine(x.line_no, items[x.item_code].id, to_decimal(x.quantity)) for x in p.lines]
    if order is None:
        if p.action == "replace":
            raise Reject(ErrorCode.UNKNOWN_DOCUMENT, f"no order {p.order_number} to replace")
        order = create_order(s, warehouse.id, order_number=p.order_number,
                             customer_order_number=p.customer_order_number, counterparty_code=p.counterparty_code,
                             ship_by=p.ship_by, comment=p.comment, lines=lines)
        return Done("order", p.order_number, f"order {p.order_number}: {len(lines)} line(s) to pick")
    replace_order(s, order, ship_by=p.ship_by, comment=p.comment, lines=lines)
    return Done("order", p.order_number, f"order {p.order_number} replaced (revision {order.revision})")


def handle_orders_batch(s: Session, messages: Sequence[InboundMessage]) -> list[Done]:
    """A run of ORDERS with the effect of handle_orders on each in turn: the creates of orders the
    WMS does not have (and no earlier message of the run names) are made together by create_orders,
    each stretch of them before the next other message; the others (cancel, replace, a create of an
    order the WMS has) go through handle_orders in their place. Raises when any message would not
    apply (the inbox then applies the run message by message)."""
    payloads: list[OrdersV1] = [m.payload for m in messages]  # type: ignore[misc]
    keys = [(_warehouse(s, m).id, p.order_number) for m, p in zip(messages, payloads, strict=True)]
    have = existing_orders(s, [k for k, p in zip(keys, payloads, strict=True) if p.action == "create"])
    items = _items(s, [x.item_code for p in payloads if p.action == "create" for x in p.lines])
    done: list[Done] = []
    stretch: list[NewOrder] = []
    seen: set[tuple[int, str]] = set()
    for message, p, key in zip(messages, payloads, keys, strict=True):
        if p.action == "create" and key not in have and key not in seen:
            lines = [WantedLine(x.line_no, items[x.item_code].id, to_decimal(x.quantity)) for x in p.lines]
            stretch.append(NewOrder(key[0], p.order_number, p.customer_order_number, p.counterparty_code,
                                    p.ship_by, p.comment, lines))
            done.append(Done("order", p.order_number, f"order {p.order_number}: {len(lines)} line(s) to pick"))
        else:
            create_orders(s, stretch)
            stretch = []
            done.append(handle_orders(s, message))
        seen.add(key)
    create_orders(s, stretch)
    return done
