"""Files uploaded on the admin's import page, laid out in a folder for import_paths().

A .zip is unpacked member by member: names that would land outside the
folder, links and special files are refused, and the total size and number
of members are capped before anything is written. A .zip that cannot be read
(damaged data, a name flagged UTF-8 that is not, a file and a folder of the
same name) or a write that fails stops the whole upload with an UploadError;
the caller removes the folder.
"""

from __future__ import annotations

import lzma
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File


class UploadError(Exception):
    pass


# What reading a broken .zip raises besides BadZipFile: a broken compressed stream
# (zlib, lzma, EOFError; bz2 raises OSError), a bad offset (OSError or ValueError as
# the upload is on disk or in memory), a name flagged UTF-8 that is not (a ValueError),
# a method zipfile lacks (NotImplementedError), a password (RuntimeError).
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


def _safe_name(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return path


def _write_error(what: str, error: OSError) -> UploadError:
    if isinstance(error, FileExistsError | NotADirectoryError | IsADirectoryError):
        # "posts" as a file and as the folder of "posts/a.md": no disk holds both.
        return UploadError(f"{what}: a file and a folder in the upload have the same name")
    return UploadError(f"{what} could not be unpacked: {error.strerror or error}")  # a full disk, a name too long


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
        try:
            with (directory / name).open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
        except OSError as error:
            raise _write_error(upload.name, error) from error
    return warnings


def _unzip(upload, directory: Path, warnings: list[str], budget: int) -> None:
    try:
        archive = zipfile.ZipFile(upload)
    except _UNREADABLE as error:
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
            what = f"{upload.name}: {member.filename}"
            target = directory / name
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as out:
                    written = 0
                    # file_size is what the archive claims; count what really comes out.
                    for chunk in _chunks(archive, member, what):
                        written += len(chunk)
                        if written > member.file_size:
                            raise UploadError(f"{what} is larger than the archive says")
                        out.write(chunk)
            except OSError as error:  # only the disk's: _chunks turns the archive's into UploadError
                raise _write_error(what, error) from error


def _chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo, what: str):
    try:
        with archive.open(member) as source:
            while chunk := source.read(1024 * 1024):
                yield chunk
    except _UNREADABLE as error:
        raise UploadError(f"{what} cannot be read, the .zip is damaged ({error})") from error


def keep(uploads, directory: Path) -> None:
    """Copy the request's uploads as they came (a .zip still zipped) under directory, for the
    import job to unpack: quick, so the request answers at once. Each in a folder of its own,
    numbered, so that two uploads of the same name both arrive."""
    for number, upload in enumerate(uploads):
        folder = directory / str(number)
        folder.mkdir(parents=True)
        name = PurePosixPath(upload.name.replace("\\", "/")).name
        name = name if name not in ("", ".", "..") else "upload"
        try:
            with (folder / name).open("xb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
        except OSError as error:
            raise _write_error(upload.name, error) from error


def kept(directory: Path) -> list[File]:
    """The uploads keep() wrote, as files unpack() reads (the caller closes them)."""
    folders = sorted((path for path in directory.iterdir() if path.name.isdigit()), key=lambda path: int(path.name))
    return [File(path.open("rb"), name=path.name) for folder in folders for path in folder.iterdir()]
