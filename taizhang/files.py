"""Files the app keeps (notices' attachments, courses' media): under `TAIZHANG_HOME/files/`
(so a backup carries them), each by its SHA-256 digest, written whole or not at all."""

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

FILES = "files"


def folder(kind: str) -> Path:
    return Path(settings.DATA_DIR) / FILES / kind


def path_of(kind: str, sha256: str) -> Path:
    return folder(kind) / sha256[:2] / sha256


def store(kind: str, data: bytes) -> str:
    """Keep the bytes under their digest (once, however often they are stored)."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_of(kind, digest)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)
    return digest


def store_chunks(kind: str, chunks) -> tuple[str, int]:
    """Keep a large upload read in chunks (never whole in memory): (digest, size)."""
    base = folder(kind)
    base.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    handle, name = tempfile.mkstemp(dir=base, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        target = path_of(kind, digest.hexdigest())
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size
