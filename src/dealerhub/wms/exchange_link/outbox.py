"""The WMS's outbox: messages to the core, written in the same transaction as the WMS fact they
report (sidekit's Outbox over the wms_outbox_* tables). Sender and receiver are read from settings
at each message: wms_exchange_node (default "wms") and wms_exchange_peer (default "core")."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealerhub.exchange.contracts import Contract, Message
from dealerhub.exchange.sidekit import Outbox
from dealerhub.shared.config import get_settings
from dealerhub.wms.exchange_link.models import OUTBOX


def _node() -> tuple[str, str]:
    settings = get_settings()
    return settings.wms_exchange_node, settings.wms_exchange_peer


WMS_OUTBOX = Outbox(OUTBOX, _node)


def enqueue(s: Session, payload: Contract, **envelope) -> Message:
    return WMS_OUTBOX.enqueue(s, payload, **envelope)
