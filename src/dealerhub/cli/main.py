"""The `dealerhub` command line. Each group of subcommands lives in its own module."""

from __future__ import annotations

from typing import Annotated

import typer

from dealerhub.cli import bonus, db, demo, exchange, serve, stock, users
from dealerhub.cli import wms as wms_cli
from dealerhub.cli.common import configure_logging

app = typer.Typer(
    name="dealerhub",
    help=(
        "dealerhub: a distributor's order-to-warehouse system "
        "(accounting core, back office, WMS, exchange).\n\n"
        "Settings come from environment variables or a .env file: DEALERHUB_CORE_DATABASE_URL, "
        "DEALERHUB_WMS_DATABASE_URL, DEALERHUB_EXCHANGE_DATABASE_URL "
        "(default: three SQLite files under ./var/)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(bonus.app, name="bonus")
app.add_typer(db.app, name="db")
app.add_typer(demo.app, name="demo")
app.add_typer(exchange.app, name="exchange")
app.add_typer(stock.app, name="stock")
app.add_typer(users.app, name="users")
app.add_typer(wms_cli.app, name="wms")
app.command("serve")(serve.serve)


@app.callback()
def _main(
    log_level: Annotated[
        str | None,
        typer.Option("--log-level", help="DEBUG, INFO, WARNING... (default: DEALERHUB_LOG_LEVEL or INFO)"),
    ] = None,
) -> None:
    configure_logging(log_level)


if __name__ == "__main__":  # pragma: no cover
    app()
