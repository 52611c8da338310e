"""Dealer users in the back office: the staff see every dealer's users; administrators and sales
managers invite, change roles, block; other staff only look."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dealerhub.core.accounts.models import User, WebSession
from tests.cabinet.conftest import cabinet_login, log_in_dealer
from tests.web.conftest import add_user, log_in, page_token


def _user(db, login: str) -> User | None:
    with db.session() as s:
        return s.scalar(select(User).where(User.login == login))


def test_staff_see_every_dealers_users_and_filter_them(client, core_db, dealer_a, dealer_b):
    add_user(core_db, "purchaser", "purchaser")
    log_in(client, "purchaser")
    page = client.get("/backoffice/dealer-users")
    assert page.status_code == 200
    for login in ("alpha-owner", "alpha-buyer", "beta-accountant"):
        assert login in page.text
    assert 'href="/backoffice/dealer-users"' in client.get("/backoffice/").text  # the menu entry
    only_beta = client.get(f"/backoffice/dealer-users?dealer={dealer_b.partner_id}")
    assert "beta-owner" in only_beta.text and "alpha-owner" not in only_beta.text
    found = client.get("/backoffice/dealer-users?q=ACCOUNTANT%20of%20alpha")
    assert "alpha-accountant" in found.text and "alpha-buyer" not in found.text
    assert 'id="invite"' not in page.text  # a purchaser may not manage them
    token = page_token(client, "/backoffice/dealer-users")
    answer = client.post(f"/backoffice/dealer-users/{dealer_a.users['buyer']}/block", data={"csrf_token": token})
    assert answer.status_code == 403
    assert _user(core_db, "alpha-buyer").is_active


def test_a_sales_manager_invites_for_a_dealer_and_blocks(client, core_db, dealer_a, dealer_b, mail_server):
    add_user(core_db, "manager", "sales_manager")
    log_in(client, "manager")
    token = page_token(client, "/backoffice/dealer-users")
    answer = client.post(
        "/backoffice/dealer-users/invite",
        data={"partner_id": str(dealer_b.partner_id), "email": "chief@beta.example", "full_name": "Beta Chief",
              "role": "owner", "language": "en", "csrf_token": token},
    )
    assert answer.status_code == 303
    invited = _user(core_db, "chief@beta.example")
    assert (invited.partner_id, invited.role, invited.status) == (dealer_b.partner_id, "owner", "invited")
    [mail] = mail_server.wait_for(1)
    assert mail.message["Subject"] == "Invitation to the dealer cabinet of Beta Spare Parts"
    assert "Manager Staff invites you" in mail.text

    dealer = TestClient(client.app, follow_redirects=False)
    log_in_dealer(dealer, "alpha-buyer")
    buyer = dealer_a.users["buyer"]
    assert client.post(f"/backoffice/dealer-users/{buyer}/block", data={"csrf_token": token}).status_code == 303
    assert _user(core_db, "alpha-buyer").status == "blocked"
    with core_db.session() as s:
        assert s.scalar(select(func.count()).select_from(WebSession).where(WebSession.user_id == buyer)) == 0
    assert dealer.get("/cabinet/").status_code == 303
    assert cabinet_login(dealer, "alpha-buyer").status_code == 422
    page = client.get(f"/backoffice/dealer-users/{buyer}")
    assert 'id="member-status">Blocked' in page.text


def test_the_back_office_keeps_the_last_owner_rule_and_knows_no_staff_here(client, core_db, dealer_a):
    admin = add_user(core_db, "admin")
    log_in(client, "admin")
    token = page_token(client, "/backoffice/dealer-users")
    owner = dealer_a.users["owner"]
    answer = client.post(f"/backoffice/dealer-users/{owner}/role", data={"role": "buyer", "csrf_token": token})
    assert answer.status_code == 409
    assert _user(core_db, "alpha-owner").role == "owner"
    assert client.get(f"/backoffice/dealer-users/{admin}").status_code == 404
    missing = client.post(
        "/backoffice/dealer-users/invite",
        data={"partner_id": "", "email": "x@y.example", "full_name": "X", "role": "buyer", "csrf_token": token},
    )
    assert missing.status_code == 422 and 'id="error-partner_id"' in missing.text
    assert _user(core_db, "x@y.example") is None
