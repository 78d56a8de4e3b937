"""Generated files (charts, reports) served at unguessable, expiring, signed URLs.

A link carries a token signed with itsdangerous (SECRET_KEY) naming a file
under ``instance/generated``; an expired or tampered token gets a clear page,
never a traceback, and a path can never leave that folder.
"""
from __future__ import annotations

import mimetypes
import secrets
from pathlib import Path

from flask import Blueprint, Response, current_app, send_file
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from bot import texts
from bot.settings import PROJECT_ROOT, Settings

bp = Blueprint("files", __name__)
SALT = "tidtam-files"
GENERATED_DIR = PROJECT_ROOT / "instance" / "generated"


def generated_dir(settings: Settings) -> Path:
    root = Path(settings.generated_dir or GENERATED_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


def new_file_path(settings: Settings, suffix: str) -> Path:
    """A fresh, unguessable file name in the generated folder."""
    return generated_dir(settings) / f"{secrets.token_urlsafe(18)}{suffix}"


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.signing_key, salt=SALT)


def signed_url(settings: Settings, path: Path, *, download_name: str | None = None) -> str:
    """The public HTTPS address of a generated file."""
    token = _serializer(settings).dumps({"f": path.name, "n": download_name or path.name})
    return f"{settings.public_base_url.rstrip('/')}/files/{token}"


def resolve_token(settings: Settings, token: str, max_age: int) -> tuple[Path, str]:
    """The file a token names; raises SignatureExpired / BadSignature / FileNotFoundError."""
    data = _serializer(settings).loads(token, max_age=max_age)
    name = str(data.get("f", ""))
    root = generated_dir(settings).resolve()
    path = (root / name).resolve()
    if path.parent != root or not path.is_file():
        raise FileNotFoundError(name)
    return path, str(data.get("n") or name)


LINK_MAX_AGE = 24 * 3600


def _page(message: str, status: int) -> Response:
    html = f"<!doctype html><meta charset=utf-8><title>Tidtam</title><p style='font:18px sans-serif'>{message}</p>"
    return Response(html, status=status, mimetype="text/html")


@bp.get("/files/<token>")
def download(token: str):
    settings = current_app.extensions["tidtam"].settings
    try:
        path, name = resolve_token(settings, token, LINK_MAX_AGE)
    except SignatureExpired:
        return _page(texts.LINK_EXPIRED, 410)
    except (BadSignature, FileNotFoundError, ValueError, TypeError):
        return _page(texts.LINK_INVALID, 404)
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = mimetype.startswith("image/")
    return send_file(path, mimetype=mimetype, as_attachment=not inline, download_name=name, max_age=3600)
