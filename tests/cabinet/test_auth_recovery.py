"""A forgotten password, by e-mail through a real SMTP server: the link works once, expires,
tells no one which accounts exist, and a new password ends every session."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from dealerhub.core.accounts.models import AccountToken, User, WebSession
from dealerhub.shared import clock
from dealerhub.shared.passwords import verify_password
from tests.cabinet.conftest import cabinet_login, log_in_dealer
from tests.web.conftest import PASSWORD, csrf_from
from tests.web.pages import text_of

NEW = "a brand new password"


def _ask_reset(client, key: str):
    client.cookies.set("dh_lang", "en")
    token = csrf_from(client.get("/cabinet/login/forgot").text)
    return client.post("/cabinet/login/forgot", data={"login": key, "csrf_token": token})


def _set(client, path: str, password: str = NEW, repeat: str | None = None):
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(
        path,
        data={
            "new_password": password,
            "new_password_repeat": password if repeat is None else repeat,
            "csrf_token": csrf_from(page.text),
        },
    )


def _password_hash(db, user_id: int) -> str:
    with db.session() as s:
        return s.get(User, user_id).password_hash


def test_a_reset_link_is_mailed_and_sets_a_new_password_once(client, core_db, dealer_a, mail_server):
    log_in_dealer(client, "alpha-buyer")  # a session that the reset must end
    client.cookies.delete("dh_session")
    answer = _ask_reset(client, "buyer@alpha.example")
    assert answer.status_code == 200 and 'id="reset-sent"' in answer.text
    [mail] = mail_server.wait_for(1)
    assert mail.recipients == ["buyer@alpha.example"]
    assert mail.message["From"] == "dealerhub <noreply@distributor.example>"
    assert mail.message["Subject"] == "Resetting your dealerhub password"
    assert "Hello, Buyer of Alpha Machinery!" in mail.text and "alpha-buyer" in mail.text
    path = mail.link("/cabinet/login/reset/")
    assert f"http://cabinet.example{path}" in mail.text  # the configured address, not the Host header

    assert _set(client, path).headers["location"] == "/cabinet/login?notice=password_set"
    assert verify_password(_password_hash(core_db, dealer_a.users["buyer"]), NEW)
    with core_db.session() as s:
        assert s.scalar(select(func.count()).select_from(WebSession)) == 0
    assert cabinet_login(client, "alpha-buyer", PASSWORD).status_code == 422
    assert cabinet_login(client, "alpha-buyer", NEW).status_code == 303

    used = client.get(path)
    assert used.status_code == 410 and "The link is no longer valid" in used.text
    before = _password_hash(core_db, dealer_a.users["buyer"])
    token = csrf_from(client.get("/cabinet/login/forgot").text)
    again = client.post(
        path, data={"new_password": "yet another one", "new_password_repeat": "yet another one", "csrf_token": token}
    )
    assert again.status_code == 410
    assert _password_hash(core_db, dealer_a.users["buyer"]) == before


def test_an_expired_link_changes_nothing(client, core_db, dealer_a, mail_server):
    _ask_reset(client, "alpha-owner")
    path = mail_server.wait_for(1)[0].link("/cabinet/login/reset/")
    page = client.get(path)
    clock.freeze(clock.now() + timedelta(minutes=60, seconds=1))
    before = _password_hash(core_db, dealer_a.users["owner"])
    answer = client.post(path, data={"new_password": NEW, "new_password_repeat": NEW, "csrf_token": csrf_from(page.text)})
    assert answer.status_code == 410
    assert _password_hash(core_db, dealer_a.users["owner"]) == before
    assert client.get(path).status_code == 410


def test_unknown_logins_get_the_same_answer_and_no_mail(client, core_db, dealer_a, mail_server):
    known = _ask_reset(client, "alpha-owner")
    unknown = _ask_reset(client, "nobody@nowhere.example")
    assert known.status_code == unknown.status_code == 200
    assert 'id="reset-sent"' in unknown.text
    assert len(mail_server.wait_for(2, timeout=1.0)) == 1
    with core_db.session() as s:
        assert s.scalar(select(func.count()).select_from(AccountToken)) == 1


def test_staff_cannot_reset_through_the_cabinet(client, core_db, mail_server):
    from tests.web.conftest import add_user

    add_user(core_db, "admin")
    with core_db.transaction() as s:
        s.scalar(select(User).where(User.login == "admin")).email = "admin@distributor.example"
    assert _ask_reset(client, "admin@distributor.example").status_code == 200
    assert mail_server.wait_for(1, timeout=0.5) == []


def test_repeated_requests_do_not_flood_the_mailbox(client, dealer_a, mail_server):
    for _ in range(3):
        assert _ask_reset(client, "alpha-owner").status_code == 200
    assert len(mail_server.wait_for(2, timeout=1.0)) == 1
    clock.freeze(clock.now() + timedelta(minutes=2, seconds=1))
    _ask_reset(client, "alpha-owner")
    assert len(mail_server.wait_for(2)) == 2


def test_a_bad_new_password_keeps_the_link_and_the_old_password(client, core_db, dealer_a, mail_server):
    _ask_reset(client, "alpha-owner")
    path = mail_server.wait_for(1)[0].link("/cabinet/login/reset/")
    before = _password_hash(core_db, dealer_a.users["owner"])
    differ = _set(client, path, NEW, "something else")
    assert differ.status_code == 422 and 'id="error-new_password_repeat">The passwords differ.' in differ.text
    short = _set(client, path, "short")
    assert short.status_code == 422 and "at least 8 characters" in short.text
    assert _password_hash(core_db, dealer_a.users["owner"]) == before
    assert _set(client, path).status_code == 303  # the link still works


def test_an_unreachable_mail_server_refuses_clearly_and_keeps_nothing(client, core_db, dealer_a, mail_server):
    client.app.state.settings.smtp_port = 1  # nothing listens there
    answer = _ask_reset(client, "alpha-owner")
    assert answer.status_code == 503
    assert "could not be sent" in answer.text
    with core_db.session() as s:
        assert s.scalar(select(func.count()).select_from(AccountToken)) == 0


def test_a_bad_new_password_is_refused_in_the_language_of_the_page(client, core_db, dealer_a, mail_server):
    _ask_reset(client, "alpha-owner")
    path = mail_server.wait_for(1)[0].link("/cabinet/login/reset/")
    client.cookies.set("dh_lang", "ru")
    short = _set(client, path, "short")
    assert short.status_code == 422
    assert text_of(short.text, "error-new_password") == "пароль должен содержать не менее 8 символов"
