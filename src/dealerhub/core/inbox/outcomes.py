"""What applying one inbound message came to, for the exchange worker to record.

- Applied: the effect (or, `already`, an earlier delivery's effect) is in the core; an ACK is in
  the outbox (not a second one for a redelivery).
- Rejected: bad input; nothing of it was applied and the ERROR answer is already in the outbox
  (the worker marks the message `error` and publishes no ERROR of its own).
- Wait: something the message refers to is not known yet (an item, a warehouse); nothing was
  written; try again after `delay` seconds (`code`: the error it becomes if it waits too long).
- Failed: the core failed on this message (a bug, a lost connection): nothing of it was written,
  retry with backoff like any transient failure; the other messages of the batch are kept.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Applied:
    note: str | None = None
    already: bool = False


@dataclass(frozen=True)
class Rejected:
    code: str
    reason: str
    # The ERROR answer was written by an earlier delivery of the same message (not again now).
    already: bool = False


@dataclass(frozen=True)
class Wait:
    reason: str
    delay: float
    # The error the message gets if it still waits after exchange_wait_timeout_seconds.
    code: str


@dataclass(frozen=True)
class Failed:
    reason: str


Outcome = Applied | Rejected | Wait | Failed
