"""`dealerhub bonus accrue`: bring the bonus ledger to what posted sales say for closed periods."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy import select

from dealerhub.cli.common import console, core_database, err_console
from dealerhub.core import bonus
from dealerhub.core.partners.models import Partner

app = typer.Typer(help="Bonus programs: accrue closed periods from posted sales.", no_args_is_help=True)

CHUNK = 200  # dealers per transaction: a partner's row stays locked only while its chunk runs


@app.command("accrue")
def accrue(
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="Only this closed period: 2026 (a year), 2026-Q3 (a quarter) or 2026-07 (a month); "
            "it applies to the programs of that period length. Default: every closed period.",
        ),
    ] = None,
) -> None:
    """Reconcile the bonus ledger of every dealer with their posted sales: an accrual for each
    closed period of each turnover program, a correcting entry where the sales changed since.
    Idempotent: a second run writes nothing. Run it daily (after midnight UTC) to accrue the
    periods that have just closed."""
    choice = bonus.PeriodChoice()
    if period is not None:
        try:
            kind, chosen = bonus.parse_period(period)
        except ValueError as bad:
            err_console.print(f"[red]{bad}[/]")
            raise typer.Exit(2) from bad
        choice = bonus.PeriodChoice(kind=kind, period=chosen)
    written = 0
    with core_database() as database:
        with database.session() as s:
            dealers = list(s.scalars(select(Partner.id).where(Partner.is_dealer.is_(True)).order_by(Partner.id)))
        columns = (TextColumn("dealers"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[entries]} entries"))
        with Progress(*columns, console=err_console, transient=True) as progress:
            task = progress.add_task("dealers", total=len(dealers), entries=0)
            for start in range(0, len(dealers), CHUNK):
                chunk = dealers[start : start + CHUNK]
                with database.transaction() as s:
                    written += len(bonus.reconcile(s, chunk, choice=choice, cause="dealerhub bonus accrue"))
                progress.update(task, advance=len(chunk), entries=written)
    console.print(f"{len(dealers)} dealers reconciled, {written} ledger entries written")
