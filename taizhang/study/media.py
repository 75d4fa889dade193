"""A course's file: a video, an audio recording or a PDF, told by its name and checked by its
content before anything is kept; never a program or a page a browser would render."""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from taizhang.study.models import CourseMedia

KIND = "courses"  # under TAIZHANG_HOME/files/


def _iso_media(head):
    return head[4:8] == b"ftyp"


def _mp3(head):
    return head.startswith(b"ID3") or (head[:1] == b"\xff" and head[1] & 0xE0 == 0xE0)


def _wav(head):
    return head.startswith(b"RIFF") and head[8:12] == b"WAVE"


# suffix: (media, content type served, check of the first bytes)
FORMATS = {
    ".mp4": (CourseMedia.VIDEO, "video/mp4", _iso_media),
    ".m4v": (CourseMedia.VIDEO, "video/mp4", _iso_media),
    ".webm": (CourseMedia.VIDEO, "video/webm", lambda h: h.startswith(b"\x1a\x45\xdf\xa3")),
    ".mp3": (CourseMedia.AUDIO, "audio/mpeg", _mp3),
    ".m4a": (CourseMedia.AUDIO, "audio/mp4", _iso_media),
    ".ogg": (CourseMedia.AUDIO, "audio/ogg", lambda h: h.startswith(b"OggS")),
    ".wav": (CourseMedia.AUDIO, "audio/wav", _wav),
    ".pdf": (CourseMedia.PDF, "application/pdf", lambda h: h.startswith(b"%PDF-")),
}
PROGRAMS = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"PK\x03\x04")


def check(name: str, size: int, head: bytes) -> tuple[str, str]:
    """(clean name, media) of an upload whose first bytes are `head`, or ValidationError
    naming the file and what is wrong."""
    name = PurePosixPath((name or "").replace("\\", "/")).name.strip()[:200]

    def refuse(reason):
        raise ValidationError(
            {"file": _("%(name)s: %(reason)s") % {"name": name, "reason": reason}}
        )

    if not name:
        raise ValidationError({"file": _("Choose the course's file.")})
    if size > settings.COURSE_MAX_BYTES:
        refuse(_("larger than %(mb)s MB") % {"mb": settings.COURSE_MAX_BYTES // 2**20})
    if size == 0:
        refuse(_("the file is empty"))
    suffix = PurePosixPath(name.lower()).suffix
    if suffix not in FORMATS:
        refuse(
            _("a course is a video, an audio recording or a PDF: %(types)s")
            % {"types": "、".join(s.lstrip(".") for s in FORMATS)}
        )
    if head.startswith(PROGRAMS):
        refuse(_("the file is a program"))
    media, _type, fits = FORMATS[suffix]
    if not fits(head):
        refuse(_("its content is not a %(suffix)s file") % {"suffix": suffix})
    return name, media


def content_type(name: str) -> str:
    return FORMATS.get(PurePosixPath(name.lower()).suffix, (None, "application/octet-stream"))[1]
