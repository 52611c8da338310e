"""The exchange monitor in the back office: the journal with its filters, counts and lag, a message
with its envelope, payload, error and answers, retry (administrators, CSRF), the core's outbox with
the answers, and the REMAINS reconciliation reports. Real exchange and core databases."""

from __future__ import annotations

import html
import threading
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from dealerhub.core.exchange_link import CoreNode
from dealerhub.exchange.contracts import (
    PackagingItem,
    PackagingV1,
    RemainsRow,
    RemainsV1,
    build_message,
)
from dealerhub.exchange.models import messages
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared import clock
from dealerhub.shared.config import Settings
from dealerhub.web.app import create_app
from tests.exchange.builders import raw_row
from tests.exchange_fixtures import (  # noqa: F401
    _mariadb_exchange_url,
    _pg_exchange_url,
    _sqlite_exchange_template,
    exchange_db,
)
from tests.inbox.world import stocked
from tests.web.conftest import add_user, log_in, page_token

PAIRS = pytest.mark.parametrize(
    ("core_db", "exchange_db"), [("sqlite", "sqlite"), ("postgresql", "postgresql")], indirect=True
)
pytestmark = PAIRS


@pytest.fixture
def app(core_db, exchange_db):  # noqa: F811
    return create_app(Settings(core_database_url=core_db.url, exchange_database_url=exchange_db.url,
                               secret_key="test-secret-key"))


@pytest.fixture
def client(app):
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client
    store = getattr(app.state, "exchange_store", None)
    if store is not None:
        store.db.dispose()


def _packaging(code, weight="1.500"):
    return build_message(PackagingV1(items=[PackagingItem(item_code=code, weight_kg=weight, levels=[])]),
                         sender="wms", receiver="core", warehouse_code="MSK")


@pytest.fixture
def traffic(core_db, exchange_db):  # noqa: F811
    """A PACKAGING applied, one for an unknown item (error once its wait is over), a malformed one
    refused by the worker (ERROR back), a REMAINS with a difference; the core's node ran once."""
    w = stocked(core_db)
    store = ExchangeStore(exchange_db, wait_timeout=timedelta(0))  # an unknown item is an error at once
    good = _packaging(w.pump)
    remains = build_message(
        RemainsV1(snapshot_id="SNAP-1", as_of=clock.now(), part=1, parts_total=1,
                  rows=[RemainsRow(item_code=w.pump, status="available", quantity="8.000")]),
        sender="wms", receiver="core", warehouse_code="MSK", document_type="remains", document_number="SNAP-1",
        document_seq=1,
    )
    store.publish_many([good, remains])
    with exchange_db.transaction() as s:
        s.execute(insert(messages).values(raw_row(type_="PACKAGING", payload="{not json", warehouse_code="SPB",
                                                  database_clock=True)))
    store.publish(_packaging("NO-SUCH-ITEM"))
    CoreNode(core_db, store, Settings(exchange_poll_seconds=0.01)).run(threading.Event(), once=True)
    return w, store, good


def test_the_journal_counts_filters_and_lags(client, core_db, admin, traffic):
    _w, _store, good = traffic
    log_in(client, "admin")

    page = client.get("/backoffice/exchange")

    assert page.status_code == 200, page.text
    assert 'id="exchange-counts"' in page.text and "<td>PACKAGING</td>" in page.text
    assert f'id="message-{good.message_id}"' in page.text
    errors = client.get("/backoffice/exchange", params={"status": "error"}).text
    assert errors.count('class="message status-error"') == 2 and "malformed_json" in errors
    outgoing = client.get("/backoffice/exchange", params={"direction": "out"}).text
    assert outgoing.count("core → wms") == outgoing.count('class="message ') == 3  # 2 ACK, the ERROR
    assert client.get("/backoffice/exchange", params={"warehouse": "SPB"}).text.count('class="message ') == 2
    by_document = client.get("/backoffice/exchange", params={"document": "SNAP-1"}).text
    assert by_document.count('class="message ') == 1 and "remains SNAP-1 #1" in by_document
    assert "No messages match." in client.get("/backoffice/exchange", params={"until": "2020-01-01"}).text
    today = datetime.now(UTC).date().isoformat()
    assert client.get("/backoffice/exchange", params={"since": today}).text.count('class="message ') == 7
    assert "Nothing is waiting to be taken." not in page.text  # the ACK/ERRORs wait for the WMS
    assert "for wms:" in page.text


def test_a_message_shows_envelope_payload_error_and_answers(client, admin, traffic):
    w, store, good = traffic
    log_in(client, "admin")
    page = html.unescape(client.get(f"/backoffice/exchange/messages/{good.message_id}").text)
    assert '"item_code": "' + w.pump + '"' in page  # pretty-printed payload
    assert 'id="inbox-row"' in page and "applied" in page
    assert 'id="answers"' in page and ">ACK</a>" in page
    assert 'id="retry-form"' not in page  # done: nothing to retry
    [bad] = [r for r in store.list()[0] if r.payload.startswith('{"items":[{"item_code":"NO-SUCH')]
    shown = client.get(f"/backoffice/exchange/messages/{bad.message_id}").text
    assert 'id="message-error"' in shown and "unknown_item" in shown and 'id="retry-form"' in shown
    assert client.get("/backoffice/exchange/messages/nope").status_code == 404


