"""Files uploaded on the admin's import page, laid out in a folder for import_paths().

A .zip is unpacked member by member: names that would land outside the
folder, links and special files are refused, and the total size and number
of members are capped before anything is written.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings


class UploadError(Exception):
    pass


def _safe_name(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return path


def unpack(uploads, directory: Path) -> list[str]:
    """Write uploads (Django UploadedFile objects) under directory; return warnings."""
    warnings: list[str] = []
    budget = settings.NEWSROOM_IMPORT_MAX_UPLOAD_BYTES
    for upload in uploads:
        name = _safe_name(PurePosixPath(upload.name).name)
        if name is None:
            warnings.append(f"{upload.name}: refused name")
            continue
        if name.suffix.lower() == ".zip":
            _unzip(upload, directory, warnings, budget)
            continue
        if upload.size > budget:
            raise UploadError(f"{upload.name} is larger than {budget:,} bytes")
        target = directory / name
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return warnings


def _unzip(upload, directory: Path, warnings: list[str], budget: int) -> None:
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile as error:
        raise UploadError(f"{upload.name} is not a readable .zip file") from error
    with archive:
        members = archive.infolist()
        if len(members) > settings.NEWSROOM_IMPORT_MAX_ZIP_MEMBERS:
            raise UploadError(f"{upload.name} has more than {settings.NEWSROOM_IMPORT_MAX_ZIP_MEMBERS:,} files")
        if sum(member.file_size for member in members) > budget:
            raise UploadError(f"{upload.name} unpacks to more than {budget:,} bytes")
        for member in members:
            if member.is_dir():
                continue
            # Unix file type in the high bits; 0 means "not recorded" (Windows, writestr).
            kind = stat.S_IFMT(member.external_attr >> 16)
            name = _safe_name(member.filename)
            if name is None or kind not in (0, stat.S_IFREG):
                warnings.append(f"{upload.name}: {member.filename} refused (outside the folder, or a link)")
                continue
            target = directory / name
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with archive.open(member) as source, target.open("wb") as out:
                # file_size is what the archive claims; count what really comes out.
                while chunk := source.read(1024 * 1024):
                    written += len(chunk)
                    if written > member.file_size:
                        raise UploadError(f"{upload.name}: {member.filename} is larger than the archive says")
                    out.write(chunk)
