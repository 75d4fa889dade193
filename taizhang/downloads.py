from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

from taizhang.xlsx import XLSX_CONTENT_TYPE


def xlsx_response(data: bytes, stem: str) -> HttpResponse:
    """An .xlsx download named stem-YYYYmmdd.xlsx (Chinese names are encoded per RFC 6266)."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    name = f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response
