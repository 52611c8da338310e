"""The exchange monitor: the journal of the exchange database with filters, each message's envelope,
payload and error, retry (administrators), counts by type and status, lag and the oldest waiting
message; the messages refused on arrival; the core's outbox with the other side's answers; the REMAINS
reconciliation reports.

The exchange is another database: its store is opened once per app (settings.exchange_database_url)
and read in its own short transactions, never inside the page's core session."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, or_, select

from dealerhub.core.accounts import SessionUser, can
from dealerhub.core.backoffice import queries
from dealerhub.core.inbox.models import InboxMessage, ReconciliationReport
from dealerhub.core.inbox.reports import list_reports, report_lines
from dealerhub.core.outbox.models import OutboxMessage
from dealerhub.exchange.contracts import MessageType
from dealerhub.exchange.models import Status, messages
from dealerhub.exchange.records import MessageRecord
from dealerhub.exchange.refusals import answer_id
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared.errors import NotFound
from dealerhub.shared.texts import T
from dealerhub.web.deps import OptionalInt, ReadSession, StaffUser, require
from dealerhub.web.paging import Paging
from dealerhub.web.rendering import render

router = APIRouter()
ExchangeManager = Annotated[SessionUser, Depends(require("exchange.manage"))]
STATUSES = tuple(s.value for s in Status)
RETRYABLE = ("error", "dead", "new")
m = messages.c
_store_lock = threading.Lock()


def exchange_store(request: Request) -> ExchangeStore:
    """The app's exchange store, opened on first use."""
    state = request.app.state
    with _store_lock:
        store = getattr(state, "exchange_store", None)
        if store is None:
            store = state.exchange_store = ExchangeStore.from_settings(state.settings)
    return store


Store = Annotated[ExchangeStore, Depends(exchange_store)]


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def journal(store: ExchangeStore, node: str, filters: dict[str, Any], paging: Paging) -> tuple[list[MessageRecord], int]:
    """The live messages that match, newest first."""
    conditions = []
    for name in ("type", "status"):
        if filters[name]:
            conditions.append(m[name] == filters[name])
    if filters["direction"] == "in":
        conditions.append(m.receiver == node)
    elif filters["direction"] == "out":
        conditions.append(m.sender == node)
    if filters["document"]:
        text = filters["document"].strip()
        conditions.append(or_(m.document_number == text, m.message_id == text, m.correlation_id == text))
    if filters["warehouse"]:
        conditions.append(m.warehouse_code == filters["warehouse"])
    if filters["since"]:
        conditions.append(m.created_at >= datetime.combine(filters["since"], time.min, tzinfo=UTC))
    if filters["until"]:
        conditions.append(m.created_at < datetime.combine(filters["until"] + timedelta(days=1), time.min, tzinfo=UTC))
    with store.db.session() as s:
        total = s.scalar(select(func.count()).select_from(messages).where(*conditions)) or 0
        rows = s.execute(
            select(messages).where(*conditions).order_by(m.id.desc()).limit(paging.size).offset(paging.offset)
        ).all()
    return [MessageRecord.from_row(row) for row in rows], total


def _choices(store: ExchangeStore) -> tuple[list[str], list[str]]:
    with store.db.session() as s:
        types = list(s.scalars(select(m.type).distinct().order_by(m.type)))
        codes = list(s.scalars(select(m.warehouse_code).where(m.warehouse_code.is_not(None)).distinct().order_by(m.warehouse_code)))
    return types, codes


@router.get("/exchange")
def monitor(
    request: Request,
    _user: StaffUser,
    store: Store,
    type: str | None = None,
    status: str | None = None,
    direction: str | None = None,
    document: str | None = None,
    warehouse: str | None = None,
    since: str | None = None,
    until: str | None = None,
    page: OptionalInt = None,
) -> Response:
    node = request.app.state.settings.exchange_node
    filters = {
        "type": type or None, "status": status if status in STATUSES else None,
        "direction": direction if direction in ("in", "out") else None, "document": document or None,
        "warehouse": warehouse or None, "since": _day(since), "until": _day(until),
    }
    paging = Paging.start(page)
    rows, total = journal(store, node, filters, paging)
    report = store.status()
    by_type: dict[str, dict[str, int]] = {}
    for c in report.counts:
        by_type.setdefault(c.type, {})[c.status] = c.count
    types, codes = _choices(store)
    context = {
        "rows": rows, "paging": paging.with_total(total), "filters": filters, "node": node,
        "statuses": STATUSES, "types": types, "codes": codes, "by_type": sorted(by_type.items()),
        "totals": {st: report.total(st) for st in STATUSES}, "lag": sorted(report.lag_seconds.items()),
        "oldest_waiting": report.oldest_waiting, "refused": report.refused, "latest_refused": report.latest_refused,
    }
    return render(request, "backoffice/exchange/monitor.html", context)


