"""Regenerate the initial core migration from the models (allowed only while nothing is released).

Usage: .venv/bin/python scripts/regen_core_migration.py
"""

from __future__ import annotations

import tempfile

from alembic import command

from dealerhub.migrations import HERE, alembic_config

TARGET = HERE / "core" / "versions" / "core_0001_initial_schema.py"


def main() -> None:
    TARGET.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        command.revision(alembic_config("core", f"sqlite:///{tmp}/empty.sqlite3"), message="initial schema",
                         autogenerate=True, rev_id="core_0001")
    text = TARGET.read_text()
    text = text.replace(
        "import dealerhub.shared.types\n",
        "import dealerhub.shared.types\nfrom dealerhub.migrations.core.guards_0001 import create_guards, drop_guards\n",
        1,
    )
    text = text.replace("    # ### end Alembic commands ###\n\n\ndef downgrade() -> None:\n",
                        "    # ### end Alembic commands ###\n    create_guards()\n\n\ndef downgrade() -> None:\n    drop_guards()\n", 1)
    TARGET.write_text(text)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
