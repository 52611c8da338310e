"""Writing to the personal manager through both faces: the cabinet's pages and the back office's
inbox, files, unread counters in both navigations, the mails the local SMTP server receives, and
nothing written on a refused form."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select

from dealerhub.core.accounts import create_user
from dealerhub.core.accounts.staff_profiles import set_staff_profile
from dealerhub.core.attachments import store_attachment
from dealerhub.core.conversations import ConversationMessage
from dealerhub.core.db import CoreBase
from dealerhub.shared.config import get_settings
from dealerhub.web.app import create_app
from tests import factories as f
from tests.cabinet.conftest import cabinet_settings, cabinet_token, log_in_dealer
from tests.mail_server import free_port
from tests.web.conftest import PASSWORD, csrf_from
from tests.web.pages import table_rows, text_of

TABLES = (
    "conversations",
    "conversation_messages",
    "conversation_message_attachments",
    "attachments",
    "audit_records",
)


@dataclass(frozen=True)
class Staff:
    manager: int
    photo: int


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def staff(core_db, dealer_a, dealer_b) -> Staff:
    """Anna manages Alpha (photo, phone, hours); Boris manages Beta."""
    with core_db.transaction() as s:
        anna = create_user(
            s,
            user_id=None,
            login="anna",
            password=PASSWORD,
            full_name="Anna Petrova",
            role="sales_manager",
            email="anna@distributor.example",
            language="en",
        )
        boris = create_user(
            s,
            user_id=None,
            login="boris",
            password=PASSWORD,
            full_name="Boris Ivanov",
            role="sales_manager",
            email="boris@distributor.example",
            language="en",
        )
        photo = store_attachment(
            s, filename="anna.jpg", data=jpeg(), partner_id=None, uploaded_by=anna.id, images_only=True
        )
        set_staff_profile(
            s,
            anna.id,
            by_user_id=anna.id,
            phone="+7 495 100-20-30",
            email="anna@distributor.example",
            working_hours="Mon-Fri 9:00-18:00",
            photo_attachment_id=photo.id,
        )
        pt = f.price_type(s)
        for partner_id, manager in ((dealer_a.partner_id, anna.id), (dealer_b.partner_id, boris.id)):
            a = f.agreement(s, _partner(s, partner_id), pt, personal_manager_id=manager)
            a.valid_from = date(2020, 1, 1)
        return Staff(anna.id, photo.id)


def _partner(s, partner_id):
    from dealerhub.core.partners.models import Partner

    return s.get(Partner, partner_id)


@pytest.fixture
def office(app) -> Iterator[TestClient]:
    """A second browser: the back office's staff, on the same app."""
    with TestClient(app, follow_redirects=False) as second:
        yield second