@router.get("/exchange/messages/{message_id}")
def message(request: Request, message_id: str, user: StaffUser, store: Store, s: ReadSession) -> Response:
    record = store.get(message_id)
    if record is None:
        raise NotFound(T("there is no message %(id)s in the exchange", id=message_id))
    payload = _pretty(record.payload)
    answers = _answers(store, message_id)
    context = {
        "record": record, "payload": payload, "answers": answers,
        "outbox": s.scalar(select(OutboxMessage).where(OutboxMessage.message_id == message_id)),
        "inbox": s.get(InboxMessage, message_id),
        "can_retry": can(user.role, "exchange.manage") and record.status in RETRYABLE and not record.archived,
        "retried": request.query_params.get("retried"),
    }
    return render(request, "backoffice/exchange/message.html", context)


def _answers(store: ExchangeStore, message_id: str) -> list[MessageRecord]:
    """The ACK/ERROR messages that answer this one."""
    with store.db.session() as s:
        rows = s.execute(select(messages).where(m.correlation_id == message_id).order_by(m.id)).all()
    return [MessageRecord.from_row(r) for r in rows]


@router.post("/exchange/messages/{message_id}/retry")
def retry(message_id: str, _user: ExchangeManager, store: Store) -> Response:
    """error/dead -> new with fresh attempts; a waiting message is made claimable now. Done and taken
    ones are refused (409), an unknown id is 404: nothing changes then."""
    was = store.retry(message_id)
    return RedirectResponse(f"/backoffice/exchange/messages/{message_id}?retried={was}", status_code=303)


@router.get("/exchange/refused")
def refused(request: Request, _user: StaffUser, store: Store, type: str | None = None, page: OptionalInt = None) -> Response:
    """Messages the exchange refused on arrival (a reused id with another payload, a document's
    place taken): never stored in the journal, never delivered; their sender got an ERROR."""
    paging = Paging.start(page)
    rows, total = store.refused(type or None, limit=paging.size, offset=paging.offset)
    context = {"rows": rows, "paging": paging.with_total(total), "type": type or "", "types": [t.value for t in MessageType]}
    return render(request, "backoffice/exchange/refused.html", context)


@router.get("/exchange/refused/{refused_id:int}")
def refused_message(request: Request, refused_id: int, _user: StaffUser, store: Store) -> Response:
    record = store.get_refused(refused_id)
    if record is None:
        raise NotFound(T("there is no such refused message"), refused_id=refused_id)
    context = {
        "record": record, "payload": _pretty(record.payload),
        "stored": store.get_by_id(record.conflicts_with) if record.conflicts_with is not None else None,
        "answer": store.get(answer_id(record.message_id, f"REFUSED:{record.payload_sha256}")),
    }
    return render(request, "backoffice/exchange/refused_message.html", context)


def _pretty(payload: str) -> str:
    try:
        return json.dumps(json.loads(payload), indent=2, ensure_ascii=False)
    except json.JSONDecodeError:
        return payload


@router.get("/exchange/outbox")
def outbox(
    request: Request,
    _user: StaffUser,
    s: ReadSession,
    type: str | None = None,
    answer: str | None = None,
    page: OptionalInt = None,
) -> Response:
    """The core's outbox: what the core sent (or is about to), and the answer each got."""
    paging = Paging.start(page)
    o = OutboxMessage
    conditions = []
    if type:
        conditions.append(o.type == type)
    if answer == "ack":
        conditions.append(o.answer == "ack")
    elif answer == "error":
        conditions.append(o.answer == "error")
    elif answer == "none":
        conditions.append(o.answer.is_(None))
    elif answer == "unrelayed":
        conditions.append(o.relayed_at.is_(None))
    total = s.scalar(select(func.count()).select_from(o).where(*conditions)) or 0
    rows = s.scalars(select(o).where(*conditions).order_by(o.id.desc()).limit(paging.size).offset(paging.offset)).all()
    context = {
        "rows": rows, "paging": paging.with_total(total), "type": type or "", "answer": answer or "",
        "types": list(s.scalars(select(o.type).distinct().order_by(o.type))),
        "unrelayed": s.scalar(select(func.count()).select_from(o).where(o.relayed_at.is_(None))) or 0,
    }
    return render(request, "backoffice/exchange/outbox.html", context)


@router.get("/exchange/reconciliation")
def reconciliation(request: Request, _user: StaffUser, s: ReadSession, page: OptionalInt = None) -> Response:
    paging = Paging.start(page)
    reports, total = list_reports(s, limit=paging.size, offset=paging.offset)
    context = {"reports": reports, "paging": paging.with_total(total), "warehouses": dict(queries.warehouse_choices(s))}
    return render(request, "backoffice/exchange/reconciliation.html", context)


@router.get("/exchange/reconciliation/{report_id:int}")
def reconciliation_report(
    request: Request, report_id: int, _user: StaffUser, s: ReadSession, all: bool = False
) -> Response:
    report = s.get(ReconciliationReport, report_id)
    if report is None:
        raise NotFound(T("there is no such reconciliation report"), report_id=report_id)
    context = {
        "report": report, "lines": report_lines(s, report_id, only_differences=not all), "all": all,
        "warehouse": dict(queries.warehouse_choices(s)).get(report.warehouse_id, report.warehouse_id),
    }
    return render(request, "backoffice/exchange/report.html", context)
