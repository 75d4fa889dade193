"""Attachments of notices and replies: checked before anything is stored (size, type by
both name and content, never a program or a page a browser would render), kept under the
app's files folder by their digest, and served only as downloads."""

import zipfile
from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from taizhang import files

KIND = "attachments"  # under TAIZHANG_HOME/files/

# What may be attached, by suffix, with how its content must begin (None: plain text).
ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ALLOWED = {
    ".pdf": (b"%PDF-",),
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".pptx": ZIP,
    ".doc": OLE,
    ".xls": OLE,
    ".ppt": OLE,
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".txt": None,
}
# Content that runs or renders, whatever the file is called.
FORBIDDEN_STARTS = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")
MACRO_PARTS = ("vbaproject.bin", "activex")


def _refuse(name, reason):
    raise ValidationError(_("%(name)s: %(reason)s") % {"name": name, "reason": reason})


def check(name: str, data: bytes) -> str:
    """The file's clean name if it may be attached, else ValidationError naming it."""
    name = PurePosixPath((name or "").replace("\\", "/")).name.strip()[:200]
    if not name:
        raise ValidationError(_("An attachment has no name."))
    if len(data) > settings.ATTACHMENT_MAX_BYTES:
        _refuse(name, _("larger than %(mb)s MB") % {"mb": settings.ATTACHMENT_MAX_BYTES // 2**20})
    if not data:
        _refuse(name, _("the file is empty"))
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in ALLOWED:
        _refuse(
            name,
            _("this type of file cannot be attached; attach %(types)s")
            % {"types": "、".join(sorted(s.lstrip(".") for s in ALLOWED))},
        )
    if data.startswith(FORBIDDEN_STARTS):
        _refuse(name, _("the file is a program"))
    starts = ALLOWED[suffix]
    if starts is None:
        head = data[:1024].lstrip().lower()
        if head.startswith(MARKUP) or b"<script" in data[:65536].lower():
            _refuse(name, _("the file is a web page, not plain text"))
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                data.decode("gb18030")
            except UnicodeDecodeError:
                _refuse(name, _("the file is not text"))
    elif not data.startswith(starts):
        _refuse(name, _("its content is not a %(suffix)s file") % {"suffix": suffix})
    elif starts is ZIP:
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                parts = [n.lower() for n in archive.namelist()]
        except zipfile.BadZipFile:
            _refuse(name, _("its content is not a %(suffix)s file") % {"suffix": suffix})
        if any(marker in part for part in parts for marker in MACRO_PARTS):
            _refuse(name, _("the file carries macros"))
    return name


def path_of(sha256: str):
    return files.path_of(KIND, sha256)


def store(data: bytes) -> str:
    return files.store(KIND, data)
