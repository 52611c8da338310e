"""Tasks' kinds and statuses as the WMS's refusals name them (Texts, translated where a page shows them)."""

from __future__ import annotations

from dealerhub.shared.texts import T, Text

TASK_KIND_NAMES: dict[str, Text] = {
    "receiving": T("a receiving task"),
    "putaway": T("a putaway task"),
    "pick": T("a picking task"),
    "replenishment": T("a replenishment task"),
    "count": T("a count task"),
}

TASK_STATUS_NAMES: dict[str, Text] = {
    "open": T("open"),
    "in_progress": T("in_progress"),
    "done": T("done"),
    "cancelled": T("cancelled"),
}


def task_kind_name(kind: str) -> str:
    """"a picking task" (an unknown kind as it is)."""
    return TASK_KIND_NAMES.get(kind, kind)


def task_status_name(status: str) -> str:
    """A task's status for a sentence (an unknown status as it is)."""
    return TASK_STATUS_NAMES.get(status, status)
