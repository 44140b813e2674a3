"""Local media storage whose files appear whole or not at all.

Django's FileSystemStorage writes a file in place, chunk by chunk: a full disk
or a killed process leaves a truncated or empty picture under its final name.
Here the bytes go to a hidden temporary file beside it first, which Django then
moves into place (the same move it uses for large uploads); a failed write
removes the temporary file. A process killed mid-write can still leave one:
prune_media removes those with the other files no row references.
"""

from __future__ import annotations

import contextlib
import os
import tempfile

from django.core.files.storage import FileSystemStorage

PARTIAL_PREFIX = ".partial-"


class _WrittenFile:
    """A complete file on disk, handed to FileSystemStorage._save() to be moved into place."""

    def __init__(self, path: str):
        self.path = path

    def temporary_file_path(self) -> str:
        return self.path


class WholeFileStorage(FileSystemStorage):
    def _save(self, name, content):
        if hasattr(content, "temporary_file_path"):  # already whole on disk (a large upload)
            return super()._save(name, content)
        directory = os.path.dirname(self.path(name))
        os.makedirs(directory, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=directory, prefix=PARTIAL_PREFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk.encode() if isinstance(chunk, str) else chunk)
            return super()._save(name, _WrittenFile(partial))
        finally:
            with contextlib.suppress(FileNotFoundError):  # moved into place, or the write failed
                os.unlink(partial)
