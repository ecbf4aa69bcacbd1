"""How large an uploaded episode file may be, for the import page and the API alike."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from ninja.files import UploadedFile

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class TooLarge(RequestDataTooBig):
    """Like Django's own refusal of a large body, but naming the field that was too large."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def upload_bytes(file: UploadedFile) -> bytes:
    """The uploaded episode file, refused (413, naming `file`) above the limit."""
    if file.size is None or file.size > MAX_UPLOAD_BYTES:
        raise TooLarge(f"file: larger than {MAX_UPLOAD_BYTES // 2**20} MB.", field="file")
    return file.read()
