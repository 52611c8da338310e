"""Storekeepers log in with the WMS's own table; sessions, CSRF and the language switch."""

from __future__ import annotations

import re

from dealerhub.wms.staff.service import set_active
from tests.wms.helpers import warehouse
from tests.wms_web.conftest import Wms


def test_pages_need_a_login(wms: Wms) -> None:
    answer = wms.client.get("/wms/tasks", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/wms/login?next=%2Fwms%2Ftasks"


def test_login_opens_my_tasks_and_logout_ends_it(wms: Wms) -> None:
    wms.login("anna")
    page = wms.client.get("/wms/tasks")
    assert page.status_code == 200
    assert "Anna" in page.text
    assert '<a class="navbar-brand" href="/wms/tasks">WH1</a>' in page.text  # the warehouse worked on
    assert wms.client.get("/wms/supervisor").status_code == 403  # a storekeeper is no supervisor
    answer = wms.post("/wms/logout")
    assert answer.status_code == 303
    assert wms.client.get("/wms/tasks", follow_redirects=False).status_code == 303


def test_wrong_password_and_unknown_login_get_the_same_answer(wms: Wms) -> None:
    for login, password in (("anna", "wrong-password"), ("nobody", "secret-pass")):
        form = wms.client.get("/wms/login")
        answer = wms.client.post("/wms/login", data={"login": login, "password": password,
                                                      "csrf_token": wms.csrf(form.text)}, follow_redirects=False)
        assert answer.status_code == 401
        assert "Неверный логин или пароль." in answer.text  # the default language
    assert wms.client.get("/wms/tasks", follow_redirects=False).status_code == 303


def test_login_without_its_csrf_token_is_refused(wms: Wms) -> None:
    wms.client.get("/wms/login")
    answer = wms.client.post("/wms/login", data={"login": "anna", "password": "secret-pass", "csrf_token": "forged"},
                             follow_redirects=False)
    assert answer.status_code == 403
    assert wms.client.get("/wms/tasks", follow_redirects=False).status_code == 303


def test_a_deactivated_storekeeper_is_out_at_once(wms: Wms) -> None:
    wms.login("anna")
    with wms.db.transaction() as s:
        from sqlalchemy import select

        from dealerhub.wms.staff.models import Storekeeper
        set_active(s, s.scalar(select(Storekeeper.id).where(Storekeeper.login == "anna")), False)
    assert wms.client.get("/wms/tasks", follow_redirects=False).status_code == 303


def test_a_forged_session_cookie_is_no_session(wms: Wms) -> None:
    wms.login("anna")
    jar = wms.client.cookies.jar
    cookie = next(c for c in jar if c.name == "wms_session")
    body, signature = cookie.value.rsplit(".", 1)
    cookie.value = f"{body}.{'0' * len(signature)}"
    assert wms.client.get("/wms/tasks", follow_redirects=False).status_code == 303


def test_next_leads_back_only_inside_the_wms(wms: Wms) -> None:
    form = wms.client.get("/wms/login")
    answer = wms.client.post("/wms/login", data={"login": "anna", "password": "secret-pass", "next": "//evil.example/x",
                                                  "csrf_token": wms.csrf(form.text)}, follow_redirects=False)
    assert answer.headers["location"] == "/wms/"


def test_language_switch(wms: Wms) -> None:
    wms.login("anna")
    assert "Мои задания" in wms.client.get("/wms/tasks").text  # anna's language is ru
    answer = wms.post("/wms/language", {"language": "en", "next": "/wms/tasks"})
    assert answer.status_code == 303
    assert "My tasks" in wms.client.get("/wms/tasks").text
    assert wms.client.post("/wms/language", data={"language": "ru"}, follow_redirects=False).status_code == 403
    assert "My tasks" in wms.client.get("/wms/tasks").text


def _selected_warehouse(page: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)" selected>', page)


def test_the_login_form_offers_the_warehouse_this_device_last_worked_on(wms: Wms) -> None:
    with wms.db.transaction() as s:
        warehouse(s, "WH0", bins=2)  # first in the list
    assert _selected_warehouse(wms.client.get("/wms/login").text) == []  # a new device: nothing chosen for it
    form = wms.client.get("/wms/login")
    refused = wms.client.post("/wms/login", data={"login": "anna", "password": "secret-pass",
                                                   "csrf_token": wms.csrf(form.text)}, follow_redirects=False)
    assert refused.status_code == 422 and "Выберите склад, на котором работаете." in refused.text
    assert wms.client.get("/wms/tasks", follow_redirects=False).status_code == 303

    wms.login("anna", warehouse="WH1")
    wms.post("/wms/logout")
    assert _selected_warehouse(wms.client.get("/wms/login").text) == ["WH1"]
    wms.login("boris", warehouse="WH0")
    assert '<a class="navbar-brand" href="/wms/tasks">WH0</a>' in wms.client.get("/wms/tasks").text
    wms.post("/wms/logout")
    assert _selected_warehouse(wms.client.get("/wms/login").text) == ["WH0"]


def test_login_errors_speak_the_pages_language(wms: Wms) -> None:
    form = wms.client.get("/wms/login", headers={"accept-language": "en"})
    answer = wms.client.post("/wms/login", data={"login": "anna", "password": "wrong", "csrf_token": wms.csrf(form.text)},
                             headers={"accept-language": "en"}, follow_redirects=False)
    assert answer.status_code == 401 and "Wrong login or password." in answer.text
