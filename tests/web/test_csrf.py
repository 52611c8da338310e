"""CSRF: every unsafe request of a logged-in user needs the session's token; the login form needs
its signed pre-session token. A refused request changes nothing."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from sqlalchemy import func, select

from dealerhub.core import backoffice
from dealerhub.core.accounts.models import User, WebSession
from dealerhub.core.audit.models import AuditRecord
from dealerhub.core.warehouses.models import Warehouse
from tests.web.conftest import PASSWORD, add_user, csrf_from, log_in, page_token

NEW_WAREHOUSE = {"code": "SPB", "name": "Saint Petersburg", "kind": "regional"}


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_post_without_the_token_is_refused_and_changes_nothing(admin_client, core_db):
    answer = admin_client.post("/backoffice/warehouses/new", data=NEW_WAREHOUSE)
    assert answer.status_code == 403
    assert _count(core_db, Warehouse) == 0


def test_a_wrong_token_is_refused_and_changes_nothing(admin_client, core_db):
    answer = admin_client.post("/backoffice/warehouses/new", data={**NEW_WAREHOUSE, "csrf_token": "forged"})
    assert answer.status_code == 403
    assert 'id="error-message"' in answer.text
    assert _count(core_db, Warehouse) == 0


def test_another_sessions_token_is_refused(admin_client, app, core_db):
    from fastapi.testclient import TestClient

    add_user(core_db, "other", "administrator")
    with TestClient(app, follow_redirects=False) as other:
        log_in(other, "other")
        foreign = page_token(other)
    answer = admin_client.post("/backoffice/warehouses/new", data={**NEW_WAREHOUSE, "csrf_token": foreign})
    assert answer.status_code == 403
    assert _count(core_db, Warehouse) == 0


def test_the_right_token_in_the_form_or_the_header_is_accepted(admin_client, core_db):
    token = page_token(admin_client)
    answer = admin_client.post("/backoffice/warehouses/new", data={**NEW_WAREHOUSE, "csrf_token": token})
    assert (answer.status_code, answer.headers["location"]) == (303, "/backoffice/warehouses?notice=created")
    answer = admin_client.post(
        "/backoffice/warehouses/new", data={**NEW_WAREHOUSE, "code": "EKB"}, headers={"X-CSRF-Token": token}
    )
    assert answer.status_code == 303
    with core_db.session() as s:
        assert sorted(s.scalars(select(Warehouse.code))) == ["EKB", "SPB"]


def test_logout_without_the_token_keeps_the_session(admin_client, core_db):
    assert admin_client.post("/backoffice/logout").status_code == 403
    assert _count(core_db, WebSession) == 1
    assert admin_client.get("/backoffice/").status_code == 200


def test_language_switch_without_the_token_changes_nothing(admin_client, core_db, admin):
    assert admin_client.post("/backoffice/language", data={"language": "ru"}).status_code == 403
    with core_db.session() as s:
        assert s.get(User, admin).language == "en"


def test_the_login_form_needs_its_pre_session_token(client, core_db, admin):
    client.get("/backoffice/login")
    for token in (None, "forged"):
        data = {"login": "admin", "password": PASSWORD}
        if token:
            data["csrf_token"] = token
        assert client.post("/backoffice/login", data=data).status_code == 403
    # A token from the page without the cookie it was signed for is no good either.
    token = csrf_from(client.get("/backoffice/login").text)
    client.cookies.delete("dh_login_nonce", path="/backoffice/login")
    assert (
        client.post(
            "/backoffice/login", data={"login": "admin", "password": PASSWORD, "csrf_token": token}
        ).status_code
        == 403
    )
    assert _count(core_db, WebSession) == 0


def test_every_unsafe_back_office_route_refuses_a_post_without_the_token(admin_client, core_db):
    """Walks the routes of every page module, so a page added later is checked too."""
    unsafe = [
        re.sub(r"\{\w+(:\w+)?\}", "1", backoffice.PREFIX + route.path)
        for module in backoffice.PAGE_MODULES
        for route in module.router.routes
        if isinstance(route, APIRoute) and route.methods - {"GET", "HEAD"}
    ]
    assert len(unsafe) >= 20, unsafe
    for path in unsafe:
        assert admin_client.post(path, data={"name": "x"}).status_code == 403, path
    assert _count(core_db, AuditRecord) == 1  # creating the administrator, nothing since
    assert _count(core_db, WebSession) == 1
