"""`dealerhub wms`: lay out a warehouse, add storekeepers, send REMAINS, run the WMS's exchange node."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated

import typer
from rich.progress import Progress

from dealerhub.cli.common import console, current_settings, err_console
from dealerhub.shared.db import Database
from dealerhub.shared.errors import DomainError

app = typer.Typer(help="The WMS: warehouse layout, storekeepers, REMAINS, its exchange node.", no_args_is_help=True)
exchange_app = typer.Typer(help="The WMS's side of the exchange.", no_args_is_help=True)
app.add_typer(exchange_app, name="exchange")


@contextmanager
def wms_database() -> Iterator[Database]:
    from dealerhub.wms.db import load_all_models

    load_all_models()
    database = Database(current_settings().wms_database_url)
    try:
        yield database
    finally:
        database.dispose()


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except DomainError as error:
        err_console.print(f"[red]{error.message}[/]")
        raise typer.Exit(1) from error


@app.command("layout")
def layout(
    code: Annotated[str, typer.Argument(help="The warehouse's exchange code (the core's locked WMS code).")],
    name: Annotated[str, typer.Option(help="The warehouse's name.")] = "",
    bins: Annotated[int, typer.Option(help="Storage and picking bins (30 % picking).")] = 200,
) -> None:
    """Create a warehouse with receiving, picking, storage, packing, shipping, defect and quarantine
    zones and BINS bins with barcodes (ZONE-aisle-rack-level) in route order."""
    from dealerhub.wms.layout.service import LayoutPlan, bin_count, generate_layout

    with wms_database() as db, _refusals(), Progress(console=err_console, transient=True) as progress:
        bar = progress.add_task("bins", total=bins + 10)
        with db.transaction() as s:
            warehouse = generate_layout(s, code, name or code, LayoutPlan(bins=bins),
                                        progress=lambda n: progress.advance(bar, n))
            total = bin_count(s, warehouse.id)
    console.print(f"[green]warehouse {code}: 7 zones, {total} bins[/]")


@app.command("add-storekeeper")
def add_storekeeper(
    login: str,
    name: Annotated[str, typer.Option(help="Full name.")] = "",
    role: Annotated[str, typer.Option(help="storekeeper or supervisor.")] = "storekeeper",
    language: Annotated[str, typer.Option(help="ru or en.")] = "ru",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Create a WMS user (its own table; not a core user)."""
    from dealerhub.wms.staff.service import create_storekeeper

    with wms_database() as db, _refusals(), db.transaction() as s:
        create_storekeeper(s, login=login, name=name, password=password, role=role, language=language)
    console.print(f"[green]storekeeper {login} created[/]")


@app.command("item-place")
def item_place(
    warehouse: str,
    item: str,
    pick_min: Annotated[str, typer.Option(help="Below this many free units in the picking zone, refill.")] = "0",
    pick_max: Annotated[str, typer.Option(help="Refill the picking zone up to this many.")] = "0",
    home_zone: Annotated[str | None, typer.Option(help="Zone code where the item is put away.")] = None,
) -> None:
    """Set an item's home zone and its picking-zone minimum and maximum on a warehouse."""
    from dealerhub.wms.catalog.service import item_by_code, set_item_place
    from dealerhub.wms.layout.service import warehouse_by_code, zones_of

    with wms_database() as db, _refusals(), db.transaction() as s:
        wh = warehouse_by_code(s, warehouse)
        zone_id = next((z.id for z in zones_of(s, wh.id) if z.code == home_zone), None) if home_zone else None
        set_item_place(s, wh.id, item_by_code(s, item).id, home_zone_id=zone_id, pick_min=Decimal(pick_min),
                       pick_max=Decimal(pick_max))
    console.print(f"[green]{item} on {warehouse}: picking zone {pick_min}..{pick_max}[/]")


@app.command("load-stock")
def load_stock(
    warehouse: Annotated[str, typer.Argument(help="Warehouse code.")],
    file: Annotated[typer.FileText, typer.Argument(help="CSV: item_code,quantity,status,serials (- for stdin).")],
) -> None:
    """Load a warehouse's opening stock on its first day with the WMS: the file that
    `dealerhub stock export-for-wms` writes (serial numbers of machines added), each item into a
    storage bin of its own (defect and quarantine goods into those zones). All or nothing; refused
    on a warehouse that holds stock already."""
    from dealerhub.cli.golive import OpeningFileError, read_opening_file
    from dealerhub.wms.stock.opening import OpeningLine, load_opening_stock

    try:
        lines = [OpeningLine(code, quantity, serials, status) for code, quantity, status, serials in read_opening_file(file)]
    except OpeningFileError as error:
        err_console.print(f"[red]{file.name}: {error}[/]")
        raise typer.Exit(1) from error
    with wms_database() as db, _refusals(), db.transaction() as s:
        loaded = load_opening_stock(s, warehouse, lines)
    console.print(f"[green]{warehouse}: {loaded.lines} items, {loaded.units} units, {loaded.serials} serial numbers[/]")


@app.command("remains")
def remains(warehouse: Annotated[str, typer.Argument(help="Warehouse code.")]) -> None:
    """Send a REMAINS snapshot of the warehouse now (in parts of wms_remains_part_rows rows)."""
    from dealerhub.wms.layout.service import warehouse_by_code
    from dealerhub.wms.remains.service import send_remains

    settings = current_settings()
    with wms_database() as db, _refusals(), db.transaction() as s:
        snapshot = send_remains(s, warehouse_by_code(s, warehouse), part_rows=settings.wms_remains_part_rows)
        console.print(f"[green]REMAINS {snapshot.snapshot_id}: {snapshot.rows_total} rows in {snapshot.parts_total} part(s)[/]")


@exchange_app.command("run")
def run(once: Annotated[bool, typer.Option("--once", help="One round (relay, take, relay), then exit.")] = False) -> None:
    """Relay the WMS's outbox to the exchange and apply the messages for the WMS (settings
    wms_exchange_node / wms_exchange_peer); scheduled REMAINS if wms_remains_every_minutes > 0.
    Stops cleanly on SIGTERM / SIGINT."""
    from dealerhub.exchange.store import ExchangeStore
    from dealerhub.wms.exchange_link.runner import run_forever, run_once

    settings = current_settings()
    store = ExchangeStore.from_settings(settings)
    with wms_database() as db:
        try:
            if once:
                done = run_once(db, store, settings)
                console.print(f"relayed {done.relayed}, taken {done.taken}, REMAINS snapshots {done.snapshots}")
                return
            stop = threading.Event()
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
            console.print(f"WMS exchange node {settings.wms_exchange_node!r} running (Ctrl+C stops)")
            run_forever(db, store, settings, stop)
        finally:
            store.db.dispose()
