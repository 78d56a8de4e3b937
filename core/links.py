"""Generated files (charts, reports) at unguessable, expiring, signed addresses.

A link carries a token signed with itsdangerous (SECRET_KEY) naming a file
under the generated folder; bot.downloads serves it. A path can never leave
that folder.
"""
from __future__ import annotations

import secrets
from pathlib import Path

from itsdangerous import URLSafeTimedSerializer

from core.settings import Settings

SALT = "tidtam-files"
LINK_MAX_AGE = 24 * 3600


def generated_dir(settings: Settings) -> Path:
    root = Path(settings.generated_dir)
    root.mkdir(parents=True, exist_ok=True)
    return root


def new_file_path(settings: Settings, suffix: str) -> Path:
    """A fresh, unguessable file name in the generated folder."""
    return generated_dir(settings) / f"{secrets.token_urlsafe(18)}{suffix}"


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.signing_key, salt=SALT)


def signed_url(settings: Settings, path: Path, *, download_name: str | None = None) -> str:
    """The public address of a generated file."""
    token = _serializer(settings).dumps({"f": path.name, "n": download_name or path.name})
    return f"{settings.public_base_url.rstrip('/')}/files/{token}"


def resolve_token(settings: Settings, token: str, max_age: int = LINK_MAX_AGE) -> tuple[Path, str]:
    """The file a token names; raises SignatureExpired / BadSignature / FileNotFoundError."""
    data = _serializer(settings).loads(token, max_age=max_age)
    name = str(data.get("f", ""))
    root = generated_dir(settings).resolve()
    path = (root / name).resolve()
    if path.parent != root or not path.is_file():
        raise FileNotFoundError(name)
    return path, str(data.get("n") or name)
