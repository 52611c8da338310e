"""The company's users, managed by the owner in the cabinet: invitations by e-mail (a real SMTP
server receives them), roles, blocking; buyers and accountants may not manage users."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dealerhub.core.accounts.models import AccountToken, User, WebSession
from dealerhub.core.audit.models import AuditRecord
from dealerhub.shared import clock
from tests.cabinet.conftest import cabinet_login, cabinet_token, log_in_dealer
from tests.web.conftest import csrf_from
from tests.web.pages import text_of

INVITEE = {"email": "Ivan.Petrov@Alpha.example", "full_name": "Ivan Petrov", "role": "buyer", "language": "ru"}
CHOSEN = "ivans own password"


def _count(db, model, *where) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def _user(db, login: str) -> User | None:
    with db.session() as s:
        return s.scalar(select(User).where(User.login == login))


def _invite(client: TestClient, **data: str):
    token = cabinet_token(client, "/cabinet/users")
    return client.post("/cabinet/users/invite", data={**INVITEE, **data, "csrf_token": token})


def _accept(client: TestClient, path: str, password: str = CHOSEN):
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(
        path, data={"new_password": password, "new_password_repeat": password, "csrf_token": csrf_from(page.text)}
    )


def test_the_owner_invites_a_colleague_who_chooses_a_password_and_logs_in(client, core_db, dealer_a, mail_server):
    log_in_dealer(client, "alpha-owner")
    answer = _invite(client)
    assert answer.status_code == 303
    invitee = _user(core_db, "ivan.petrov@alpha.example")
    assert answer.headers["location"] == f"/cabinet/users/{invitee.id}?notice=invited"
    assert (invitee.partner_id, invitee.role, invitee.status, invitee.is_active) == (
        dealer_a.partner_id, "buyer", "invited", False
    )
    [mail] = mail_server.wait_for(1)
    assert mail.recipients == ["ivan.petrov@alpha.example"]
    # In the invitee's language (ru), not the owner's (en).
    assert mail.message["Subject"] == "Приглашение в кабинет дилера компании Alpha Machinery"
    assert "Owner of Alpha Machinery" in mail.text and "ivan.petrov@alpha.example" in mail.text
    path = mail.link("/cabinet/login/invitation/")

    page = client.get(f"/cabinet/users/{invitee.id}")
    assert 'id="member-status">Invited, not yet accepted' in page.text

    other = TestClient(client.app, follow_redirects=False)
    form = other.get(path)
    assert "Ivan Petrov" in form.text and "Alpha Machinery" in form.text
    assert _accept(other, path).headers["location"] == "/cabinet/login?notice=password_set"
    assert _user(core_db, "ivan.petrov@alpha.example").status == "active"
    assert cabinet_login(other, "ivan.petrov@alpha.example", CHOSEN).status_code == 303
    assert other.get("/cabinet/").status_code == 200
    assert other.get(path).status_code == 410  # the link is used up


def test_an_invitation_expires(client, core_db, dealer_a, mail_server):
    log_in_dealer(client, "alpha-owner")
    _invite(client)
    path = mail_server.wait_for(1)[0].link("/cabinet/login/invitation/")
    clock.freeze(clock.now() + timedelta(hours=72, seconds=1))
    assert client.get(path).status_code == 410
    assert _user(core_db, "ivan.petrov@alpha.example").status == "invited"


def test_sending_again_replaces_the_old_link(client, core_db, dealer_a, mail_server):
    log_in_dealer(client, "alpha-owner")
    _invite(client)
    first = mail_server.wait_for(1)[0].link("/cabinet/login/invitation/")
    invitee = _user(core_db, "ivan.petrov@alpha.example")
    token = cabinet_token(client, f"/cabinet/users/{invitee.id}")
    assert client.post(f"/cabinet/users/{invitee.id}/reinvite", data={"csrf_token": token}).status_code == 303
    second = mail_server.wait_for(2)[1].link("/cabinet/login/invitation/")
    assert first != second
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_an_invitation_to_a_taken_address_changes_nothing_and_sends_nothing(client, core_db, dealer_a, mail_server):
    log_in_dealer(client, "alpha-owner")
    _invite(client)
    users, tokens, audit = _count(core_db, User), _count(core_db, AccountToken), _count(core_db, AuditRecord)
    again = _invite(client, full_name="Someone Else")
    assert again.status_code == 409 and 'id="error-email"' in again.text
    bad = _invite(client, email="not an address")
    assert bad.status_code == 422 and 'id="error-email"' in bad.text
    unknown_role = _invite(client, email="x@alpha.example", role="administrator")
    assert unknown_role.status_code == 422 and 'id="error-role"' in unknown_role.text
    assert (_count(core_db, User), _count(core_db, AccountToken), _count(core_db, AuditRecord)) == (users, tokens, audit)
    assert len(mail_server.wait_for(2, timeout=0.5)) == 1


def test_an_unreachable_mail_server_leaves_no_invited_user(client, core_db, dealer_a):
    log_in_dealer(client, "alpha-owner")
    client.app.state.settings.smtp_port = 1
    answer = _invite(client)
    assert answer.status_code == 503
    assert _user(core_db, "ivan.petrov@alpha.example") is None
    assert _count(core_db, AccountToken) == 0


def test_the_role_refusal_names_the_role_in_the_users_language(client, core_db, dealer_a):
    with core_db.transaction() as s:
        s.get(User, dealer_a.users["accountant"]).language = "ru"
    log_in_dealer(client, dealer_a.login("accountant"))
    page = client.get("/cabinet/users")
    assert page.status_code == 403
    assert text_of(page.text, "error-message") == (
        "ваша роль в компании («Бухгалтер») этого не позволяет; обратитесь к владельцу компании"
    )


@pytest.mark.parametrize("role", ["buyer", "accountant"])
def test_only_the_owner_manages_users(client, core_db, dealer_a, role):
    log_in_dealer(client, dealer_a.login(role))
    page = client.get("/cabinet/users")
    assert page.status_code == 403 and "does not allow this" in page.text
    assert 'href="/cabinet/users"' not in client.get("/cabinet/").text  # no menu entry either
    token = cabinet_token(client)
    users = _count(core_db, User)
    assert client.post("/cabinet/users/invite", data={**INVITEE, "csrf_token": token}).status_code == 403
    owner = dealer_a.users["owner"]
    assert client.post(f"/cabinet/users/{owner}/block", data={"csrf_token": token}).status_code == 404
    assert _count(core_db, User) == users
    assert _user(core_db, "alpha-owner").is_active


def test_the_owner_changes_a_role_but_never_leaves_the_company_without_an_owner(client, core_db, dealer_a):
    log_in_dealer(client, "alpha-owner")
    buyer, owner = dealer_a.users["buyer"], dealer_a.users["owner"]
    token = cabinet_token(client)
    answer = client.post(f"/cabinet/users/{buyer}/role", data={"role": "accountant", "csrf_token": token})
    assert answer.status_code == 303
    assert _user(core_db, "alpha-buyer").role == "accountant"
    alone = client.post(f"/cabinet/users/{owner}/role", data={"role": "buyer", "csrf_token": token})
    assert alone.status_code == 409 and "at least one active owner" in alone.text
    assert _user(core_db, "alpha-owner").role == "owner"
    # With a second owner, the first may step down.
    client.post(f"/cabinet/users/{buyer}/role", data={"role": "owner", "csrf_token": token})
    assert client.post(f"/cabinet/users/{owner}/role", data={"role": "buyer", "csrf_token": token}).status_code == 303
    assert _user(core_db, "alpha-owner").role == "buyer"
    assert client.get("/cabinet/users").status_code == 403  # the change applies at once


def test_a_blocked_user_is_out_at_once_and_can_come_back(client, core_db, dealer_a):
    buyer_client = TestClient(client.app, follow_redirects=False)
    log_in_dealer(buyer_client, "alpha-buyer")
    log_in_dealer(client, "alpha-owner")
    buyer = dealer_a.users["buyer"]
    token = cabinet_token(client)
    assert client.post(f"/cabinet/users/{buyer}/block", data={"csrf_token": token}).status_code == 303
    assert _user(core_db, "alpha-buyer").status == "blocked"
    assert _count(core_db, WebSession, WebSession.user_id == buyer) == 0
    assert buyer_client.get("/cabinet/").status_code == 303
    assert cabinet_login(buyer_client, "alpha-buyer").status_code == 422
    self_block = client.post(f"/cabinet/users/{dealer_a.users['owner']}/block", data={"csrf_token": token})
    assert self_block.status_code == 422 and "cannot block yourself" in self_block.text
    assert client.post(f"/cabinet/users/{buyer}/unblock", data={"csrf_token": token}).status_code == 303
    assert cabinet_login(buyer_client, "alpha-buyer").status_code == 303


def test_the_list_shows_the_companys_users_only(client, core_db, dealer_a, dealer_b):
    log_in_dealer(client, "alpha-owner")
    page = client.get("/cabinet/users")
    assert page.status_code == 200
    for role in ("owner", "buyer", "accountant"):
        assert f"alpha-{role}" in page.text
        assert f"beta-{role}" not in page.text


def test_a_refusal_is_in_the_language_of_the_owner(client, core_db, dealer_a):
    with core_db.transaction() as s:
        s.get(User, dealer_a.users["owner"]).language = "ru"
    log_in_dealer(client, "alpha-owner")
    token = cabinet_token(client)
    self_block = client.post(f"/cabinet/users/{dealer_a.users['owner']}/block", data={"csrf_token": token})
    assert self_block.status_code == 422
    assert text_of(self_block.text, "error-__all__") == "нельзя заблокировать самого себя"
    alone = client.post(f"/cabinet/users/{dealer_a.users['owner']}/role", data={"role": "buyer", "csrf_token": token})
    assert alone.status_code == 409
    assert "у компании должен быть хотя бы один активный владелец" in alone.text
