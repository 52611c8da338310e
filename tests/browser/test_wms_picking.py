"""A storekeeper picks an order on a phone (chromium, 360x740): the order arrives as an ORDERS message
through the real exchange, the storekeeper logs in, types barcodes + Enter into the scan field (as a
handheld's scanner does), packs the order and despatches it; the DESPATCH message lands in the
exchange. On the same phone: machines received by scanning each serial number (an ASN through the
exchange), an order packed in two packages that leave in two parts (two DESPATCH messages, the
second final), and a supervisor who starts a count, gives its task to a storekeeper and closes the
round. Screenshots: test-artifacts/screenshots/wms-*.png."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from dealerhub import migrations
from dealerhub.exchange import models as exchange_models
from dealerhub.exchange.contracts import AsnLine, AsnV1, OrderLine, OrdersV1, build_message
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database
from dealerhub.wms.catalog.service import upsert_item
from dealerhub.wms.exchange_link.runner import run_once
from dealerhub.wms.staff.service import create_storekeeper
from tests.browser.conftest import CHROMIUM_ARGS, SCREENSHOTS, _free_port, _missing_browser, _skip_or_fail
from tests.wms.helpers import goods, stock_in, warehouse

PHONE = {"width": 360, "height": 740}


@dataclass(frozen=True)
class Landscape:
    url: str
    wms: Database
    store: ExchangeStore
    settings: Settings


@pytest.fixture(scope="module")
def wms_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Landscape]:
    """The web app (the WMS mounted at /wms) on a migrated WMS database and exchange database (SQLite),
    a warehouse with stock of two items and a storekeeper."""
    reason = _missing_browser()
    if reason:
        _skip_or_fail(reason)
    import uvicorn

    from dealerhub.web.app import create_app

    root = tmp_path_factory.mktemp("wms-browser")
    wms_url, exchange_url = f"sqlite:///{root}/wms.sqlite3", f"sqlite:///{root}/exchange.sqlite3"
    migrations.upgrade("wms", wms_url)
    migrations.upgrade("exchange", exchange_url)
    wms, exchange = Database(wms_url), Database(exchange_url)
    with wms.transaction() as s:
        wh = warehouse(s, "WH1", bins=20)
        upsert_item(s, goods("A1", "4600000000011"))
        upsert_item(s, goods("B2", "4600000000028"))
        upsert_item(s, goods("EXC", "4600000000035", serial=True))
        stock_in(s, wh, "PCK-01-01-1", "A1", "5")
        stock_in(s, wh, "STO-01-01-2", "B2", "4")
        create_storekeeper(s, login="anna", name="Anna Petrova", password="a long storekeeper password",
                           language="en")
        create_storekeeper(s, login="oleg", name="Oleg Ivanov", password="a long storekeeper password",
                           language="en")
        create_storekeeper(s, login="sveta", name="Sveta Orlova", password="a long storekeeper password",
                           language="en", role="supervisor")
    settings = Settings(core_database_url=f"sqlite:///{root}/core.sqlite3", wms_database_url=wms_url,
                        exchange_database_url=exchange_url, secret_key="wms-browser-secret")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn-wms", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 20 seconds")
        time.sleep(0.05)
    try:
        yield Landscape(f"http://127.0.0.1:{port}", wms, ExchangeStore(exchange), settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        wms.dispose()
        exchange.dispose()


@pytest.fixture(scope="module")
def phone_browser() -> Iterator[object]:
    reason = _missing_browser()
    if reason:
        _skip_or_fail(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _shoot(tab, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"wms-{name}.png"
    tab.screenshot(path=str(target), full_page=True)
    return target


def _exchange_messages(store: ExchangeStore, type_: str) -> list[dict]:
    t = exchange_models.messages
    with store.db.session() as s:
        return [dict(r._mapping) for r in s.execute(select(t).where(t.c.type == type_).order_by(t.c.id))]


def _scan(tab, code: str) -> None:
    """What a handheld's scanner does: type into the focused field, then Enter."""
    from playwright.sync_api import expect

    expect(tab.locator("#scan")).to_be_focused()  # waits out the page's load: focus comes with it
    tab.keyboard.type(code)
    tab.keyboard.press("Enter")


