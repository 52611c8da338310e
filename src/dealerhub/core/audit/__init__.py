"""The audit trail: who changed what, when, from which status."""

from dealerhub.core.audit.service import list_for, record_change

__all__ = ["list_for", "record_change"]
