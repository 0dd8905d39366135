"""Receiving an uploaded toolkit: in memory, never past the size limit, never on disk.

Django's own handlers keep a small upload in memory and write a larger one to a
temporary file. The import page uses this handler instead: the file is kept in memory
up to IMPORT_MAX_BYTES, and a larger one is skipped as it arrives (the rest of the
request is read and thrown away), so nothing of it is written anywhere and the page can
say the file is too large rather than fail.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class CappedUploadHandler(FileUploadHandler):
    """Holds each uploaded file in memory up to `limit` bytes; a larger file is dropped
    and its field named in `too_large`."""

    def __init__(self, request, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large: set[str] = set()
        self.buffer = io.BytesIO()
        self.size = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        if self.size > self.limit:
            self.too_large.add(self.field_name)
            self.buffer = io.BytesIO()
            raise SkipFile
        self.buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
