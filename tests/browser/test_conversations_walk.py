"""Writing to the personal manager in chromium: the dealer sees the manager's card on every page,
writes with a photo attached, the manager finds it in the back office's inbox (the counter in the
navigation), opens the photo, answers with a file; the dealer sees the counter, reads the answer and
the counter goes. Screenshots in test-artifacts/screenshots/talk-*.png."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from dealerhub.core import pricing
from dealerhub.core.accounts import create_user
from dealerhub.core.accounts.staff_profiles import set_staff_profile

pytestmark = pytest.mark.browser

BUYER, MANAGER, PASSWORD = "talk-buyer", "talk-manager", "a talk-long password"


@pytest.fixture(scope="module")
def people(live_server):
    """The seeded dealer's buyer; a sales manager with phone and hours, named by the agreement."""
    data = live_server.data
    with live_server.db.transaction() as s:
        create_user(
            s,
            user_id=None,
            login=BUYER,
            password=PASSWORD,
            full_name="Boris Buyer",
            role="buyer",
            email="buyer@stroytech.example",
            language="en",
            partner_id=data.dealer_id,
        )
        manager = create_user(
            s,
            user_id=None,
            login=MANAGER,
            password=PASSWORD,
            full_name="Maria Manager",
            role="sales_manager",
            email="maria@distributor.example",
            language="en",
        )
        set_staff_profile(
            s,
            manager.id,
            by_user_id=manager.id,
            phone="+7 495 555-01-02",
            email="maria@distributor.example",
            working_hours="Mon-Fri 9-18",
        )
        pricing.update_agreement(s, data.agreement_id, user_id=None, personal_manager_id=manager.id)


def _go(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def _log_in(page, face: str, login: str) -> None:
    page.goto(f"/{face}/login")
    page.fill("#f-login", login)
    page.fill("#f-password", PASSWORD)
    _go(page, "button[type=submit]")


def test_a_dealer_writes_and_the_manager_answers(page, browser, live_server, people, shoot):
    _log_in(page, "cabinet", BUYER)
    page.goto("/cabinet/catalog")  # the card is on every page, not only the start page
    assert "Maria Manager" in page.inner_text("#manager-card")
    assert "+7 495 555-01-02" in page.inner_text("#manager-card")
    _go(page, "#write-to-manager")
    page.fill("#f-subject", "Cracked bucket tooth")
    page.fill("#f-body", "The tooth cracked after a week. Photo attached.")
    page.set_input_files(
        "#f-files", files=[{"name": "tooth.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    _go(page, "#conversation-form button[type=submit]")
    assert "/cabinet/conversations/" in page.url
    conversation_path = page.url.split("?")[0].replace("/cabinet", "/backoffice").split(live_server.url)[-1]
    assert page.inner_text("#thread .file-link").strip() == "tooth.jpg"
    shoot(page, "talk-01-dealer-wrote")

    office = browser.new_context(
        base_url=live_server.url, viewport={"width": 1440, "height": 1000}, locale="en-US"
    )
    try:
        manager = office.new_page()
        manager.set_default_timeout(15_000)
        _log_in(manager, "backoffice", MANAGER)
        assert manager.inner_text("#unread-count") == "1"
        _go(manager, "a.nav-link[href='/backoffice/conversations']")
        row = manager.locator("#inbox tbody tr").first
        assert "Stroytech" in row.inner_text() and "Cracked bucket tooth" in row.inner_text()
        shoot(manager, "talk-02-manager-inbox")
        _go(manager, "#inbox tbody tr a[href^='/backoffice/conversations/']")
        assert manager.url.split("?")[0].endswith(conversation_path)
        assert manager.locator("#unread-count").count() == 0  # read by opening it
        photo_href = manager.get_attribute("#thread .file-link", "href")
        photo = manager.request.get(photo_href)
        assert (photo.status, photo.headers["content-type"]) == (200, "image/jpeg")
        manager.fill("#f-body", "A replacement tooth ships tomorrow; the waybill is attached.")
        manager.set_input_files(
            "#f-files",
            files=[{"name": "waybill.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF"}],
        )
        _go(manager, "#reply-form button[type=submit]")
        assert "A replacement tooth ships tomorrow" in manager.inner_text("#thread")
        shoot(manager, "talk-03-manager-answered")
    finally:
        office.close()

    page.goto("/cabinet/")
    assert page.inner_text("#unread-count") == "1"
    _go(page, "a.nav-link[href='/cabinet/conversations']")
    assert page.inner_text("#conversations tbody tr .unread") == "1"
    _go(page, "#conversations tbody tr a")
    assert "A replacement tooth ships tomorrow" in page.inner_text("#thread")
    assert page.locator("#thread .file-link", has_text="waybill.pdf").count() == 1
    assert page.locator("#unread-count").count() == 0
    shoot(page, "talk-04-dealer-reads-the-answer")
