"""Settings from environment variables (prefix DEALERHUB_), optionally from a .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

VAR_DIR = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEALERHUB_", env_file=".env", extra="ignore")

    core_database_url: str = Field(default=f"sqlite:///{VAR_DIR}/core.sqlite3")
    wms_database_url: str = Field(default=f"sqlite:///{VAR_DIR}/wms.sqlite3")
    exchange_database_url: str = Field(default=f"sqlite:///{VAR_DIR}/exchange.sqlite3")

    # Languages the catalog keeps names and descriptions in; the first is the distributor's own.
    languages: list[str] = ["ru", "en", "zh"]
    ui_languages: list[str] = ["ru", "en"]
    default_language: str = "ru"

    # Signs short-lived tokens (the login form's CSRF pair). Every web worker must share it: set
    # DEALERHUB_SECRET_KEY in production; without it a key is kept in var/secret_key.
    secret_key: SecretStr | None = None
    secret_key_file: Path = VAR_DIR / "secret_key"

    session_lifetime_hours: int = 12
    # Cookies marked Secure: set true behind HTTPS.
    secure_cookies: bool = False
    log_level: str = "INFO"

    # --- the exchange, the core's outbound side (core/outbox) ---
    # Contractors go to the WMS (COUNTERPARTY) "upfront": on every create and change, or "lazy":
    # just before the first ORDERS/ASN that refers to one (and on changes of those already sent).
    # DEALERHUB_EXCHANGE_COUNTERPARTIES.
    exchange_counterparties: Literal["upfront", "lazy"] = "lazy"
    # Languages of item/group names and descriptions sent to the WMS (GOODS, CLASSIFIER), comma
    # separated: DEALERHUB_EXCHANGE_LANGUAGES=ru,en.
    exchange_languages: Annotated[list[str], NoDecode] = ["ru", "en"]

    @field_validator("exchange_languages", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [lang.strip() for lang in value.split(",") if lang.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
