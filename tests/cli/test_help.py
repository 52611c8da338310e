"""`dealerhub --help` explains every subcommand."""

from __future__ import annotations

import pytest

COMMANDS = {
    (): ["bonus", "db", "demo", "stock", "users", "serve"],
    ("bonus",): ["accrue"],
    ("db",): ["upgrade", "check", "current"],
    ("demo",): ["seed"],
    ("stock",): ["rebuild", "check", "expire-reservations"],
    ("users",): ["create"],
}


@pytest.mark.parametrize("group", list(COMMANDS), ids=lambda g: " ".join(g) or "dealerhub")
def test_help_lists_every_subcommand(cli, group):
    result = cli(*group, "--help")
    assert result.exit_code == 0
    for command in COMMANDS[group]:
        assert f" {command} " in result.output


@pytest.mark.parametrize(
    "command",
    [
        ("bonus", "accrue"),
        ("db", "upgrade"),
        ("db", "check"),
        ("db", "current"),
        ("demo", "seed"),
        ("stock", "rebuild"),
        ("stock", "check"),
        ("stock", "expire-reservations"),
        ("users", "create"),
        ("serve",),
    ],
    ids=" ".join,
)
def test_every_subcommand_has_its_own_help(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0
    assert "Usage: dealerhub " + " ".join(command) in " ".join(result.output.split())
