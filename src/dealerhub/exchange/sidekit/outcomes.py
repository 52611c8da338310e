"""What applying one inbound message came to (for the consumer to settle in the exchange), and the
two exceptions a handler raises to say "never as it is" or "not yet".

- Applied: the effect (or, `already`, an earlier delivery's effect) is in the side's database; an
  ACK is in its outbox (not a second one for a redelivery).
- Rejected: bad input; nothing of it applied; the ERROR answer is already in the outbox.
- Wait: something the message refers to is not known yet; nothing written; try again after `delay`
  seconds (`code`: the error it becomes if it waits longer than the exchange's wait timeout).
- Failed: this message raised (a bug, a database error in its savepoint): nothing of it written;
  retried with backoff like any transient failure; the other messages of the batch are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from dealerhub.exchange.contracts import ErrorCode

# Seconds before a message that waits for something unknown is tried again.
WAIT_DELAY_SECONDS = 30.0


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
    code: str


@dataclass(frozen=True)
class Failed:
    reason: str


Outcome = Applied | Rejected | Wait | Failed


class Reject(Exception):
    """Bad input: the message will never apply as it is (raised inside its savepoint)."""

    def __init__(self, code: ErrorCode, reason: str) -> None:
        super().__init__(f"{code.value}: {reason}")
        self.code = code
        self.reason = reason


class NotYet(Exception):
    """Something the message refers to is not known (or not ready) yet: try again later."""

    def __init__(self, code: ErrorCode, reason: str, delay: float = WAIT_DELAY_SECONDS) -> None:
        super().__init__(f"{code.value}: {reason}")
        self.code = code
        self.reason = reason
        self.delay = delay
