"""Small media made on the spot for the course library, so nothing is downloaded: a WAV
tone, a one-page PDF in Chinese (the reader's own CJK font, nothing embedded) and, where
ffmpeg is installed, a short silent WebM video."""

import io
import math
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path


def wav(seconds=3, rate=8000, pitch=440) -> bytes:
    """A tone of `seconds`, 8-bit mono."""
    frames = bytes(
        int(128 + 60 * math.sin(2 * math.pi * pitch * n / rate)) for n in range(seconds * rate)
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()


def _utf16_hex(text):
    return "".join(f"{ord(c):04X}" for c in text)


def pdf(title: str, lines: list[str]) -> bytes:
    """One A4 page: the title and the lines, set in the standard Chinese font STSong-Light
    (the reader substitutes its own, as for any non-embedded CJK font)."""
    y = 760
    content = ["BT", "/F1 22 Tf", f"72 {y} Td", f"<{_utf16_hex(title)}> Tj", "ET"]
    for line in lines:
        y -= 34
        content += ["BT", "/F1 14 Tf", f"72 {y} Td", f"<{_utf16_hex(line)}> Tj", "ET"]
    stream = "\n".join(content).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    start = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{start}\n%%EOF\n".encode()
    )
    return out.getvalue()


def webm(seconds=4) -> bytes | None:
    """A short silent test-pattern video, or None without ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    with tempfile.TemporaryDirectory() as work:
        target = Path(work) / "course.webm"
        result = subprocess.run(
            [ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i",
             f"testsrc=size=320x180:rate=15:duration={seconds}", "-c:v", "libvpx",
             "-b:v", "200k", "-an", str(target)],
            capture_output=True, timeout=60,
        )  # fmt: skip
        return target.read_bytes() if result.returncode == 0 and target.exists() else None
