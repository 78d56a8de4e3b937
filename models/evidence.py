"""Evidence files: stored once under their content hash, never under a user-supplied name."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from models.org import Officer
from models.reports import Evidence

EXTENSIONS = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
    "application/pdf": ".pdf", "video/mp4": ".mp4",
}


class EvidenceError(Exception):
    """The evidence could not be stored."""


def evidence_path(root: str | Path, sha256: str, content_type: str) -> Path:
    """Where a file with this hash lives: <root>/<first two hex digits>/<hash><ext>."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise EvidenceError("not a sha256 digest")
    return Path(root) / sha256[:2] / (sha256 + EXTENSIONS.get(content_type.split(";")[0].strip(), ".bin"))


def safe_display_name(name: str | None) -> str | None:
    """Keep a file name for display only: no directories, no control characters."""
    if not name:
        return None
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip(". ")
    return base[:255] or None


def store_evidence(session: Session, *, evidence_dir: str | Path, data: bytes, content_type: str, officer: Officer,
                   line_message_id: str | None, original_name: str | None, now: datetime) -> Evidence:
    """Write the bytes (atomically, once per content) and record them for this officer."""
    digest = hashlib.sha256(data).hexdigest()
    path = evidence_path(evidence_dir, digest, content_type)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
    except OSError as exc:
        raise EvidenceError(str(exc)) from None
    evidence = Evidence(organisation_id=officer.organisation_id, officer_id=officer.id, sha256=digest,
                        stored_path=str(path.relative_to(evidence_dir)), content_type=content_type[:100],
                        size=len(data), original_name=safe_display_name(original_name),
                        line_message_id=line_message_id, created_at=now)
    session.add(evidence)
    session.flush()
    return evidence