def staff_login(client: TestClient, login: str) -> None:
    client.cookies.delete("dh_session")  # a logged-in browser is sent on from the login form
    token = csrf_from(client.get("/backoffice/login").text)
    answer = client.post(
        "/backoffice/login", data={"login": login, "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 303, answer.text


def counts(db) -> dict[str, int]:
    with db.session() as s:
        return {t: s.scalar(select(func.count()).select_from(CoreBase.metadata.tables[t])) for t in TABLES}


def unread_badge(html: str) -> str | None:
    found = re.search(r'id="unread-count"[^>]*>(\d+)<', html)
    return found.group(1) if found else None


def test_a_dealer_writes_with_files_and_the_manager_answers(
    client, office, core_db, dealer_a, staff, mail_server
):
    log_in_dealer(client, dealer_a.login("buyer"))
    home = client.get("/cabinet/")
    card = text_of(home.text, "manager-card")
    assert "Anna Petrova" in card and "+7 495 100-20-30" in card and "Mon-Fri 9:00-18:00" in card
    assert f'src="/cabinet/manager/photo/{staff.photo}"' in home.text
    photo = client.get(f"/cabinet/manager/photo/{staff.photo}")
    assert (photo.status_code, photo.headers["content-type"]) == (200, "image/jpeg")
    assert client.get(f"/cabinet/manager/photo/{staff.photo + 1}").status_code == 404

    token = cabinet_token(client, "/cabinet/conversations/new")
    sent = client.post(
        "/cabinet/conversations",
        data={"csrf_token": token, "subject": "Leaking pump", "body": "The pump leaks.\nPhotos attached."},
        files=[
            ("files", ("leak.jpg", jpeg(), "image/jpeg")),
            ("files", ("act.pdf", b"%PDF-1.7\n1", "application/pdf")),
        ],
    )
    assert sent.status_code == 303, sent.text
    conversation_id = int(
        re.match(r"/cabinet/conversations/(\d+)\?notice=sent", sent.headers["location"]).group(1)
    )
    [mail] = mail_server.wait_for(1)
    assert mail.recipients == ["anna@distributor.example"]
    assert mail.message["Subject"] == "New message: Leaking pump"
    assert "The pump leaks." in mail.text and "Alpha Machinery" in mail.text
    assert mail.link("/backoffice/conversations/") == f"/backoffice/conversations/{conversation_id}"

    staff_login(office, "anna")
    assert unread_badge(office.get("/backoffice/").text) == "1"
    inbox = office.get("/backoffice/conversations")
    assert [row[:2] + row[4:] for row in table_rows(inbox.text, "inbox")] == [
        ["Alpha Machinery", "Leaking pump", "1", "1"]
    ]
    page = office.get(f"/backoffice/conversations/{conversation_id}")
    assert page.status_code == 200 and unread_badge(page.text) is None  # read by opening it
    assert "The pump leaks." in text_of(page.text, "thread")
    files = re.findall(rf'href="/backoffice/conversations/{conversation_id}/files/(\d+)"', page.text)
    assert len(files) == 2
    pdf = office.get(f"/backoffice/conversations/{conversation_id}/files/{files[1]}")
    assert (pdf.status_code, pdf.content) == (200, b"%PDF-1.7\n1")

    answer = office.post(
        f"/backoffice/conversations/{conversation_id}/messages",
        data={"csrf_token": csrf_from(page.text), "body": "A new seal is on its way."},
        files=[("files", ("waybill.txt", "накладная 123".encode(), "text/plain"))],
    )
    assert answer.status_code == 303, answer.text
    mails = mail_server.wait_for(2)
    assert len(mails) == 2 and mails[1].recipients == ["buyer@alpha.example"]  # the participant only
    assert mails[1].link("/cabinet/conversations/") == f"/cabinet/conversations/{conversation_id}"

    assert unread_badge(client.get("/cabinet/catalog").text) == "1"
    thread = client.get(f"/cabinet/conversations/{conversation_id}")
    assert unread_badge(thread.text) is None
    assert "A new seal is on its way." in text_of(thread.text, "thread")
    (waybill,) = re.findall(
        rf'href="(/cabinet/conversations/{conversation_id}/files/\d+)" class="file-link">waybill.txt',
        thread.text,
    )
    assert client.get(waybill).content == "накладная 123".encode()
    assert unread_badge(client.get("/cabinet/").text) is None
    log_in_dealer(client, dealer_a.login("owner"))  # the owner has not read the answer yet
    assert unread_badge(client.get("/cabinet/").text) == "1"


def test_another_manager_and_other_roles_do_not_see_the_conversation(
    client, office, core_db, dealer_a, staff, mail_server
):
    log_in_dealer(client, dealer_a.login("accountant"))  # every role of the company may write
    token = cabinet_token(client, "/cabinet/conversations/new")
    sent = client.post(
        "/cabinet/conversations", data={"csrf_token": token, "subject": "Invoice", "body": "Copy?"}
    )
    assert sent.status_code == 303
    conversation_id = sent.headers["location"].split("/")[3].split("?")[0]
    staff_login(office, "boris")
    assert office.get(f"/backoffice/conversations/{conversation_id}").status_code == 404
    assert table_rows(office.get("/backoffice/conversations").text, "inbox") == [["None yet."]]
    with core_db.transaction() as s:
        create_user(s, user_id=None, login="root", password=PASSWORD, full_name="Root", role="administrator")
        create_user(s, user_id=None, login="petr", password=PASSWORD, full_name="Petr", role="purchaser")
    staff_login(office, "root")
    assert office.get(f"/backoffice/conversations/{conversation_id}").status_code == 200
    staff_login(office, "petr")
    assert office.get("/backoffice/conversations").status_code == 403


@pytest.mark.parametrize(
    ("data", "files", "field"),
    [
        ({"subject": "S", "body": "  "}, [], "body"),
        ({"subject": "", "body": "text"}, [], "subject"),
        (
            {"subject": "S", "body": "text"},
            [("files", ("tool.exe", b"MZ\x90\x00", "application/octet-stream"))],
            "files",
        ),
        ({"subject": "S", "body": "text"}, [("files", ("big.txt", b"x" * 101, "text/plain"))], "files"),
        ({"subject": "S", "body": "text", "order_id": "beta-order"}, [], "order_id"),
    ],
)
def test_a_refused_message_writes_and_mails_nothing(
    client, core_db, dealer_a, dealer_b, staff, mail_server, monkeypatch, data, files, field
):
    from tests.cabinet.matrix_objects import make_order

    if data.get("order_id") == "beta-order":
        data = {**data, "order_id": str(make_order(core_db, dealer_b, {}).id)}
    monkeypatch.setenv("DEALERHUB_ATTACHMENT_MAX_BYTES", "100")
    get_settings.cache_clear()
    try:
        log_in_dealer(client, dealer_a.login("owner"))
        token = cabinet_token(client, "/cabinet/conversations/new")
        before = counts(core_db)
        answer = client.post(
            "/cabinet/conversations", data={"csrf_token": token, **data}, files=files or None
        )
    finally:
        monkeypatch.delenv("DEALERHUB_ATTACHMENT_MAX_BYTES")
        get_settings.cache_clear()
    assert answer.status_code == 422, answer.text
    assert f'id="error-{field}"' in answer.text
    assert counts(core_db) == before
    assert mail_server.received == []


def test_a_refused_reply_keeps_the_thread_as_it_was(client, core_db, dealer_a, staff, mail_server):
    log_in_dealer(client, dealer_a.login("buyer"))
    token = cabinet_token(client, "/cabinet/conversations/new")
    location = client.post(
        "/cabinet/conversations", data={"csrf_token": token, "subject": "S", "body": "first"}
    ).headers["location"]
    path = location.split("?")[0]
    before = counts(core_db)
    refused = client.post(
        f"{path}/messages",
        data={"csrf_token": token, "body": "with a bad file"},
        files=[
            ("files", ("ok.txt", b"fine", "text/plain")),
            ("files", ("x.pdf", b"not a pdf", "application/pdf")),
        ],
    )
    assert refused.status_code == 422 and 'id="error-files"' in refused.text
    assert "first" in text_of(refused.text, "thread")
    assert counts(core_db) == before
    assert len(mail_server.wait_for(1)) == 1  # only the first message's


def test_a_mail_failure_loses_no_message(core_db, dealer_a, staff, mail_server, caplog):
    settings = cabinet_settings(core_db, mail_server)
    broken = create_app(settings.model_copy(update={"smtp_port": free_port()}))  # nobody listens there
    with TestClient(broken, follow_redirects=False) as client, caplog.at_level(logging.WARNING):
        log_in_dealer(client, dealer_a.login("buyer"))
        token = cabinet_token(client, "/cabinet/conversations/new")
        sent = client.post(
            "/cabinet/conversations", data={"csrf_token": token, "subject": "S", "body": "kept"}
        )
    assert sent.status_code == 303
    with core_db.session() as s:
        assert s.scalars(select(ConversationMessage.body)).all() == ["kept"]
    assert any("the message itself is kept" in r.getMessage() for r in caplog.records)


def test_writing_about_an_order_from_its_page(client, core_db, dealer_a, dealer_b, staff, mail_server):
    from tests.cabinet.matrix_objects import make_order

    ours, theirs = make_order(core_db, dealer_a, {}), make_order(core_db, dealer_b, {})
    log_in_dealer(client, dealer_a.login("buyer"))
    assert (
        f'href="/cabinet/conversations/new?order_id={ours.id}"'
        in client.get(f"/cabinet/orders/{ours.id}").text
    )
    form = client.get(f"/cabinet/conversations/new?order_id={ours.id}")
    assert f'value="Order {ours.probe}"' in form.text
    assert re.search(rf'<option value="{ours.id}" selected>', form.text)
    assert client.get(f"/cabinet/conversations/new?order_id={theirs.id}").status_code == 404
    sent = client.post(
        "/cabinet/conversations",
        data={
            "csrf_token": csrf_from(form.text),
            "subject": f"Order {ours.probe}",
            "body": "Split it?",
            "order_id": str(ours.id),
        },
    )
    page = client.get(sent.headers["location"])
    assert text_of(page.text, "conversation-order") == ours.probe


def test_staff_profiles_are_edited_by_their_owner_and_the_administrator(
    office, client, core_db, dealer_a, staff, mail_server
):
    with core_db.transaction() as s:
        create_user(s, user_id=None, login="root", password=PASSWORD, full_name="Root", role="administrator")
    staff_login(office, "boris")
    assert office.get(f"/backoffice/staff/{staff.manager}/profile").status_code == 403
    staff_login(office, "root")
    page = office.get(f"/backoffice/staff/{staff.manager}/profile")
    saved = office.post(
        f"/backoffice/staff/{staff.manager}/profile",
        data={
            "csrf_token": csrf_from(page.text),
            "phone": "+7 495 000-00-01",
            "email": "anna.p@distributor.example",
            "working_hours": "Mon-Thu 8:00-17:00",
        },
        files=[("photo", ("new.png", _png(), "image/png"))],
    )
    assert saved.status_code == 303, saved.text
    refused = office.post(
        f"/backoffice/staff/{staff.manager}/profile",
        data={
            "csrf_token": csrf_from(page.text),
            "phone": "",
            "email": "not-an-address",
            "working_hours": "",
        },
    )
    assert refused.status_code == 422 and 'id="error-email"' in refused.text
    log_in_dealer(client, dealer_a.login("buyer"))
    card = client.get("/cabinet/")
    assert "Mon-Thu 8:00-17:00" in text_of(card.text, "manager-card")
    assert "anna.p@distributor.example" in text_of(card.text, "manager-card")
    assert f"/cabinet/manager/photo/{staff.photo}" not in card.text  # the new photo has a new address
    new_photo = re.search(r"/cabinet/manager/photo/(\d+)", card.text).group(1)
    assert client.get(f"/cabinet/manager/photo/{new_photo}").headers["content-type"] == "image/png"
    assert client.get(f"/cabinet/manager/photo/{staff.photo}").status_code == 404


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (9, 9, 9)).save(out, "PNG")
    return out.getvalue()


def test_without_a_manager_the_card_says_so_and_the_administrators_get_the_mail(
    client, core_db, dealer_b, staff, mail_server
):
    from sqlalchemy import update

    from dealerhub.core.accounts.models import User

    with core_db.transaction() as s:
        create_user(
            s,
            user_id=None,
            login="root",
            password=PASSWORD,
            full_name="Root",
            role="administrator",
            email="root@distributor.example",
        )
        s.execute(update(User).where(User.login == "boris").values(is_active=False))  # Beta's manager left
    log_in_dealer(client, dealer_b.login("owner"))
    home = client.get("/cabinet/")
    assert 'id="manager-none"' in home.text and "Boris" not in text_of(home.text, "manager-card")
    sent = client.post(
        "/cabinet/conversations",
        data={"csrf_token": csrf_from(home.text), "subject": "Anyone?", "body": "Hello"},
    )
    assert sent.status_code == 303
    [mail] = mail_server.wait_for(1)
    assert mail.recipients == ["root@distributor.example"]


def test_refused_forms_of_the_back_office_write_nothing(
    client, office, core_db, dealer_a, staff, mail_server
):
    log_in_dealer(client, dealer_a.login("buyer"))
    token = cabinet_token(client, "/cabinet/conversations/new")
    path = (
        client.post("/cabinet/conversations", data={"csrf_token": token, "subject": "S", "body": "B"})
        .headers["location"]
        .split("?")[0]
    )
    conversation_id = path.rsplit("/", 1)[1]
    staff_login(office, "anna")
    page = office.get(f"/backoffice/conversations/{conversation_id}")
    before = counts(core_db)
    empty = office.post(
        f"/backoffice/conversations/{conversation_id}/messages",
        data={"csrf_token": csrf_from(page.text), "body": " "},
    )
    assert empty.status_code == 422 and 'id="error-body"' in empty.text
    profile = office.get(f"/backoffice/staff/{staff.manager}/profile")
    not_a_photo = office.post(
        f"/backoffice/staff/{staff.manager}/profile",
        data={"csrf_token": csrf_from(profile.text), "phone": "1", "email": "", "working_hours": "any"},
        files=[("photo", ("me.pdf", b"%PDF-1.4\n", "application/pdf"))],
    )
    assert not_a_photo.status_code == 422 and 'id="error-photo"' in not_a_photo.text
    assert counts(core_db) == before
    log_in_dealer(client, dealer_a.login("buyer"))
    assert "Mon-Fri 9:00-18:00" in text_of(
        client.get("/cabinet/").text, "manager-card"
    )  # the profile unchanged
    assert len(mail_server.wait_for(1)) == 1


def test_an_accountant_writes_but_names_no_order(client, core_db, dealer_a, staff, mail_server):
    from tests.cabinet.matrix_objects import make_order

    order = make_order(core_db, dealer_a, {})
    log_in_dealer(client, dealer_a.login("accountant"))
    form = client.get("/cabinet/conversations/new")
    assert 'name="order_id"' not in form.text
    assert client.get(f"/cabinet/conversations/new?order_id={order.id}").status_code == 404
    before = counts(core_db)
    refused = client.post(
        "/cabinet/conversations",
        data={"csrf_token": csrf_from(form.text), "subject": "S", "body": "B", "order_id": str(order.id)},
    )
    assert refused.status_code == 422 and 'id="error-order_id"' in refused.text
    assert counts(core_db) == before


def test_a_refusal_is_in_the_language_of_the_dealers_user(client, core_db, dealer_a, staff, mail_server):
    from dealerhub.core.accounts.models import User

    with core_db.transaction() as s:
        s.get(User, dealer_a.users["owner"]).language = "ru"
    log_in_dealer(client, dealer_a.login("owner"))
    token = cabinet_token(client, "/cabinet/conversations/new")
    before = counts(core_db)
    answer = client.post(
        "/cabinet/conversations",
        data={"csrf_token": token, "subject": "Тема", "body": "текст"},
        files=[("files", ("tool.exe", b"MZ\x90\x00", "application/octet-stream"))],
    )
    assert answer.status_code == 422
    assert text_of(answer.text, "error-files") == (
        "tool.exe: файлы этого типа не принимаются (принимаются фотографии, PDF, XLSX, DOCX, TXT)"
    )
    answer = client.post(
        "/cabinet/conversations",
        data={"csrf_token": token, "subject": "Тема", "body": "текст"},
        files=[("files", ("счёт.pdf", b"not a pdf", "application/pdf"))],
    )
    assert answer.status_code == 422
    assert text_of(answer.text, "error-files") == "счёт.pdf: это не файл PDF"
    assert counts(core_db) == before
