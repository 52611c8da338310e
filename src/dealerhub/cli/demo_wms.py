"""The demo's WMS go-live, run by `dealerhub demo seed` after the core's demo: the same steps as a
real go-live (core/golive), with the exchange drained in between so that each step's messages are
in the WMS before the next:

1. the core sends the catalog and the contractors; the exchange hands them to the WMS;
2. the WMS lays out each warehouse the core gave a WMS code, gets its storekeepers, and loads the
   opening stock the core's books hold there (machines with demo serial numbers);
3. the core sends the documents still open (posted picking tasks, expected supplier orders): the
   running exchange workers (`make run`) hand them over, and the storekeepers find their tasks.
The command composes both systems; neither of them imports the other."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from dealerhub.core import golive
from dealerhub.core.demo.golive import WmsWarehouse
from dealerhub.core.exchange_link import CoreNode
from dealerhub.exchange.store import ExchangeStore
from dealerhub.shared.config import Settings
from dealerhub.shared.db import Database
from dealerhub.wms.db import load_all_models as load_wms_models
from dealerhub.wms.exchange_link.runner import run_once as wms_run_once
from dealerhub.wms.layout.service import LayoutPlan, find_warehouse, generate_layout
from dealerhub.wms.staff.models import Storekeeper
from dealerhub.wms.staff.service import create_storekeeper
from dealerhub.wms.stock.opening import OpeningLine, load_opening_stock

# login, name, role, language; every demo storekeeper's password is DEMO_PASSWORD.
STOREKEEPERS = (
    ("anna", "Анна Смирнова", "supervisor", "ru"),
    ("boris", "Борис Кузнецов", "storekeeper", "ru"),
    ("mike", "Mike Wood", "storekeeper", "en"),
)
DEMO_PASSWORD = "warehouse"


@dataclass
class WmsDemo:
    warehouses: list[tuple[str, int, int]]  # WMS code, items loaded, serial numbers made up
    open_tasks: int
    expected_receipts: int  # supplier orders and customer returns


def go_live(core: Database, settings: Settings, warehouses: list[WmsWarehouse],
            say: Callable[[str], None] = lambda _m: None) -> WmsDemo:
    load_wms_models()
    wms = Database(settings.wms_database_url)
    store = ExchangeStore.from_settings(settings, Database(settings.exchange_database_url))
    try:
        with core.transaction() as s:
            groups, items, contractors = golive.send_master_data(s)
        say(f"catalog for the WMS: {groups} groups, {items} items, {contractors} contractors")
        _drain(core, wms, store, settings)
        loaded = []
        with core.session() as s:
            stock = {w.wms_code: golive.opening_stock(s, w.wms_code) for w in warehouses}
        made = 0  # serial numbers made up so far: unique across warehouses
        with wms.transaction() as s:
            for w in warehouses:
                if find_warehouse(s, w.wms_code) is None:
                    generate_layout(s, w.wms_code, w.name, LayoutPlan(bins=max(200, len(stock[w.wms_code]) * 3 // 2)))
                    lines, serials = _with_demo_serials(stock[w.wms_code], made)
                    load_opening_stock(s, w.wms_code, lines)
                    loaded.append((w.wms_code, len(lines), serials))
                    made += serials
            for login, name, role, language in STOREKEEPERS:
                if s.scalar(select(Storekeeper.id).where(Storekeeper.login == login)) is None:
                    create_storekeeper(    s, login=login, name=name, password=DEMO_PASSWORD, role=role, language=language
                    )
        say("WMS: " + ", ".join(f"{code} {n} items" for code, n, _serials in loaded))
        with core.transaction() as s:
            tasks, orders = golive.send_open_documents(s)
        return WmsDemo(loaded, tasks, orders)
    finally:
        wms.dispose()
        store.db.dispose()


def _with_demo_serials(stock: list[golive.OpeningLine], before: int) -> tuple[list[OpeningLine], int]:
    """Machines come with serial numbers (frame numbers) in a real load; the demo makes them up,
    numbering on from `before`. Returns the lines and how many serial numbers it made."""
    lines, made = [], 0
    for line in stock:
        serials: tuple[str, ...] = ()
        if line.serial_tracked:
            first = before + made + 1
            serials = tuple(f"{line.item_code}-{n:05d}" for n in range(first, first + int(line.quantity)))
            made += len(serials)
        lines.append(OpeningLine(line.item_code, line.quantity, serials, line.status))
    return lines, made


def _drain(core: Database, wms: Database, store: ExchangeStore, settings: Settings) -> None:
    """Until neither node finds anything: the core relays, the WMS applies and answers, the core
    takes the answers. The nodes' per-round logs are held back (the command reports the outcome)."""
    node = CoreNode(core, store, settings)
    stop = threading.Event()
    quiet = [logging.getLogger(name) for name in ("dealerhub.exchange.worker", "dealerhub.core.exchange_link.runner")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.WARNING)
    try:
        for _round in range(50):
            core_done = node.run(stop, once=True)
            wms_done = wms_run_once(wms, store, settings)
            if not (core_done.relayed or core_done.taken or wms_done.relayed or wms_done.taken):
                return
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)
