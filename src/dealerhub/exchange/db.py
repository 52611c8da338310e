"""The exchange database's declarative base and its tables (exchange.models)."""

from dealerhub.shared.db import declarative_base

ExchangeBase = declarative_base("ExchangeBase")


def load_all_models() -> None:
    """Import every exchange table module."""
    import dealerhub.exchange.models  # noqa: F401
