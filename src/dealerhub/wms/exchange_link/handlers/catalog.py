"""CLASSIFIER, GOODS, COUNTERPARTY: the core's master data as the WMS keeps it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import ClassifierV1, CounterpartyV1, GoodsV1
from dealerhub.exchange.sidekit import Done
from dealerhub.exchange.sidekit.inbox import InboundMessage
from dealerhub.wms.catalog.service import upsert_counterparty, upsert_group, upsert_item


def handle_classifier(s: Session, message: InboundMessage) -> Done:
    p: ClassifierV1 = message.payload  # type: ignore[assignment]
    for group in p.groups:
        upsert_group(s, group)
    s.flush()
    return Done(note=f"{len(p.groups)} group(s)")


def handle_goods(s: Session, message: InboundMessage) -> Done:
    p: GoodsV1 = message.payload  # type: ignore[assignment]
    for item in p.items:
        upsert_item(s, item)
    return Done(note=f"{len(p.items)} item(s)")


def handle_counterparty(s: Session, message: InboundMessage) -> Done:
    p: CounterpartyV1 = message.payload  # type: ignore[assignment]
    for counterparty in p.counterparties:
        upsert_counterparty(s, counterparty)
    s.flush()
    return Done(note=f"{len(p.counterparties)} counterpart(ies)")
