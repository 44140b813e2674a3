"""Which documents the library takes: an allow-list checked on the bytes, never on the name or the
browser's content type. PDF; Word, Excel and PowerPoint (Office Open XML, without macros);
OpenDocument text, spreadsheet and presentation. Nothing else: HTML, SVG, scripts and
executables renamed .pdf are refused, and so are legacy binary Office files (.doc, .xls), which
carry macros unseen. A zip-based file is read only as its list of members and, for
OpenDocument, its short "mimetype" member; nothing is unpacked."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str
    label: str


PDF = Kind("pdf", "application/pdf", "PDF")
OOXML = {
    "word/document.xml": Kind(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document"
    ),
    "xl/workbook.xml": Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel sheet"),
    "ppt/presentation.xml": Kind(
        "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint"
    ),
}
ODF = {
    b"application/vnd.oasis.opendocument.text": Kind(
        "odt", "application/vnd.oasis.opendocument.text", "OpenDocument text"
    ),
    b"application/vnd.oasis.opendocument.spreadsheet": Kind(
        "ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet"
    ),
    b"application/vnd.oasis.opendocument.presentation": Kind(
        "odp", "application/vnd.oasis.opendocument.presentation", "OpenDocument presentation"
    ),
}
KINDS = [PDF, *OOXML.values(), *ODF.values()]
MAX_ZIP_MEMBERS = 5_000
REFUSED = "Only PDF, Word, Excel, PowerPoint and OpenDocument files can be uploaded (checked by their content)."


def refuse(message: str) -> ValidationError:
    return ValidationError(message, code="document_refused")


def check_size(size: int | None) -> None:
    limit = settings.NEWSROOM_DOCUMENT_MAX_BYTES
    if size is not None and size > limit:
        raise refuse(f"The file is larger than {limit // (1024 * 1024)} MB.")
    if size == 0:
        raise refuse("The file is empty.")


def document_kind(data: bytes) -> Kind:
    """What data is, by its content; ValidationError when it is not on the allow-list."""
    check_size(len(data))
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    raise refuse(REFUSED)


def _zip_kind(data: bytes) -> Kind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise refuse(REFUSED)
        names = {member.filename for member in members}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise refuse("Office files with macros are refused; save it without macros (.docx, .xlsx, .pptx).")
        if "[Content_Types].xml" in names:
            for part, kind in OOXML.items():
                if part in names:
                    return kind
        first = members[0] if members else None
        if first is not None and first.filename == "mimetype" and first.file_size <= 100:
            kind = ODF.get(archive.read(first).strip())
            if kind is not None:
                return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, NotImplementedError) as error:
        raise refuse(REFUSED) from error
    raise refuse(REFUSED)
