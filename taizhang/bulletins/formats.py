"""A bulletin in each format it is downloaded in, for the page and the command alike."""

from taizhang.bulletins import appendix, pdf, text, word

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain; charset=utf-8",
    "pdf": "application/pdf",
}


def produce(bulletin, fmt, traditional=False) -> bytes:
    if fmt == "txt":
        return text.plain(bulletin, traditional).encode("utf-8")
    if fmt == "docx":
        return word.document(bulletin, traditional)
    if fmt == "xlsx":
        return appendix.appendix(bulletin)
    if fmt == "pdf":
        return pdf.from_docx(word.document(bulletin, traditional))
    raise ValueError(fmt)
