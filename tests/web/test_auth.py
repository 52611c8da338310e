"""Logging in and out: server-side sessions, their cookie, expiry, and who is let in."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select

from dealerhub.core.accounts import token_hash
from dealerhub.core.accounts.models import User, WebSession
from dealerhub.core.partners.models import Partner
from dealerhub.shared import clock
from tests.web.conftest import PASSWORD, csrf_from, log_in


def _sessions(db) -> list[WebSession]:
    with db.session() as s:
        return list(s.scalars(select(WebSession)))


def _login_post(client, login: str, password: str, next_path: str | None = None):
    client.cookies.delete("dh_session")
    token = csrf_from(client.get("/backoffice/login?lang=en").text)
    data = {"login": login, "password": password, "csrf_token": token}
    if next_path is not None:
        data["next"] = next_path
    return client.post("/backoffice/login", data=data)


def test_login_opens_a_server_side_session_whose_token_is_stored_only_hashed(client, core_db, admin):
    answer = _login_post(client, "admin", PASSWORD)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/backoffice/"
    token = client.cookies.get("dh_session")
    [row] = _sessions(core_db)
    assert row.user_id == admin
    assert row.token_hash == token_hash(token) != token
    assert row.expires_at - row.created_at == timedelta(hours=12)
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("dh_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    page = client.get("/backoffice/")
    assert page.status_code == 200
    assert "Admin Staff" in page.text


def test_wrong_password_fails_and_creates_no_session(client, core_db, admin):
    answer = _login_post(client, "admin", "wrong password")
    assert answer.status_code == 422
    assert 'id="error-__all__">Wrong login or password.' in answer.text
    assert "dh_session" not in client.cookies
    assert _sessions(core_db) == []
    assert client.get("/backoffice/").status_code == 303


def test_unknown_login_and_disabled_user_fail_alike(client, core_db, admin):
    with core_db.transaction() as s:
        s.get(User, admin).is_active = False
    for login in ("nobody", "admin"):
        answer = _login_post(client, login, PASSWORD)
        assert answer.status_code == 422
        assert "Wrong login or password." in answer.text
    assert _sessions(core_db) == []


def test_a_dealers_user_cannot_enter_the_back_office(client, core_db):
    with core_db.transaction() as s:
        partner = Partner(name="Dealer", is_dealer=True)
        s.add(partner)
        s.flush()
        from dealerhub.core.accounts import create_user

        create_user(
            s,
            user_id=None,
            login="dealer",
            password=PASSWORD,
            full_name="Dealer User",
            role="buyer",
            partner_id=partner.id,
        )
    answer = _login_post(client, "dealer", PASSWORD)
    assert answer.status_code == 422
    assert _sessions(core_db) == []


def test_the_password_is_never_echoed_nor_logged(client, core_db, admin, caplog):
    secret = "Sup3r-secret-typo"
    with caplog.at_level(logging.DEBUG):
        answer = _login_post(client, "admin", secret)
    assert answer.status_code == 422
    assert secret not in answer.text
    assert secret not in caplog.text


def test_logout_deletes_the_session(client, core_db, admin):
    log_in(client, "admin")
    token = csrf_from(client.get("/backoffice/").text)
    answer = client.post("/backoffice/logout", data={"csrf_token": token})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/backoffice/login?notice=logged_out"
    assert _sessions(core_db) == []
    assert client.get("/backoffice/").status_code == 303
    assert "You have logged out." in client.get("/backoffice/login?notice=logged_out").text


def test_an_expired_session_leads_back_to_the_login(client, core_db, admin):
    log_in(client, "admin")
    clock.freeze(clock.now() + timedelta(hours=12, seconds=1))
    answer = client.get("/backoffice/catalog")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/backoffice/login?next=%2Fbackoffice%2Fcatalog"


def test_unauthenticated_pages_redirect_to_the_login_and_come_back(client, core_db, admin):
    answer = client.get("/backoffice/stock?warehouse=1")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/backoffice/login?next=%2Fbackoffice%2Fstock%3Fwarehouse%3D1"
    assert _login_post(client, "admin", PASSWORD, "/backoffice/stock?warehouse=1").headers["location"] == (
        "/backoffice/stock?warehouse=1"
    )


def test_login_never_redirects_off_site(client, core_db, admin):
    for target in ("//evil.example/x", "https://evil.example/", "/backoffice//evil.example"):
        answer = _login_post(client, "admin", PASSWORD, target)
        assert answer.headers["location"] == "/backoffice/"


def test_api_paths_answer_json_not_redirects(client, core_db, admin):
    answer = client.get("/api/session")
    assert answer.status_code == 401
    assert answer.json() == {"error": {"code": "NotAuthenticated", "message": "log in first", "details": {}}}
    log_in(client, "admin")
    me = client.get("/api/session").json()
    assert (me["login"], me["role"], me["language"]) == ("admin", "administrator", "en")
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "HTTPError"


def test_root_redirects_to_the_back_office(client):
    answer = client.get("/")
    assert (answer.status_code, answer.headers["location"]) == (303, "/backoffice/")


def test_a_fresh_session_per_login(client, core_db, admin):
    log_in(client, "admin")
    first = client.cookies.get("dh_session")
    client.cookies.clear()
    log_in(client, "admin")
    assert client.cookies.get("dh_session") != first
    with core_db.session() as s:
        assert s.scalar(select(func.count()).select_from(WebSession)) == 2
