"""`dealerhub exchange`: the exchange database of messages between the core and the WMS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from dealerhub.cli.common import console, current_settings, err_console
from dealerhub.exchange import schemas
from dealerhub.exchange.store import ExchangeStore, RetryRefused
from dealerhub.shared.db import Database
from dealerhub.shared.errors import NotFound

app = typer.Typer(
    help=(
        "The exchange: messages between the accounting core and the WMS in their own database "
        "(DEALERHUB_EXCHANGE_DATABASE_URL). See docs/exchange.md."
    ),
    no_args_is_help=True,
)

# `dealerhub exchange run` (the workers) is added by the wiring: app.command("run")(...) in the
# module that assembles the handlers of both sides.


@contextmanager
def exchange_store() -> Iterator[ExchangeStore]:
    settings = current_settings()
    database = Database(settings.exchange_database_url)
    try:
        yield ExchangeStore.from_settings(settings, database)
    finally:
        database.dispose()


@app.command("status")
def status() -> None:
    """Messages by type and status, the lag of each receiver, and the oldest message left waiting.

    Lag = how long the oldest message that could be taken right now has been in the exchange.
    """
    with exchange_store() as store:
        report = store.status()
    statuses = ["new", "taken", "done", "error", "dead"]
    table = Table("type", *statuses, title="exchange messages")
    by_type: dict[str, dict[str, int]] = {}
    for count in report.counts:
        by_type.setdefault(count.type, {})[count.status] = count.count
    for type_, counts in sorted(by_type.items()):
        table.add_row(type_, *(_count(counts.get(s, 0), s) for s in statuses))
    table.add_row("[bold]all[/]", *(_count(report.total(s), s) for s in statuses))
    console.print(table)
    if report.lag_seconds:
        for receiver, seconds in sorted(report.lag_seconds.items()):
            console.print(f"lag for {receiver}: {seconds:.1f} s")
    else:
        console.print("lag: nothing is waiting to be taken")
    waiting = report.oldest_waiting
    if waiting is not None:
        console.print(
            f"oldest waiting: {waiting.message_id} {waiting.type} to {waiting.receiver}, created "
            f"{waiting.created_at:%Y-%m-%d %H:%M:%S} UTC, next attempt {waiting.next_attempt_at:%H:%M:%S}"
            + (
                f", document {waiting.document_type} {waiting.document_number} #{waiting.document_seq}"
                if waiting.document_number
                else ""
            )
            + (f"\n  last error: {waiting.last_error}" if waiting.last_error else "")
        )
    dead, errors = report.total("dead"), report.total("error")
    if dead or errors:
        console.print(
            f"[red]{errors} in error, {dead} dead[/]: `dealerhub exchange show ID`, then `retry ID`"
        )


def _count(n: int, status: str) -> str:
    if n and status in ("error", "dead"):
        return f"[red]{n}[/]"
    return str(n) if n else "[dim]0[/]"


@app.command("show")
def show(message_id: Annotated[str, typer.Argument(help="The message's id (UUID)")]) -> None:
    """A message's envelope, state, last error and payload (archived ones too)."""
    with exchange_store() as store:
        record = store.get(message_id)
    if record is None:
        err_console.print(f"[red]no message {message_id} in the exchange[/]")
        raise typer.Exit(1)
    table = Table(show_header=False, box=None)
    for name in (
        "message_id",
        "type",
        "schema_version",
        "sender",
        "receiver",
        "warehouse_code",
        "document_type",
        "document_number",
        "document_seq",
        "correlation_id",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "taken_at",
        "taken_by",
        "lease_until",
        "processed_at",
        "last_error",
        "payload_sha256",
    ):
        value = getattr(record, name)
        if value is not None:
            table.add_row(f"[bold]{name}[/]", str(value))
    if record.archived:
        table.add_row("[bold]archived[/]", "yes")
    console.print(table)
    try:
        console.print_json(record.payload)
    except json.JSONDecodeError:
        console.print("[bold]payload (not JSON):[/]")
        console.print(record.payload, markup=False)


@app.command("retry")
def retry(
    message_id: Annotated[
        str | None, typer.Argument(help="The message to retry (error, dead or waiting)")
    ] = None,
    dead: Annotated[bool, typer.Option("--dead", help="Retry every dead message instead")] = False,
    receiver: Annotated[str | None, typer.Option(help="With --dead: only this receiver's messages")] = None,
) -> None:
    """Put a message in error or dead back to `new` (fresh attempts), or every dead one with --dead.

    A message waiting for its next attempt is made claimable now. Done and taken ones are refused.
    """
    if dead == (message_id is not None):
        err_console.print("give either a MESSAGE_ID or --dead")
        raise typer.Exit(2)
    with exchange_store() as store:
        if dead:
            count = store.retry_dead(receiver)
            console.print(f"{count} dead message(s) back to new")
            return
        try:
            was = store.retry(message_id)
        except (NotFound, RetryRefused) as exc:
            err_console.print(f"[red]{exc.message}[/]")
            raise typer.Exit(1) from None
    console.print(f"{message_id}: {was} -> new")


@app.command("archive")
def archive(
    older_than: Annotated[
        int | None,
        typer.Option(
            "--older-than", help="Days since processing (default: DEALERHUB_EXCHANGE_RETENTION_DAYS)"
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Messages moved per transaction")] = 1000,
) -> None:
    """Move done messages older than the retention period into exchange_messages_archive."""
    days = older_than if older_than is not None else current_settings().exchange_retention_days
    with exchange_store() as store, Progress(console=err_console, transient=True) as progress:
        task = progress.add_task(f"archiving done messages older than {days} days", total=None)
        moved = store.archive(
            timedelta(days=days), batch_size=batch_size, progress=lambda n: progress.advance(task, n)
        )
    console.print(f"{moved} message(s) archived (done more than {days} days ago)")


@app.command("schemas")
def schemas_command(
    check: Annotated[
        bool,
        typer.Option("--check", help="Only compare: fail when the published schemas differ from the code"),
    ] = False,
    directory: Annotated[
        Path, typer.Option("--dir", help="Where the schemas are published")
    ] = schemas.PUBLISHED_DIR,
) -> None:
    """Write the JSON Schemas of every message type from the code into docs/exchange/schemas/."""
    if check:
        problems = schemas.differences(directory)
        for problem in problems:
            err_console.print(f"[red]{problem}[/]")
        if problems:
            err_console.print("run `dealerhub exchange schemas` and commit the result")
            raise typer.Exit(1)
        console.print(f"[green]the published schemas in {directory} agree with the code[/]")
        return
    changed = schemas.write(directory)
    console.print(
        f"{len(changed)} schema file(s) written in {directory}" if changed else "schemas up to date"
    )
