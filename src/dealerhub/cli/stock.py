"""`dealerhub stock`: the derived balances (rebuild, check) and the reservation-expiry sweep."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.table import Table

from dealerhub.cli.common import console, core_database, err_console
from dealerhub.core.stock import expire_due, find_differences, rebuild_balances
from dealerhub.shared.db import Database

log = logging.getLogger(__name__)

app = typer.Typer(
    help="Stock registers: rebuild or check balances, release expired reservations.", no_args_is_help=True
)

SWEEP_BATCH = 1000


@app.command("rebuild")
def rebuild() -> None:
    """Recompute every balance (and reservations' remaining quantities) from the append-only moves."""
    with core_database() as database, database.transaction() as s:
        rows = rebuild_balances(s)
    console.print(f"[green]rebuilt {rows} balance rows from the moves[/]")


@app.command("check")
def check(limit: int = typer.Option(50, help="Show at most this many differences.")) -> None:
    """Compare the stored balances with the moves; exit 1 with a table of differences if they disagree."""
    with core_database() as database, database.session() as s:
        differences = find_differences(s)
    if not differences:
        console.print("[green]balances agree with the moves[/]")
        return
    table = Table(
        "item",
        "warehouse",
        "stored on hand",
        "moves on hand",
        "stored reserved",
        "moves reserved",
        title=f"{len(differences)} balances disagree with the moves",
    )
    for d in differences[:limit]:
        table.add_row(
            str(d.item_id),
            str(d.warehouse_id),
            str(d.stored_on_hand),
            str(d.moves_on_hand),
            str(d.stored_reserved),
            str(d.moves_reserved),
        )
    err_console.print(table)
    err_console.print("Run `dealerhub stock rebuild` to recompute the balances from the moves.")
    raise typer.Exit(1)


@app.command("expire-reservations")
def expire_reservations() -> None:
    """Release every reservation whose time is up (`dealerhub serve` also does this periodically)."""
    with core_database() as database:
        released = release_expired(database)
    console.print(f"released {released} expired reservations")


def release_expired(database: Database) -> int:
    """Release expired reservations in batches, one transaction per batch; returns how many."""
    total = 0
    while True:
        with database.transaction() as s:
            released = expire_due(s, limit=SWEEP_BATCH)
        total += released
        if released < SWEEP_BATCH:
            break
    if total:
        log.info("released %d expired reservations", total)
    return total


@app.command("export-for-wms")
def export_for_wms(
    wms_code: Annotated[str, typer.Argument(help="The warehouse's WMS code (e.g. MSK01).")],
    output: Annotated[
        typer.FileTextWrite, typer.Option("--output", "-o", help="The file to write (default: stdout).")
    ] = "-",
) -> None:
    """Write what the books hold on a warehouse (on hand, the items the WMS keeps; its defect
    warehouse's goods as status defect) as the WMS's
    opening-stock file; `dealerhub wms load-stock CODE FILE` loads it. Machines need their serial
    numbers added in the serials column before the load."""
    from dealerhub.cli.golive import write_opening_file
    from dealerhub.core.golive import opening_stock

    with core_database() as database, database.session() as s:
        lines = opening_stock(s, wms_code)
    count = write_opening_file(output, ((line.item_code, line.quantity, line.status, ()) for line in lines))
    machines = sum(1 for line in lines if line.serial_tracked)
    err_console.print(
        f"{count} items on {wms_code}" + (f"; {machines} serial-tracked: add their serial numbers" if machines else "")
    )
