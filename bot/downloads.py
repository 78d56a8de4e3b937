"""Serve generated files (charts, reports) at their signed links (core.links).

An expired or tampered token gets a clear Thai page, never a traceback.
"""
from __future__ import annotations

import mimetypes

from flask import Blueprint, Response, current_app, send_file
from itsdangerous import BadSignature, SignatureExpired

from core.links import resolve_token
from line import texts

bp = Blueprint("downloads", __name__)


def _page(message: str, status: int) -> Response:
    html = f"<!doctype html><meta charset=utf-8><title>Tidtam</title><p style='font:18px sans-serif'>{message}</p>"
    return Response(html, status=status, mimetype="text/html")


@bp.get("/files/<token>")
def download(token: str):
    settings = current_app.extensions["tidtam"].settings
    try:
        path, name = resolve_token(settings, token)
    except SignatureExpired:
        return _page(texts.LINK_EXPIRED, 410)
    except (BadSignature, FileNotFoundError, ValueError, TypeError):
        return _page(texts.LINK_INVALID, 404)
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = mimetype.startswith("image/")
    return send_file(path, mimetype=mimetype, as_attachment=not inline, download_name=name, max_age=3600)
