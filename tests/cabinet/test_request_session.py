"""A cabinet request and its database connections: a GET page reads the web session, the dealer's
company and the page itself through one connection (one checkout of the pool); a request whose
handler writes (or doesn't read in the request's session) gets that connection back before its own,
so a request never holds two. The security checks stay as they were: an expired session goes to the
login form, a POST without the CSRF token changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, select, update

from dealerhub.core.accounts.models import WebSession
from dealerhub.core.carts.models import Cart
from dealerhub.shared import clock
from dealerhub.shared.db import Database
from tests.cabinet.conftest import cabinet_token, log_in_dealer


@contextmanager
def connections(db: Database) -> Iterator[dict[str, int]]:
    """How many times the pool handed out a connection, and the most held at once, in the block."""
    seen = {"checkouts": 0, "held": 0, "most_held": 0}

    def checkout(*_args) -> None:
        seen["checkouts"] += 1
        seen["held"] += 1
        seen["most_held"] = max(seen["most_held"], seen["held"])

    def checkin(*_args) -> None:
        seen["held"] -= 1

    event.listen(db.engine, "checkout", checkout)
    event.listen(db.engine, "checkin", checkin)
    try:
        yield seen
    finally:
        event.remove(db.engine, "checkout", checkout)
        event.remove(db.engine, "checkin", checkin)


def test_a_page_reads_the_session_the_company_and_itself_through_one_connection(client, dealer_a):
    log_in_dealer(client, "alpha-buyer")
    client.get("/cabinet/catalog")  # the reference lists are read once per process
    for path in ("/cabinet/catalog", "/cabinet/catalog?q=pump", "/cabinet/carts", "/cabinet/"):
        with connections(client.app.state.db) as seen:
            assert client.get(path).status_code == 200, path
        assert seen == {"checkouts": 1, "held": 0, "most_held": 1}, path


def test_a_download_read_apart_from_the_request_session_holds_one_connection_at_a_time(client, dealer_a):
    log_in_dealer(client, "alpha-buyer")
    with connections(client.app.state.db) as seen:
        assert client.get("/cabinet/catalog/price-list.csv").status_code == 200
    assert seen["most_held"] == 1 and seen["held"] == 0


def test_a_post_gives_the_reading_connection_back_before_its_transaction(client, core_db, dealer_a):
    log_in_dealer(client, "alpha-buyer")
    token = cabinet_token(client)
    with connections(client.app.state.db) as seen:
        answer = client.post("/cabinet/carts", data={"csrf_token": token, "name": "Spring"})
    assert answer.status_code == 303
    assert seen == {"checkouts": 2, "held": 0, "most_held": 1}
    with core_db.session() as s:
        assert s.scalars(select(Cart.name).where(Cart.partner_id == dealer_a.partner_id)).all() == ["Spring"]


def test_a_post_without_the_csrf_token_changes_nothing(client, core_db, dealer_a):
    log_in_dealer(client, "alpha-buyer")
    assert client.post("/cabinet/carts", data={"name": "Forged"}).status_code == 403
    with core_db.session() as s:
        assert s.scalars(select(Cart.name).where(Cart.partner_id == dealer_a.partner_id)).all() == []


def test_an_expired_session_goes_to_the_login_form(client, core_db, dealer_a):
    log_in_dealer(client, "alpha-buyer")
    with core_db.transaction() as s:
        s.execute(update(WebSession).values(expires_at=clock.now() - timedelta(seconds=1)))
    answer = client.get("/cabinet/catalog?q=pump")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/cabinet/login")
