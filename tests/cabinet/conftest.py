"""The cabinet on the test database: two dealer companies, A and B, each with a user per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from argon2 import profiles
from fastapi.testclient import TestClient

from dealerhub.core import partners
from dealerhub.core.accounts import DEALER_ROLES, create_user, set_hash_parameters
from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database
from dealerhub.web.app import create_app
from tests.mail_server import MailServer, running_mail_server
from tests.web.conftest import PASSWORD, csrf_from


@pytest.fixture(autouse=True)
def _cheap_password_hashes() -> Iterator[None]:
    """Argon2id at its cheapest: the real parameters cost half a second a hash on a test machine."""
    set_hash_parameters(profiles.CHEAPEST)
    yield
    set_hash_parameters(None)


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A real SMTP server on localhost; the app's mails land in mail_server.received."""
    with running_mail_server() as server:
        yield server


def cabinet_settings(db: Database, mail: MailServer, **overrides: object) -> Settings:
    return Settings(
        core_database_url=db.url,
        secret_key="test-secret-key",
        public_url="http://cabinet.example",
        smtp_host=mail.host,
        smtp_port=mail.port,
        smtp_from="dealerhub <noreply@distributor.example>",
        **overrides,
    )


@pytest.fixture
def app(core_db: Database, mail_server: MailServer):
    """The app on the test database, sending its mails to the test's SMTP server."""
    return create_app(cabinet_settings(core_db, mail_server))


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@dataclass(frozen=True)
class Company:
    partner_id: int
    name: str
    users: dict[str, int]  # role -> user id; logins are f"{key}-{role}"
    key: str

    def login(self, role: str) -> str:
        return f"{self.key}-{role}"


def add_company(db: Database, key: str, name: str) -> Company:
    with db.transaction() as s:
        partner = partners.create_partner(s, user_id=None, name=name, is_dealer=True)
        users = {
            role: create_user(
                s,
                user_id=None,
                login=f"{key}-{role}",
                password=PASSWORD,
                full_name=f"{role.title()} of {name}",
                role=role,
                email=f"{role}@{key}.example",
                language="en",
                partner_id=partner.id,
            ).id
            for role in DEALER_ROLES
        }
        return Company(partner.id, name, users, key)


@pytest.fixture
def dealer_a(core_db: Database) -> Company:
    return add_company(core_db, "alpha", "Alpha Machinery")


@pytest.fixture
def dealer_b(core_db: Database) -> Company:
    return add_company(core_db, "beta", "Beta Spare Parts")


def cabinet_login(client: TestClient, login: str, password: str = PASSWORD, **extra: str):
    """POST the cabinet's login form (after fetching it for the CSRF pair); returns the answer."""
    client.cookies.delete("dh_session")
    token = csrf_from(client.get("/cabinet/login?lang=en").text)
    return client.post("/cabinet/login", data={"login": login, "password": password, "csrf_token": token, **extra})


def log_in_dealer(client: TestClient, login: str) -> None:
    answer = cabinet_login(client, login)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/cabinet/"


def cabinet_token(client: TestClient, path: str = "/cabinet/") -> str:
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    return csrf_from(answer.text)
