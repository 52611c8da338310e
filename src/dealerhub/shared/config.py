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

    # --- Dealer accounts and mail (issue 5, dealer cabinet) ---
    # Where links in e-mails point (invitations, password resets): the site's public address.
    # Never taken from the request's Host header, which a client chooses.
    public_url: str = "http://127.0.0.1:8000"
    # The SMTP server the mails go through (shared/mail.py).
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "dealerhub <noreply@localhost>"
    # STARTTLS after connecting (port 587); smtp_ssl: TLS from the start (port 465).
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_timeout_seconds: float = 10.0
    # Lifetimes of the links sent by e-mail.
    invitation_lifetime_hours: int = 72
    password_reset_lifetime_minutes: int = 60
    # Login throttling: failed logins (password or second factor) counted over the window, per
    # login and per client address; at the limit further logins are refused until the window moves.
    login_throttle_window_minutes: int = 15
    login_max_failures_per_account: int = 5
    login_max_failures_per_ip: int = 30


@lru_cache
def get_settings() -> Settings:
    return Settings()
