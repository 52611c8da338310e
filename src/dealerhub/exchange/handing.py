"""What the worker hands a side's handler (Inbound: a message whose envelope and payload passed
the contract) and what it gets back per message (an Outcome), and a batch's tally (BatchResult)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from dealerhub.exchange.contracts import Contract, Envelope, ErrorCode
from dealerhub.exchange.records import MessageRecord


@dataclass(frozen=True)
class Applied:
    """The message took effect (or had taken effect before: the receiver's inbox knew it)."""


@dataclass(frozen=True)
class Rejected:
    """Bad input: the message becomes `error` (permanent until someone retries it)."""

    code: ErrorCode | str
    reason: str


@dataclass(frozen=True)
class Wait:
    """Something the message refers to is not known yet: try again after `delay`, without counting
    the attempt; after the wait timeout (since the message was created) it becomes `error` with `code`."""

    reason: str
    delay: timedelta = timedelta(seconds=30)
    code: ErrorCode | str = ErrorCode.UNKNOWN_ITEM


@dataclass(frozen=True)
class Failed:
    """A transient failure of this one message: retried with backoff, dead after the last attempt."""

    error: str


Outcome = Applied | Rejected | Wait | Failed


@dataclass(frozen=True)
class Inbound:
    """A valid message handed to a handler."""

    id: int  # the exchange row's id (the key of the outcomes)
    envelope: Envelope
    payload: Contract
    record: MessageRecord

    @property
    def message_id(self) -> str:
        return self.envelope.message_id

    @property
    def type(self) -> str:
        return self.envelope.type


Handler = Callable[[list[Inbound]], Mapping[int, Outcome]]


@dataclass
class BatchResult:
    taken: int = 0
    applied: int = 0
    rejected: int = 0
    waiting: int = 0
    failed: int = 0
    by_type: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        types = ", ".join(f"{t} {n}" for t, n in sorted(self.by_type.items()))
        return (
            f"{self.taken} taken ({types}): {self.applied} applied, {self.rejected} rejected, "
            f"{self.waiting} waiting, {self.failed} failed"
        )
