"""How a handler says that a message can't be applied (raised inside the message's savepoint, so
everything it wrote is rolled back). Business areas' DomainErrors are mapped in codes.py."""

from __future__ import annotations

from dealerhub.exchange.contracts import ErrorCode

# Seconds before a message that waits for something unknown is tried again.
WAIT_DELAY_SECONDS = 30.0


class Reject(Exception):
    """Bad input: the message will never apply as it is."""

    def __init__(self, code: ErrorCode, reason: str) -> None:
        super().__init__(f"{code.value}: {reason}")
        self.code = code
        self.reason = reason


class NotYet(Exception):
    """Something the message refers to is not known (or not ready) yet: try again later."""

    def __init__(self, code: ErrorCode, reason: str, delay: float = WAIT_DELAY_SECONDS) -> None:
        super().__init__(f"{code.value}: {reason}")
        self.code = code  # the error it becomes if the wait times out
        self.reason = reason
        self.delay = delay
