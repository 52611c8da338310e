"""Settings from environment variables (prefix DEALERHUB_), optionally from a .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

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


@lru_cache
def get_settings() -> Settings:
    return Settings()
