"""`dealerhub exchange`: the exchange database of messages between the core and the WMS."""

from __future__ import annotations

import faulthandler
import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from dealerhub.cli.common import console, core_database, current_settings, err_console
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
    if report.refused and report.latest_refused:
        message_id, type_, sender, last_error = report.latest_refused
        console.print(
            f"[red]{report.refused} refused on arrival[/] (exchange_refused_messages, status error); the "
            f"latest: {type_} {message_id} from {sender}\n  {last_error}"
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
            err_console.print(f"[red]{problem}[/]", soft_wrap=True)
        if problems:
            err_console.print("run `dealerhub exchange schemas` and commit the result")
            raise typer.Exit(1)
        console.print(f"[green]the published schemas in {directory} agree with the code[/]", soft_wrap=True)
        return
    changed = schemas.write(directory)
    message = f"{len(changed)} schema file(s) written in {directory}" if changed else "schemas up to date"
    console.print(message, soft_wrap=True)


@app.command("run")
def run(
    once: Annotated[
        bool, typer.Option("--once", help="Drain: run until nothing is left to do, then exit.")
    ] = False,
    batch: Annotated[
        int | None,
        typer.Option(help="Messages taken per batch (default: DEALERHUB_EXCHANGE_BATCH_SIZE)", min=1),
    ] = None,
    poll: Annotated[
        float | None,
        typer.Option(
            help="Seconds to pause when there was nothing to do (default: DEALERHUB_EXCHANGE_POLL_SECONDS)"
        ),
    ] = None,
    housekeeping_minutes: Annotated[
        float,
        typer.Option(
            help="Purge relayed outbox rows and archive done messages older than "
            "DEALERHUB_EXCHANGE_RETENTION_DAYS this often (0: never)",
        ),
    ] = 60.0,
) -> None:
    """The core's exchange node: relay the core's outbox to the exchange and apply the messages
    addressed to the core (DEALERHUB_EXCHANGE_NODE), answering each with an ACK or an ERROR.

    Run as many as you like, on several machines: they never take the same message. SIGTERM or
    Ctrl+C stops after the batch at hand; SIGUSR1 prints where each thread is (a hang's diagnosis).
    The WMS's node is `dealerhub wms exchange run`.
    """
    from dealerhub.core.db import load_all_models
    from dealerhub.core.exchange_link import CoreNode

    load_all_models()
    settings = current_settings()
    stop = threading.Event()
    with core_database(settings) as core_db, exchange_store() as store:
        node = CoreNode(
            core_db,
            store,
            settings,
            batch=batch,
            poll=poll,
            housekeeping_every=timedelta(minutes=housekeeping_minutes) if housekeeping_minutes > 0 else None,
        )
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
            faulthandler.register(signal.SIGUSR1, all_threads=True)  # `kill -USR1 PID`: where is it?
            console.print(
                f"core exchange node {settings.exchange_node!r} ({node.worker_id}) running; Ctrl+C stops"
            )
        total = node.run(stop, once=once)
    console.print(f"{total}")


@app.command("send-catalog")
def send_catalog(
    counterparties: Annotated[
        bool | None,
        typer.Option(
            "--counterparties/--no-counterparties",
            help="Send every contractor too (default: when DEALERHUB_EXCHANGE_COUNTERPARTIES=upfront)",
        ),
    ] = None,
    batch: Annotated[int, typer.Option(help="Groups, items or contractors per message", min=1)] = 200,
) -> None:
    """Put the whole catalog for the WMS (every group and item flagged "use in WMS", as upserts) into
    the core's outbox, in one transaction: a first load of a WMS, or a resync. The exchange node
    (`dealerhub exchange run`) hands the messages over."""
    from dealerhub.core.catalog.wms_messages import send_full_catalog
    from dealerhub.core.db import load_all_models
    from dealerhub.core.partners.wms_messages import send_all_counterparties

    load_all_models()
    settings = current_settings()
    if counterparties is None:
        counterparties = settings.exchange_counterparties == "upfront"
    with core_database(settings) as core_db, Progress(console=err_console, transient=True) as progress:
        progress.add_task("writing CLASSIFIER and GOODS messages into the outbox", total=None)
        with core_db.transaction() as s:
            groups, items = send_full_catalog(s, batch=batch)
            contractors = send_all_counterparties(s, batch=batch) if counterparties else 0
    console.print(
        f"outbox: {groups} group(s) and {items} item(s) for the WMS"
        + (f", {contractors} contractor(s)" if counterparties else "")
        + "; `dealerhub exchange run` relays them"
    )
