"""The base of every business error. Each area defines specific subclasses
(InsufficientStock, DocumentNotDraft, ...); the web layer maps them to HTTP answers once."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the business refused the operation; nothing of it was written."""

    http_status = 422

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    @property
    def code(self) -> str:
        return type(self).__name__


class NotFound(DomainError):
    http_status = 404


class Conflict(DomainError):
    """The state changed under the caller (a concurrent update won)."""

    http_status = 409


class PermissionDenied(DomainError):
    http_status = 403