def test_a_storekeeper_picks_packs_and_despatches_an_order_on_a_phone(wms_server: Landscape, phone_browser) -> None:
    from playwright.sync_api import expect

    land = wms_server
    land.store.publish(build_message(
        OrdersV1(order_number="PT-77", customer_order_number="CO-77", counterparty_code="D-1", action="create",
                 lines=[OrderLine(line_no=1, item_code="A1", quantity="2.000"),
                        OrderLine(line_no=2, item_code="B2", quantity="1.000")]),
        sender="core", receiver="wms", warehouse_code="WH1", document_type="picking_task", document_number="PT-77",
        document_seq=1))
    assert run_once(land.wms, land.store, land.settings).taken == 1  # the WMS takes ORDERS: pick tasks made

    context = phone_browser.new_context(base_url=land.url, viewport=PHONE, locale="en-US", is_mobile=True,
                                        has_touch=True, device_scale_factor=2)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        tab.goto("/wms/")
        expect(tab.locator("h1")).to_have_text("Storekeeper login")
        tab.fill("#login", "anna")
        tab.fill("#password", "a long storekeeper password")
        _shoot(tab, "01-login")
        tab.click("button[type=submit]")
        expect(tab.locator("#task-list a")).to_have_count(2)  # one pick task per zone: picking, storage
        _shoot(tab, "02-my-tasks")
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        tab.locator("#task-list a").first.click()
        expect(tab.locator("#step-bin")).to_have_text("PCK-01-01-1")
        expect(tab.locator("#prompt")).to_have_text("Scan the bin")
        _shoot(tab, "03-task-scan-bin")
        _scan(tab, "STO-01-01-2")  # the wrong bin: a red message, nothing changes
        expect(tab.locator("#scan-error")).to_have_text("wrong bin STO-01-01-2: go to bin PCK-01-01-1")
        expect(tab.locator("#prompt")).to_have_text("Scan the bin")
        _shoot(tab, "04-wrong-bin")
        _scan(tab, "PCK-01-01-1")
        expect(tab.locator("#prompt")).to_have_text("Scan the item")
        _scan(tab, "4600000000011")
        expect(tab.locator("#prompt")).to_have_text("Enter the quantity")
        expect(tab.locator("#scan")).to_have_value("2")
        _shoot(tab, "05-quantity")
        tab.keyboard.type("2")  # the prefilled quantity is selected: typing replaces it
        tab.keyboard.press("Enter")
        expect(tab.locator("#task-list a")).to_have_count(1)  # back on my tasks: the first task is done
        assert tab.url.endswith("/wms/tasks?notice=task_done")

        tab.locator("#task-list a").first.click()
        expect(tab.locator("#step-bin")).to_have_text("STO-01-01-2")
        _scan(tab, "STO-01-01-2")
        _scan_when(tab, "Scan the item", "4600000000028")  # one unit: no quantity asked
        expect(tab.get_by_text("Order PT-77")).to_be_visible()
        _shoot(tab, "06-all-picked")

        tab.get_by_text("Order PT-77").click()
        expect(tab.locator("#order-status")).to_have_text("picked")
        tab.fill("#weight_kg", "3,2")
        tab.fill("#length_mm", "400")
        _shoot(tab, "07-packing")
        tab.click("#pack-form button[type=submit]")
        tab.click("#despatch")
        expect(tab.locator("#shipped")).to_be_visible()
        expect(tab.locator("#order-status")).to_have_text("shipped")
        _shoot(tab, "08-despatched")
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()

    run_once(land.wms, land.store, land.settings)  # the WMS's relay: DESPATCH into the exchange
    (despatch,) = _exchange_messages(land.store, "DESPATCH")
    assert (despatch["sender"], despatch["receiver"], despatch["document_number"]) == ("wms", "core", "PT-77")
    payload = json.loads(despatch["payload"])
    assert [(x["item_code"], x["picked"], x["shipped"], x["shortage"]) for x in payload["lines"]] == [
        ("A1", "2.000", "2.000", "0.000"), ("B2", "1.000", "1.000", "0.000")]
    assert [(p["weight_kg"], p["length_mm"], sorted((c["item_code"], Decimal(c["quantity"])) for c in p["contents"]))
            for p in payload["packages"]] == [("3.200", "400", [("A1", Decimal(2)), ("B2", Decimal(1))])]


