"""The dealers' login: who is let in, sessions, CSRF, throttling (per login and per address, for
the staff's login too), the TOTP second step, the language."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dealerhub.core.accounts.models import LoginAttempt, User, WebSession
from dealerhub.core.audit.models import AuditRecord
from dealerhub.core.partners.models import Partner
from dealerhub.shared import clock
from dealerhub.web.app import create_app
from tests.cabinet.conftest import cabinet_login, cabinet_settings, cabinet_token, log_in_dealer
from tests.web.conftest import PASSWORD, add_user, csrf_from


def _count(db, model, *where) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_a_dealers_user_logs_in_and_sees_the_company(client, core_db, dealer_a):
    answer = cabinet_login(client, "alpha-buyer")
    assert answer.status_code == 303 and answer.headers["location"] == "/cabinet/"
    page = client.get("/cabinet/")
    assert page.status_code == 200
    assert 'id="company-name" title="Alpha Machinery">· Alpha Machinery' in page.text
    assert "Buyer of Alpha Machinery · Buyer" in page.text
    assert _count(core_db, WebSession) == 1


def test_without_a_session_the_cabinet_sends_to_its_own_login(client, dealer_a):
    answer = client.get("/cabinet/profile")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/cabinet/login?next=%2Fcabinet%2Fprofile"


def test_staff_cannot_log_in_to_the_cabinet_nor_use_it_with_a_back_office_session(client, core_db, dealer_a):
    add_user(core_db, "admin")
    answer = cabinet_login(client, "admin")
    assert answer.status_code == 422
    assert "Wrong login or password." in answer.text
    assert _count(core_db, WebSession) == 0
    token = csrf_from(client.get("/backoffice/login").text)
    client.post("/backoffice/login", data={"login": "admin", "password": PASSWORD, "csrf_token": token})
    page = client.get("/cabinet/")
    assert page.status_code == 403
    assert "for dealers&#39; users" in page.text


def test_a_deactivated_dealer_company_cannot_log_in(client, core_db, dealer_a):
    with core_db.transaction() as s:
        s.get(Partner, dealer_a.partner_id).is_active = False
    answer = cabinet_login(client, "alpha-owner")
    assert answer.status_code == 422
    assert _count(core_db, WebSession) == 0


def test_logout_ends_the_session(client, core_db, dealer_a):
    log_in_dealer(client, "alpha-owner")
    token = cabinet_token(client)
    answer = client.post("/cabinet/logout", data={"csrf_token": token})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/cabinet/login?notice=logged_out"
    assert _count(core_db, WebSession) == 0
    assert client.get("/cabinet/").status_code == 303


def test_a_login_post_without_its_csrf_pair_is_refused_and_opens_nothing(client, core_db, dealer_a):
    answer = client.post("/cabinet/login", data={"login": "alpha-owner", "password": PASSWORD})
    assert answer.status_code == 403
    assert _count(core_db, WebSession) == 0


def test_a_post_without_the_session_token_changes_nothing(client, core_db, dealer_a):
    log_in_dealer(client, "alpha-owner")
    audit_before = _count(core_db, AuditRecord)
    answer = client.post("/cabinet/profile", data={"full_name": "Someone Else"})
    assert answer.status_code == 403
    with core_db.session() as s:
        assert s.get(User, dealer_a.users["owner"]).full_name == "Owner of Alpha Machinery"
    assert _count(core_db, AuditRecord) == audit_before
    answer = client.post("/cabinet/language", data={"language": "ru", "csrf_token": "forged"})
    assert answer.status_code == 403
    with core_db.session() as s:
        assert s.get(User, dealer_a.users["owner"]).language == "en"


def test_the_language_switch_keeps_the_users_choice(client, core_db, dealer_a):
    log_in_dealer(client, "alpha-owner")
    token = cabinet_token(client)
    answer = client.post("/cabinet/language", data={"language": "ru", "next": "/cabinet/", "csrf_token": token})
    assert answer.status_code == 303 and answer.headers["location"] == "/cabinet/"
    with core_db.session() as s:
        assert s.get(User, dealer_a.users["owner"]).language == "ru"
    assert "Выйти" in client.get("/cabinet/").text


# Throttling ---------------------------------------------------------------------------------------


def test_five_wrong_passwords_pause_the_login_even_with_the_right_one(client, core_db, dealer_a):
    clock.freeze(clock.now())
    for _ in range(5):
        assert cabinet_login(client, "alpha-buyer", "wrong password").status_code == 422
    assert _count(core_db, LoginAttempt) == 5
    answer = cabinet_login(client, "alpha-buyer", PASSWORD)
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == str(15 * 60)
    assert "Too many failed logins" in answer.text and 'id="retry-after">Try again in 15 min.' in answer.text
    assert _count(core_db, WebSession) == 0
    # Another login from the same address is not paused by this one's failures.
    assert cabinet_login(client, "alpha-owner", PASSWORD).status_code == 303
    # Once the window has moved past the failures, the right password lets in and clears the count.
    clock.freeze(clock.now() + timedelta(minutes=15, seconds=1))
    assert cabinet_login(client, "alpha-buyer", PASSWORD).status_code == 303
    assert _count(core_db, LoginAttempt, LoginAttempt.login == "alpha-buyer") == 0


def test_retry_after_counts_from_the_oldest_failure_that_still_matters(client, core_db, dealer_a):
    start = clock.now()
    for minute in range(5):
        clock.freeze(start + timedelta(minutes=minute))
        cabinet_login(client, "alpha-buyer", "wrong password")
    clock.freeze(start + timedelta(minutes=10))
    answer = cabinet_login(client, "alpha-buyer", PASSWORD)
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == str(5 * 60)  # the first failure leaves the window at 15


def test_one_address_trying_many_logins_is_paused(core_db, mail_server, dealer_a):
    clock.freeze(clock.now())  # Retry-After counts seconds: a slow machine must not move them
    app = create_app(cabinet_settings(core_db, mail_server, login_max_failures_per_ip=3))
    with TestClient(app, follow_redirects=False) as client:
        for login in ("nobody-1", "nobody-2", "alpha-owner"):
            assert cabinet_login(client, login, "wrong password").status_code == 422
        answer = cabinet_login(client, "alpha-buyer", PASSWORD)
        assert answer.status_code == 429
        assert int(answer.headers["retry-after"]) == 15 * 60
    assert _count(core_db, WebSession) == 0


def test_the_staff_login_is_throttled_too(client, core_db):
    add_user(core_db, "admin")
    for _ in range(5):
        client.cookies.delete("dh_session")
        token = csrf_from(client.get("/backoffice/login").text)
        answer = client.post("/backoffice/login", data={"login": "admin", "password": "nope", "csrf_token": token})
        assert answer.status_code == 422
    token = csrf_from(client.get("/backoffice/login").text)
    answer = client.post("/backoffice/login", data={"login": "admin", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 429
    assert int(answer.headers["retry-after"]) > 0
    assert _count(core_db, WebSession) == 0


# The second factor --------------------------------------------------------------------------------


def _enrol(client: TestClient, core_db, user_id: int) -> str:
    """Turn TOTP on through the profile pages; returns the secret."""
    token = cabinet_token(client, "/cabinet/profile")
    assert client.post("/cabinet/profile/totp/start", data={"csrf_token": token}).status_code == 303
    page = client.get("/cabinet/profile/totp")
    assert page.status_code == 200 and "<svg" in page.text and 'id="totp-secret"' in page.text
    with core_db.session() as s:
        secret = s.get(User, user_id).totp_secret
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page.text
    wrong = client.post("/cabinet/profile/totp/confirm", data={"code": "000000", "csrf_token": token})
    assert wrong.status_code == 422
    with core_db.session() as s:
        assert not s.get(User, user_id).totp_enabled
    right = client.post(
        "/cabinet/profile/totp/confirm", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token}
    )
    assert right.status_code == 303
    with core_db.session() as s:
        assert s.get(User, user_id).totp_enabled
    return secret


def _code_page_token(client: TestClient) -> str:
    page = client.get("/cabinet/login/code?next=/cabinet/")
    assert page.status_code == 200, page.text
    return csrf_from(page.text)


def test_with_the_second_factor_on_a_login_needs_the_current_code(client, core_db, dealer_a):
    log_in_dealer(client, "alpha-owner")
    secret = _enrol(client, core_db, dealer_a.users["owner"])
    clock.freeze(clock.now() + timedelta(seconds=60))  # the enrolment's code is spent: a new step

    answer = cabinet_login(client, "alpha-owner")
    assert answer.status_code == 303 and answer.headers["location"] == "/cabinet/login/code?next=/cabinet/"
    assert "dh_session" not in client.cookies
    token = _code_page_token(client)
    wrong = client.post("/cabinet/login/code", data={"code": "123456", "csrf_token": token, "next": "/cabinet/"})
    assert wrong.status_code == 422
    assert "The code is wrong or has expired." in wrong.text
    assert _count(core_db, WebSession) == 1  # only the session that enrolled
    assert _count(core_db, LoginAttempt, LoginAttempt.login == "alpha-owner") == 1

    code = pyotp.TOTP(secret).at(clock.now())
    right = client.post("/cabinet/login/code", data={"code": code, "csrf_token": token, "next": "/cabinet/"})
    assert right.status_code == 303 and right.headers["location"] == "/cabinet/"
    assert client.get("/cabinet/").status_code == 200
    assert _count(core_db, WebSession) == 2
    assert _count(core_db, LoginAttempt, LoginAttempt.login == "alpha-owner") == 0

    # The same code never opens a second session, even within its 30 seconds.
    assert cabinet_login(client, "alpha-owner").status_code == 303
    again = client.post(
        "/cabinet/login/code", data={"code": code, "csrf_token": _code_page_token(client), "next": "/cabinet/"}
    )
    assert again.status_code == 422
    assert _count(core_db, WebSession) == 2


def test_the_second_step_expires(client, core_db, dealer_a):
    log_in_dealer(client, "alpha-owner")
    secret = _enrol(client, core_db, dealer_a.users["owner"])
    clock.freeze(clock.now() + timedelta(seconds=60))
    cabinet_login(client, "alpha-owner")
    token = _code_page_token(client)
    clock.freeze(clock.now() + timedelta(minutes=5, seconds=1))
    code = pyotp.TOTP(secret).at(clock.now())
    answer = client.post("/cabinet/login/code", data={"code": code, "csrf_token": token})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/cabinet/login?notice=login_again"
    assert _count(core_db, WebSession) == 1  # only the enrolling session


def test_wrong_codes_are_throttled_like_wrong_passwords(client, core_db, dealer_a):
    log_in_dealer(client, "alpha-owner")
    secret = _enrol(client, core_db, dealer_a.users["owner"])
    clock.freeze(clock.now() + timedelta(seconds=60))
    cabinet_login(client, "alpha-owner")
    token = _code_page_token(client)
    for _ in range(5):
        assert client.post("/cabinet/login/code", data={"code": "000000", "csrf_token": token}).status_code == 422
    code = pyotp.TOTP(secret).at(clock.now())
    answer = client.post("/cabinet/login/code", data={"code": code, "csrf_token": token})
    assert answer.status_code == 429 and "retry-after" in answer.headers
    assert _count(core_db, WebSession) == 1


def test_turning_the_second_factor_off_needs_the_password(client, core_db, dealer_a):
    log_in_dealer(client, "alpha-owner")
    _enrol(client, core_db, dealer_a.users["owner"])
    token = cabinet_token(client, "/cabinet/profile")
    wrong = client.post("/cabinet/profile/totp/disable", data={"password": "not it", "csrf_token": token})
    assert wrong.status_code == 422 and 'id="error-totp_password"' in wrong.text
    with core_db.session() as s:
        assert s.get(User, dealer_a.users["owner"]).totp_enabled
    right = client.post("/cabinet/profile/totp/disable", data={"password": PASSWORD, "csrf_token": token})
    assert right.status_code == 303
    with core_db.session() as s:
        user = s.get(User, dealer_a.users["owner"])
        assert not user.totp_enabled and user.totp_secret is None
    assert cabinet_login(client, "alpha-owner").headers["location"] == "/cabinet/"
