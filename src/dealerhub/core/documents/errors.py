from __future__ import annotations

from dealerhub.shared.errors import Conflict, DomainError


class DocumentNotInStatus(Conflict):
    """The document is not in a status that allows the operation (maybe someone else got there first)."""


class DocumentNotDraft(DocumentNotInStatus):
    """A posted document is never edited in place: unpost (reverse) it first."""


class InvalidDocument(DomainError):
    """The document's content breaks a rule (no lines, bad quantity, unknown item ...)."""