def _scan_when(tab, prompt: str, code: str) -> None:
    from playwright.sync_api import expect

    expect(tab.locator("#prompt")).to_have_text(prompt)
    _scan(tab, code)


def _phone(land: Landscape, browser, login: str):
    from playwright.sync_api import expect

    context = browser.new_context(base_url=land.url, viewport=PHONE, locale="en-US", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.goto("/wms/")
    tab.fill("#login", login)
    tab.fill("#password", "a long storekeeper password")
    tab.click("button[type=submit]")
    expect(tab.locator("h1").first).to_be_visible()
    return context, tab


def test_machines_are_received_by_scanning_their_serial_numbers(wms_server: Landscape, phone_browser) -> None:
    from playwright.sync_api import expect

    land = wms_server
    land.store.publish(build_message(
        AsnV1(asn_number="PO-5", kind="supplier_order", source_number="PO-5", counterparty_code="S-1",
              action="create", lines=[AsnLine(line_no=1, item_code="EXC", quantity="2.000")]),
        sender="core", receiver="wms", warehouse_code="WH1", document_type="supplier_order", document_number="PO-5",
        document_seq=1))
    assert run_once(land.wms, land.store, land.settings).taken == 1
    context, tab = _phone(land, phone_browser, "oleg")
    try:
        tab.get_by_text("ASN PO-5").click()
        tab.fill("#supplier_invoice", "INV-5")
        tab.click("form[action$='/receiving/start'] button[type=submit]")
        expect(tab.locator("h1")).to_contain_text("Acceptance RCV-")  # the acceptance page is in
        expect(tab.locator("#scan")).to_be_focused()  # and its script has run (it focuses the scan field)
        tab.fill("#quantity", "2")  # two machines on the truck: the count first, then the barcode
        expect(tab.locator("#quantity")).to_have_value("2")
        tab.fill("#scan", "")
        tab.focus("#scan")
        _scan(tab, "4600000000035")
        expect(tab.locator("#serial-progress")).to_have_text("Machine 1 of 2")
        tab.fill("#scan", "")
        _shoot(tab, "09-serial-1")
        _scan(tab, "lg-2026-0001")
        expect(tab.locator("#serial-progress")).to_have_text("Machine 2 of 2")
        _scan(tab, "LG-2026-0001")  # the same plate again: refused in red, the step stays
        expect(tab.locator("#scan-error")).to_have_text("serial number LG-2026-0001 is in the warehouse already")
        expect(tab.locator("#serial-progress")).to_have_text("Machine 2 of 2")
        _shoot(tab, "10-serial-repeated")
        _scan(tab, "LG-2026-0002")
        expect(tab.locator("#scan-form")).to_be_visible()
        expect(tab.locator("#accepted .serials")).to_have_text("LG-2026-0001, LG-2026-0002")
        _shoot(tab, "11-serials-accepted")
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_an_order_leaves_in_two_packages_as_two_parts(wms_server: Landscape, phone_browser) -> None:
    from playwright.sync_api import expect

    from dealerhub.wms.layout.models import Bin
    from dealerhub.wms.picking.picks import confirm_pick
    from dealerhub.wms.staff.models import Storekeeper
    from dealerhub.wms.tasks.models import Task, TaskLine

    land = wms_server
    land.store.publish(build_message(
        OrdersV1(order_number="PT-78", customer_order_number="CO-78", counterparty_code="D-1", action="create",
                 lines=[OrderLine(line_no=1, item_code="A1", quantity="2.000"),
                        OrderLine(line_no=2, item_code="B2", quantity="2.000")]),
        sender="core", receiver="wms", warehouse_code="WH1", document_type="picking_task", document_number="PT-78",
        document_seq=1))
    run_once(land.wms, land.store, land.settings)
    with land.wms.transaction() as s:  # picked already (the first test walks the picking on the phone)
        oleg = s.scalar(select(Storekeeper.id).where(Storekeeper.login == "oleg"))
        for line in s.scalars(select(TaskLine).join(Task, Task.id == TaskLine.task_id)
                              .where(Task.kind == "pick", TaskLine.status == "open")).all():
            confirm_pick(s, line.id, bin_barcode=s.get(Bin, line.from_bin_id).barcode,
                         item_barcode="4600000000011" if line.quantity == 2 and "PCK" in s.get(Bin, line.from_bin_id).barcode
                         else "4600000000028", quantity=line.quantity, user_id=oleg)
    context, tab = _phone(land, phone_browser, "oleg")
    try:
        tab.get_by_text("Order PT-78").click()
        expect(tab.locator("#line_1")).to_have_value("2")
        tab.fill("#line_2", "0")  # the first package: A1 only
        tab.fill("#weight_kg", "1,5")
        tab.click("#pack-form button[type=submit]")
        expect(tab.locator("#packages li")).to_have_count(1)
        expect(tab.locator("#line_2")).to_have_value("2")
        tab.fill("#weight_kg", "6")
        _shoot(tab, "12-second-package")
        tab.click("#pack-form button[type=submit]")
        expect(tab.locator("#packages li")).to_have_count(2)
        expect(tab.locator("#order-status")).to_have_text("packed")
        tab.uncheck("#go-2")  # the second package waits for the next truck
        _shoot(tab, "13-part-despatch")
        tab.click("#despatch")
        expect(tab.locator("#order-status")).to_have_text("partly shipped")
        expect(tab.locator("#packages")).to_contain_text("left in")
        tab.click("#despatch")
        expect(tab.locator("#shipped")).to_be_visible()
        _shoot(tab, "14-shipped-in-two-parts")
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
    run_once(land.wms, land.store, land.settings)
    parts = [json.loads(m["payload"]) for m in _exchange_messages(land.store, "DESPATCH")
             if m["document_number"] == "PT-78"]
    assert [(p["final"], [(x["item_code"], x["shipped"]) for x in p["lines"]], [k["weight_kg"] for k in p["packages"]])
            for p in parts] == [(False, [("A1", "2.000")], ["1.500"]), (True, [("B2", "2.000")], ["6.000"])]


def test_a_supervisor_starts_a_count_gives_its_task_and_closes_the_round(wms_server: Landscape, phone_browser) -> None:
    from playwright.sync_api import expect

    from dealerhub.wms.counts.models import Count
    from dealerhub.wms.counts.service import mark_bin_counted, record_count
    from dealerhub.wms.staff.models import Storekeeper
    from dealerhub.wms.tasks.models import Task

    land = wms_server
    context, tab = _phone(land, phone_browser, "sveta")
    try:
        tab.goto("/wms/supervisor")
        tab.select_option("#count-form select[name=zone]", "QUA")
        tab.fill("#count-form input[name=threshold]", "10")
        tab.click("#count-form button[type=submit]")
        expect(tab.locator(".count-card")).to_have_count(1)
        with land.wms.session() as s:
            count = s.scalar(select(Count).order_by(Count.id.desc()))
            task_id = s.scalar(select(Task.id).where(Task.count_id == count.id))
            anna = s.scalar(select(Storekeeper.id).where(Storekeeper.login == "anna"))
        give = tab.locator(f"form[action$='/supervisor/tasks/{task_id}/give']")
        give.locator("select").select_option(str(anna))
        _shoot(tab, "15-supervisor-give")
        give.locator("button").click()
        expect(tab.locator(f"form[action$='/supervisor/tasks/{task_id}/give'] select")).to_have_value(str(anna))
        with land.wms.transaction() as s:  # anna finds one A1 in quarantine
            record_count(s, count.id, bin_barcode="QUA-01", item_barcode="4600000000011", counted=Decimal(1),
                         user_id=anna)
            mark_bin_counted(s, count.id, "QUA-01", user_id=anna)
        tab.reload()
        tab.locator(".count-card button").click()  # beyond the threshold (nothing on the book): a recount
        expect(tab.locator(".count-card")).to_contain_text("recount")
        tab.locator(".count-card a").click()
        expect(tab.locator("#count-lines tbody tr")).to_have_count(1)
        expect(tab.locator("#count-lines tbody tr")).to_contain_text("quarantine")
        _shoot(tab, "16-count-lines")
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
