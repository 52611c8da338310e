"""`dealerhub users`: staff accounts."""

from __future__ import annotations

from typing import Annotated

import typer

from dealerhub.cli.common import console, core_database, err_console
from dealerhub.core.accounts.models import STAFF_ROLES
from dealerhub.shared.errors import DomainError

app = typer.Typer(help="Staff users of the back office.", no_args_is_help=True)


@app.command("create")
def create(
    login: Annotated[str, typer.Option(help="The login name.")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(STAFF_ROLES)}.")],
    password: Annotated[
        str | None, typer.Option(help="The password; asked for (hidden, twice) when omitted.")
    ] = None,
    full_name: Annotated[
        str | None, typer.Option(help="Shown in the back office (default: the login).")
    ] = None,
    email: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str, typer.Option(help="ru or en.")] = "ru",
) -> None:
    """Create a staff user with a role."""
    from dealerhub.core.accounts import create_user

    if role not in STAFF_ROLES:
        err_console.print(f"[red]unknown role {role!r}[/]; choose one of: {', '.join(STAFF_ROLES)}")
        raise typer.Exit(2)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with core_database() as database, database.transaction() as s:
            user = create_user(
                s,
                user_id=None,
                login=login,
                password=password,
                full_name=full_name or login,
                role=role,
                email=email,
                language=language,
            )
            user_id = user.id
    except DomainError as exc:
        err_console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(1) from exc
    console.print(f"[green]created user {login!r} ({role}), id {user_id}[/]")