def test_retry_needs_the_administrator_and_the_csrf_token(client, core_db, admin, traffic):
    _w, store, _good = traffic
    [bad] = [r for r in store.list()[0] if r.status == "error" and r.warehouse_code == "MSK"]
    add_user(core_db, "manager", "sales_manager")
    url = f"/backoffice/exchange/messages/{bad.message_id}/retry"

    log_in(client, "manager")
    token = page_token(client, f"/backoffice/exchange/messages/{bad.message_id}")
    assert 'id="retry-form"' not in client.get(f"/backoffice/exchange/messages/{bad.message_id}").text
    assert client.post(url, data={"csrf_token": token}).status_code == 403
    assert store.get(bad.message_id).status == "error"

    client.cookies.clear()
    log_in(client, "admin")
    assert client.post(url, data={}).status_code == 403  # no CSRF token
    assert store.get(bad.message_id).status == "error"
    token = page_token(client, f"/backoffice/exchange/messages/{bad.message_id}")
    answer = client.post(url, data={"csrf_token": token})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/backoffice/exchange/messages/{bad.message_id}?retried=error"
    after = store.get(bad.message_id)
    assert (after.status, after.attempts) == ("new", 0)
    assert "back in the queue" in client.get(answer.headers["location"]).text
    [done] = [r for r in store.list()[0] if r.status == "done"][:1]
    refused = client.post(f"/backoffice/exchange/messages/{done.message_id}/retry", data={"csrf_token": token})
    assert refused.status_code == 409 and store.get(done.message_id).status == "done"


def test_a_message_refused_on_arrival_is_listed_with_its_reason_its_collision_and_its_answer(
    client, core_db, admin, traffic
):
    _w, store, good = traffic
    log_in(client, "admin")
    assert "No message was refused." in client.get("/backoffice/exchange/refused").text
    assert 'id="refused-summary"' not in client.get("/backoffice/exchange").text
    reused = build_message(PackagingV1(items=[PackagingItem(item_code="OTHER", weight_kg="9.000", levels=[])]),
                           sender="wms", receiver="core", warehouse_code="MSK", message_id=good.message_id)
    store.publish(reused)
    stored = store.get(good.message_id)
    add_user(core_db, "keeper", "storekeeper_supervisor")  # any staff role may look
    client.cookies.clear()
    log_in(client, "keeper")

    journal = client.get("/backoffice/exchange").text
    assert 'id="refused-summary"' in journal and f"PACKAGING {good.message_id} from wms" in journal
    listing = client.get("/backoffice/exchange/refused").text
    assert listing.count('class="refused-message"') == 1 and "duplicate_conflict" in listing
    assert client.get("/backoffice/exchange/refused", params={"type": "ORDERS"}).text.count('class="refused-message"') == 0
    refused_id = listing.split('href="/backoffice/exchange/refused/')[1].split('"')[0]
    shown = html.unescape(client.get(f"/backoffice/exchange/refused/{refused_id}").text)
    assert f"already in the exchange (exchange_messages row {stored.id})" in shown
    assert '"item_code": "OTHER"' in shown  # the refused payload, not the stored one
    assert f'<a href="/backoffice/exchange/messages/{good.message_id}">PACKAGING {good.message_id}</a>' in shown
    assert 'id="answer"' in shown and ">ERROR</a>" in shown
    assert store.get(good.message_id).payload_sha256 == good.payload_sha256  # the stored one untouched
    assert client.get("/backoffice/exchange/refused/999999").status_code == 404


def test_the_outbox_with_answers_and_the_reconciliation_report(client, core_db, admin, traffic):
    w, _store, _good = traffic
    log_in(client, "admin")
    outbox = client.get("/backoffice/exchange/outbox").text
    assert outbox.count('class="outbox-row"') == 2  # the ACKs of the PACKAGING and the REMAINS
    assert "Not relayed yet: 0" in outbox
    assert "<td>ACK</td>" in outbox and "No answer yet" in outbox
    assert client.get("/backoffice/exchange/outbox", params={"answer": "ack"}).text.count('class="outbox-row"') == 0

    reports = client.get("/backoffice/exchange/reconciliation").text
    assert "SNAP-1" in reports and 'text-danger fw-bold">2<' in reports  # the pumps, the filters
    report_id = reports.split('href="/backoffice/exchange/reconciliation/')[1].split('"')[0]
    lines = client.get(f"/backoffice/exchange/reconciliation/{report_id}").text
    assert f'id="line-{w.pump}"' in lines and f'id="line-{w.filter}"' in lines  # filters: 5 in the core, none in the WMS
    assert lines.count('class="report-line"') == 2


def test_every_staff_role_sees_the_menu_entry(client, core_db, admin):
    add_user(core_db, "keeper", "storekeeper_supervisor")
    log_in(client, "keeper")
    page = client.get("/backoffice/exchange")
    assert page.status_code == 200 and 'href="/backoffice/exchange/outbox"' in page.text
