"""What the WMS calls its statuses where people read them in sentences (refusals above all): Texts,
English in the code and translated where shown (shared/texts.py). The WMS may not import the core's
names (core/documents/names.py); these are its own. The message ids are the status words the WMS
pages already show (wms/web/labels.py marks the same ids), so a refusal names a status as the page
beside it does."""

from __future__ import annotations

from dealerhub.shared.texts import T, Text, joined

ORDER_STATUS_NAMES: dict[str, Text] = {
    "new": T("new"),
    "picking": T("picking"),
    "picked": T("picked"),
    "packed": T("packed"),
    "part_shipped": T("part_shipped"),
    "shipped": T("shipped"),
    "cancelled": T("cancelled"),
}

STOCK_STATUS_NAMES: dict[str, Text] = {
    "available": T("available"),
    "defect": T("defect"),
    "quarantine": T("quarantine"),
}

# What a storekeeper says about scanned goods on an acceptance.
CONDITION_NAMES: dict[str, Text] = {
    "good": T("good"),
    "damaged": T("damaged"),
    "rejected": T("rejected"),
}


def order_status_name(status: str) -> str:
    """An order's status for a sentence (the code itself for a status without a name)."""
    return ORDER_STATUS_NAMES.get(status, status)


def stock_status_name(status: str) -> str:
    """A stock status for a sentence (the code itself for a status without a name)."""
    return STOCK_STATUS_NAMES.get(status, status)


def named(names: list[str] | tuple[str, ...]) -> Text:
    """Several names (Texts or plain strings) for a sentence, each in quotes: «good», «damaged»."""
    return joined(names, quoted=True)


def listed(texts: list[str] | tuple[str, ...]) -> Text:
    """Several sentence parts (Texts or plain strings), comma-separated, each translated where shown."""
    return joined(texts)
