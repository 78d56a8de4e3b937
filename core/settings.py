"""Typed settings read from the environment, failing fast with a clear message.

Every name here is part of the product's contract with deployments and
outside tools; see the README's configuration table.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "test", "production")
DEV_CHANNEL_SECRET = "tidtam-development-secret"


class SettingsError(RuntimeError):
    """A setting is missing or malformed; the message names the variable."""


def normalize_database_url(url: str) -> str:
    """Point postgres:// and postgresql:// URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _default_database_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'instance' / 'tidtam.db'}"


@dataclass(frozen=True)
class Settings:
    env: str = "production"
    line_channel_secret: str = ""
    line_channel_access_token: str = ""
    line_api_base_url: str = "https://api.line.me"
    line_data_api_base_url: str = "https://api-data.line.me"
    database_url: str = field(default_factory=_default_database_url)
    public_base_url: str = "http://localhost:8000"
    bot_timezone: str = "Asia/Bangkok"
    port: int = 8000
    secret_key: str = ""
    evidence_dir: str = str(PROJECT_ROOT / "instance" / "evidence")
    generated_dir: str = str(PROJECT_ROOT / "instance" / "generated")
    evidence_max_bytes: int = 10 * 1024 * 1024
    flow_timeout_minutes: int = 30
    outbox_stale_seconds: int = 120  # a push claimed this long ago by a dead clock is sent again
    webhook_stale_seconds: int = 60  # a webhook event claimed this long ago by a dead worker is handled again
    webhook_retention_days: int = 90  # finished webhook events (raw messages) are removed after this; 0 keeps them
    handler_threads: int = 4  # per process: threads that handle stored webhook events
    event_handlers: str = "web"  # web: the web process handles what it stores; worker: the worker process (bot.worker) does
    worker_nice: int = 10  # the worker yields the CPU to the web process, which must answer LINE within 2 s
    line_connect_timeout: float = 3.0
    line_read_timeout: float = 10.0
    max_body_bytes: int = 1024 * 1024

    @property
    def is_development(self) -> bool:
        return self.env in ("development", "test")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.bot_timezone)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from environment variables (or the mapping given)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        app_env = env.get("TIDTAM_ENV", "production").strip().lower()
        if app_env not in ENVIRONMENTS:
            raise SettingsError(f"TIDTAM_ENV must be one of {', '.join(ENVIRONMENTS)}, not {app_env!r}")
        values["env"] = app_env
        string_vars = {
            "LINE_CHANNEL_SECRET": "line_channel_secret",
            "LINE_CHANNEL_ACCESS_TOKEN": "line_channel_access_token",
            "LINE_API_BASE_URL": "line_api_base_url",
            "LINE_DATA_API_BASE_URL": "line_data_api_base_url",
            "PUBLIC_BASE_URL": "public_base_url",
            "BOT_TIMEZONE": "bot_timezone",
            "SECRET_KEY": "secret_key",
            "EVIDENCE_DIR": "evidence_dir",
            "GENERATED_DIR": "generated_dir",
            "EVENT_HANDLERS": "event_handlers",
        }
        for var, name in string_vars.items():
            if env.get(var):
                values[name] = env[var].strip()
        if env.get("DATABASE_URL"):
            values["database_url"] = normalize_database_url(env["DATABASE_URL"].strip())
        int_vars = {
            "PORT": "port",
            "EVIDENCE_MAX_BYTES": "evidence_max_bytes",
            "FLOW_TIMEOUT_MINUTES": "flow_timeout_minutes",
            "OUTBOX_STALE_SECONDS": "outbox_stale_seconds",
            "WEBHOOK_STALE_SECONDS": "webhook_stale_seconds",
            "WEBHOOK_RETENTION_DAYS": "webhook_retention_days",
            "HANDLER_THREADS": "handler_threads",
            "WORKER_NICE": "worker_nice",
        }
        for var, name in int_vars.items():
            if env.get(var):
                try:
                    values[name] = int(env[var])
                except ValueError:
                    raise SettingsError(f"{var} must be a whole number, not {env[var]!r}") from None
        return cls(**values).validated()

    def with_overrides(self, overrides: dict[str, object] | None) -> Settings:
        """Return a copy with the given fields replaced (used by tests and create_app)."""
        if not overrides:
            return self
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        changed = dict(overrides)
        if "database_url" in changed:
            changed["database_url"] = normalize_database_url(str(changed["database_url"]))
        return replace(self, **changed).validated()

    def validated(self) -> Settings:
        """Check the combination of values; raise SettingsError naming the variable."""
        if not self.is_development:
            for var, value in (
                ("LINE_CHANNEL_SECRET", self.line_channel_secret),
                ("LINE_CHANNEL_ACCESS_TOKEN", self.line_channel_access_token),
            ):
                if not value:
                    raise SettingsError(
                        f"{var} is not set. Copy it from the LINE Developers console "
                        "(Messaging API channel), or set TIDTAM_ENV=development to run without LINE."
                    )
            if not self.secret_key:
                raise SettingsError("SECRET_KEY is not set (any long random string; it signs download links).")
        try:
            ZoneInfo(self.bot_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(f"BOT_TIMEZONE {self.bot_timezone!r} is not a known time zone") from None
        for var, url in (("LINE_API_BASE_URL", self.line_api_base_url),
                         ("LINE_DATA_API_BASE_URL", self.line_data_api_base_url)):
            if not url.startswith(("http://", "https://")):
                raise SettingsError(f"{var} must start with http:// or https://")
        if not 1 <= self.handler_threads <= 64:
            raise SettingsError("HANDLER_THREADS must be between 1 and 64")
        if self.event_handlers not in ("web", "worker"):
            raise SettingsError(f"EVENT_HANDLERS must be web or worker, not {self.event_handlers!r}")
        if not 0 <= self.worker_nice <= 19:
            raise SettingsError("WORKER_NICE must be between 0 and 19")
        if self.webhook_retention_days < 0:
            raise SettingsError("WEBHOOK_RETENTION_DAYS must be 0 (keep every event) or more days")
        return self

    @property
    def channel_secret(self) -> str:
        """The channel secret, or a fixed development secret the simulator signs with."""
        return self.line_channel_secret or DEV_CHANNEL_SECRET

    @property
    def signing_key(self) -> str:
        """Key for signed links: SECRET_KEY, or a fixed development key."""
        return self.secret_key or "tidtam-development-only-key"
