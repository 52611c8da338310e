"""COUNTERPARTY messages to the WMS: the contractors (legal entities) documents refer to.

The setting `exchange_counterparties` chooses when a contractor is sent: "upfront" on every create
and change, "lazy" just before the first ORDERS/ASN that refers to it (and on changes of one the
WMS already knows). `outbox_sent_counterparties` remembers which ones the WMS knows; in both modes a
document makes sure its contractor was sent, so switching the mode never leaves a gap.

The core has no separate codes for partners and contractors: their ids are the codes.
All COUNTERPARTY messages form one ordered stream (document "counterparties"), so an upsert and a
later withdraw of a contractor are applied in that order.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dealerhub.core.outbox import enqueue
from dealerhub.core.outbox.models import OutboxSentCounterparty
from dealerhub.core.partners.models import Contractor, Partner
from dealerhub.exchange.contracts import Counterparty, CounterpartyV1, new_message_id
from dealerhub.shared import clock
from dealerhub.shared.config import get_settings

STREAM = {"document_type": "counterparties", "document_number": "counterparties"}
_sent = OutboxSentCounterparty.__table__


def _mark_sent(insert_fn):
    stmt = insert_fn(_sent).values(
        contractor_id=bindparam("contractor_id"), message_id=bindparam("message_id"), sent_at=bindparam("at")
    )
    return stmt.on_conflict_do_nothing(index_elements=["contractor_id"]).returning(_sent.c.contractor_id)


_MARK_SENT = {"postgresql": _mark_sent(postgresql.insert), "sqlite": _mark_sent(sqlite.insert)}


def contractor_code(contractor_id: int) -> str:
    return str(contractor_id)


def ensure_counterparty_sent(s: Session, contractor_id: int) -> None:
    """Before a document that refers to the contractor: send it if the WMS doesn't know it yet.
    The insert of the "sent" row decides who sends: of two transactions racing for the same new
    contractor the second waits on the first's row and then finds it (on PostgreSQL; SQLite has
    one writer at a time), so it is sent once."""
    message_id = new_message_id()
    if _claim(s, contractor_id, message_id):
        _send(s, [contractor_id], message_id=message_id)


def contractor_saved(s: Session, contractor: Contractor, *, created: bool) -> None:
    """After a contractor was created or changed: "upfront" sends it now; "lazy" sends a change
    only if the WMS already knows the contractor (a new one waits for its first document)."""
    if get_settings().exchange_counterparties == "upfront":
        _send_claimed(s, [contractor.id])
    elif not created and _is_sent(s, contractor.id):
        _send(s, [contractor.id])


def partner_saved(s: Session, partner: Partner) -> None:
    """A partner's name, roles or activity changed: its contractors the WMS knows (all of them,
    "upfront") get the new roles."""
    ids = [c.id for c in partner.contractors]
    if get_settings().exchange_counterparties == "upfront":
        _send_claimed(s, ids)
    else:
        known = [cid for cid in ids if _is_sent(s, cid)]
        if known:
            _send(s, known)


def send_all_counterparties(s: Session, *, batch: int = 200) -> int:
    """Every contractor as an upsert (the inactive as a withdraw), `batch` per message: the first
    load of a WMS in "upfront" mode. Returns how many were sent."""
    ids = list(s.scalars(select(Contractor.id).order_by(Contractor.id)))
    for start in range(0, len(ids), batch):
        _send_claimed(s, ids[start : start + batch])
    return len(ids)


def _send_claimed(s: Session, contractor_ids: list[int]) -> None:
    """Send these contractors, recording the message as what told the WMS about the new ones."""
    if not contractor_ids:
        return
    message_id = new_message_id()
    for contractor_id in contractor_ids:
        _claim(s, contractor_id, message_id)
    _send(s, contractor_ids, message_id=message_id)


def _claim(s: Session, contractor_id: int, message_id: str) -> bool:
    """Record that the WMS is told about the contractor; True if it wasn't before."""
    conn = s.connection()
    stmt = _MARK_SENT.get(conn.dialect.name, _MARK_SENT["sqlite"])
    params = {"contractor_id": contractor_id, "message_id": message_id, "at": clock.now()}
    return conn.execute(stmt, params).first() is not None


def _is_sent(s: Session, contractor_id: int) -> bool:
    return s.scalar(select(_sent.c.contractor_id).where(_sent.c.contractor_id == contractor_id)) is not None


def _send(s: Session, contractor_ids: Iterable[int], *, message_id: str | None = None) -> None:
    s.flush()
    rows = s.execute(
        select(Contractor, Partner)
        .join(Partner, Partner.id == Contractor.partner_id)
        .where(Contractor.id.in_(list(contractor_ids)))
        .order_by(Contractor.id)
    ).all()
    entries = [_entry(contractor, partner) for contractor, partner in rows]
    if entries:
        enqueue(s, CounterpartyV1(counterparties=entries), message_id=message_id, **STREAM)


def _entry(contractor: Contractor, partner: Partner) -> Counterparty:
    roles = [role for role, flag in (("customer", partner.is_dealer), ("supplier", partner.is_supplier)) if flag]
    return Counterparty(
        code=contractor_code(contractor.id),
        partner_code=str(partner.id),
        name=contractor.name,
        inn=contractor.inn,
        kpp=contractor.kpp,
        address=contractor.postal_address or contractor.legal_address,
        # A partner that is neither dealer nor supplier (yet) is addressed as a customer.
        roles=roles or ["customer"],
        action="upsert" if contractor.is_active and partner.is_active else "withdraw",
    )
