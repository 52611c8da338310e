"""Settings from environment variables (prefix DEALERHUB_), optionally from a .env file."""

from __future__ import annotations

import re
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
    # Files dealers and staff attach (claim photos, message attachments) are kept in the core's
    # database; a larger file is refused. DEALERHUB_ATTACHMENT_MAX_BYTES.
    attachment_max_bytes: int = 10 * 1024 * 1024

    # --- the exchange (issue 3; dealerhub.exchange) ---
    # Who the core is in the exchange (sender of its messages) and who its WMS is (their receiver).
    exchange_node: str = "core"
    exchange_peer: str = "wms"
    # Transient failures (a handler raised) are retried with backoff; after this many the message is dead.
    exchange_max_attempts: int = 10
    # A claimed message is the worker's for this long; after it (a crashed worker) it is claimable again.
    exchange_lease_seconds: int = 60
    # A message that waits for something the receiver does not know yet becomes `error` after this long.
    exchange_wait_timeout_seconds: int = 3600
    # Done messages older than this are moved to exchange_messages_archive.
    exchange_retention_days: int = 30
    # Messages claimed and handled per batch, and the pause when there was nothing to do.
    exchange_batch_size: int = 100
    exchange_poll_seconds: float = 1.0

    # --- the exchange, the core's outbound side (core/outbox) ---
    # Contractors go to the WMS (COUNTERPARTY) "upfront": on every create and change, or "lazy":
    # just before the first ORDERS/ASN that refers to one (and on changes of those already sent).
    # DEALERHUB_EXCHANGE_COUNTERPARTIES.
    exchange_counterparties: Literal["upfront", "lazy"] = "lazy"
    # Languages of item/group names and descriptions sent to the WMS (GOODS, CLASSIFIER), comma
    # separated: DEALERHUB_EXCHANGE_LANGUAGES=ru,en.
    exchange_languages: Annotated[list[str], NoDecode] = ["ru", "en"]

    # WMS (issue 4; dealerhub.wms): its name in the exchange and its peer (the accounting core):
    # DEALERHUB_WMS_EXCHANGE_NODE, DEALERHUB_WMS_EXCHANGE_PEER.
    wms_exchange_node: str = "wms"
    wms_exchange_peer: str = "core"
    # A counted line whose difference from the book passes this share of the book is counted again.
    wms_recount_threshold_percent: int = 5
    # REMAINS: a snapshot of every warehouse this often from `dealerhub wms exchange run` (0: only on
    # request), in messages of at most this many rows.
    wms_remains_every_minutes: int = 0
    wms_remains_part_rows: int = 1000

    @field_validator("exchange_languages", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            value = [lang.strip() for lang in value.split(",") if lang.strip()]
        bad = [lang for lang in value if not re.fullmatch(r"[a-z]{2}", str(lang))] if isinstance(value, list) else []
        if bad:  # the exchange's contract names languages by two lower-case letters (ISO 639-1)
            raise ValueError(f"exchange_languages: {', '.join(map(str, bad))} is not a language like ru or en")
        return value
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
