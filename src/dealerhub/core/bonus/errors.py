"""What the bonus programs refuse; nothing of a refused operation is written."""

from __future__ import annotations

from dealerhub.shared.errors import Conflict, DomainError, NotFound


class ProgramNotFound(NotFound):
    pass


class InvalidProgram(DomainError):
    """A program's rules don't hold together (a tier, a target, the dates, the cap)."""


class ProgramCodeTaken(Conflict):
    pass


class InvalidBonusUse(DomainError):
    """Bonus asked for an order beyond the balance, the program's cap, or from a program that
    doesn't allow it."""
