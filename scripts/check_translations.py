"""Compile every gettext catalog under src/dealerhub/locale in memory, as the web app does at
start, so that a broken .po file fails the install instead of the first page. Writes no .mo file.

Usage: .venv/bin/python scripts/check_translations.py
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "dealerhub" / "locale"


def main() -> int:
    catalogs = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    for po_path in catalogs:
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, abort_invalid=True)
        write_mo(BytesIO(), catalog)
        translated = sum(1 for message in catalog if message.id and message.string)
        name = po_path.relative_to(LOCALE_DIR)
        print(f"translations: {name} compiles ({len(catalog)} messages, {translated} with a translation)")
    if not catalogs:
        print("translations: no catalogs yet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
