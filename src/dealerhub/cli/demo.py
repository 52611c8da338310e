"""`dealerhub demo seed`: load the demo distributor into an empty core database."""

from __future__ import annotations

import logging
import time
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dealerhub.cli.common import console, core_database
from dealerhub.core.demo import SeedOptions, SeedSummary, database_is_empty, seed_demo

log = logging.getLogger(__name__)

app = typer.Typer(
    help="Demo data: fill an empty database with a believable distributor.", no_args_is_help=True
)


class RichProgress:
    """Shows the seed's phases as progress bars."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = None

    def phase(self, name: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[-1].total)
        self.task = self.progress.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, n)


@app.command("seed")
def seed(
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 42,
    items: Annotated[
        int, typer.Option(min=10, help="Catalog items (machines, attachments, parts, fluids...).")
    ] = 5000,
    dealers: Annotated[int, typer.Option(min=1, help="Dealers, each with 1-3 legal entities.")] = 40,
    wms: Annotated[
        bool,
        typer.Option(
            "--wms/--no-wms",
            help="Then take the WMS live: catalog through the exchange, layout, storekeepers, opening "
            "stock, open documents (the WMS database must be empty).",
        ),
    ] = True,
) -> None:
    """Fill an EMPTY core database with a demo distributor: catalog, prices, warehouses, dealers,
    suppliers, staff, stock and a history of documents; then (--wms) its WMS goes live. Skips
    (exit 0) if the core database has data."""
    with core_database() as database:
        with database.session() as s:
            empty = database_is_empty(s)
        if not empty:
            console.print("[yellow]the core database already has data: demo seed skipped[/]")
            return
        started = time.perf_counter()
        with Progress(
            TextColumn("{task.description:<32}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as bar:
            summary = seed_demo(
                database, SeedOptions(seed=seed, items=items, dealers=dealers), RichProgress(bar)
            )
        elapsed = time.perf_counter() - started
        log.info("demo seed %s: %d items, %d dealers in %.1f s", seed, summary.items, summary.dealers, elapsed)
        _print_summary(summary, elapsed)
        if wms:
            _wms_go_live(database, summary)


def _wms_go_live(database, summary: SeedSummary) -> None:
    from dealerhub.cli.common import current_settings
    from dealerhub.cli.demo_wms import DEMO_PASSWORD, STOREKEEPERS, go_live

    with console.status("the WMS goes live: catalog through the exchange, layout, opening stock..."):
        done = go_live(database, current_settings(), summary.wms_warehouses, say=console.print)
    console.print(
        f"[green]WMS live[/] on {', '.join(code for code, _n, _s in done.warehouses)}: opening stock loaded, "
        f"{done.open_tasks} open picking task(s) and {done.expected_receipts} expected receipt(s) sent"
    )
    table = Table("login", "password", "role", title="Storekeepers (WMS: /wms/)")
    for login, _name, role, _language in STOREKEEPERS:
        table.add_row(login, DEMO_PASSWORD, role)
    console.print(table)


def _print_summary(summary: SeedSummary, elapsed: float) -> None:
    console.print(
        f"[green]demo data loaded in {elapsed:.1f} s[/]: {summary.items} items, {summary.dealers} dealers, "
        f"{summary.suppliers} suppliers; documents: "
        + ", ".join(f"{count} {name}" for name, count in summary.documents.items())
    )
    table = Table("login", "password", "role", title="Demo logins (back office: /backoffice/)")
    for login, password, role in summary.logins:
        table.add_row(login, password, role)
    console.print(table)
    console.print(
        f"Dealers' users dealer001, dealer002, ... have the password {summary.dealer_password!r} "
        "(owners of their companies in the dealer cabinet at /cabinet/)."
    )
