"""Turning untrusted bytes into a stored Image row.

Every way a picture enters Newsroom (the admin's Image form, the editor's
upload endpoint, sample content, the importer) goes through process_upload():
byte and pixel caps before decoding, Pillow decodes it fully, the picture is
re-encoded in its detected format (so nothing but pixels survives: no script
in a polyglot, no GPS, no colour profile: the pixels are converted to sRGB),
EXIF orientation is applied, and the stored name is generated, never taken
from the client. Metadata that cannot be read counts as none.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, IptcImagePlugin

from articles.images.decode import FORMATS, open_picture
from articles.images.renditions import PROFILE_MODES, SRGB, make_for_new_file
from articles.models import Image

EXIF_ARTIST, EXIF_COPYRIGHT = 0x013B, 0x8298
IPTC_BYLINE, IPTC_CREDIT, IPTC_COPYRIGHT = (2, 80), (2, 110), (2, 116)

logger = logging.getLogger("articles.images")


@dataclass(frozen=True)
class ProcessedImage:
    content: ContentFile
    width: int
    height: int
    checksum: str
    credit: str
    copyright: str


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else b""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value or "").replace("\x00", "").split())[:255]


def _embedded_rights(picture: PILImage.Image) -> tuple[str, str]:
    """Credit and copyright from IPTC, else EXIF; empty strings when absent or unreadable."""
    try:
        iptc = IptcImagePlugin.getiptcinfo(picture) or {}
        exif = picture.getexif()
        credit = _text(iptc.get(IPTC_CREDIT)) or _text(iptc.get(IPTC_BYLINE)) or _text(exif.get(EXIF_ARTIST))
        notice = _text(iptc.get(IPTC_COPYRIGHT)) or _text(exif.get(EXIF_COPYRIGHT))
    except Exception as error:  # noqa: BLE001 (Pillow's metadata parsers raise anything on bad bytes)
        # The pixels decoded; broken metadata (a PNG's eXIf that is no TIFF, say) is just none.
        logger.info("Ignoring unreadable picture metadata: %r", error)
        return "", ""
    return credit, notice


def _upright(picture: PILImage.Image) -> PILImage.Image:
    """picture turned as its EXIF orientation says, or as it is when that cannot be read."""
    try:
        return ImageOps.exif_transpose(picture)
    except Exception as error:  # noqa: BLE001 (as in _embedded_rights)
        logger.info("Ignoring an unreadable EXIF orientation: %r", error)
        return picture


def _in_srgb(picture: PILImage.Image) -> PILImage.Image:
    """picture with its colours converted from its ICC profile to sRGB, the profile dropped.

    An uploader's profile is kept nowhere: it is up to 15 MB of arbitrary bytes
    the site would host. sRGB is what browsers assume without one."""
    icc = picture.info.pop("icc_profile", None)
    if not icc:
        return picture
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        space = profile.profile.xcolor_space.strip()
        if space in ("RGB", "CMYK") and picture.mode in PROFILE_MODES[space]:
            mode = "RGBA" if picture.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(picture, profile, SRGB, outputMode=mode)
            converted.info = {key: value for key, value in picture.info.items() if key != "icc_profile"}
            return converted
    except (ImageCms.PyCMSError, OSError, ValueError) as error:
        logger.info("Ignoring an unreadable colour profile: %s", error)
    return picture  # a grey, palette or unreadable profile: the pixels as they are, read as sRGB


def process_upload(data: bytes) -> ProcessedImage:
    """Verify and re-encode an uploaded picture, or raise ValidationError saying why."""
    picture = open_picture(data)
    fmt = picture.format
    credit, notice = _embedded_rights(picture)
    upright = _in_srgb(_upright(picture))
    if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    ext, options = FORMATS[fmt]
    # Pillow writes a JPEG or GIF comment read from the source back out unless
    # told otherwise; a comment can carry a script (or anything else), so drop it.
    upright.info.pop("comment", None)
    out = io.BytesIO()
    # No exif= or icc_profile= argument: EXIF (with GPS) and any profile are dropped.
    upright.save(out, format=fmt, **options)
    encoded = out.getvalue()
    checksum = hashlib.sha256(encoded).hexdigest()
    return ProcessedImage(
        content=ContentFile(encoded, name=f"{checksum[:16]}.{ext}"),
        width=upright.width,
        height=upright.height,
        checksum=checksum,
        credit=credit,
        copyright=notice,
    )


def attach_processed(image: Image, processed: ProcessedImage) -> None:
    """Put a processed picture on an (unsaved) Image; keep credits an editor typed."""
    image.file.save(processed.content.name, processed.content, save=False)
    image.checksum = processed.checksum
    image.credit = image.credit or processed.credit
    image.copyright = image.copyright or processed.copyright
    # Sizes and formats for pages: made now and recorded by the caller's save(), or queued by it.
    make_for_new_file(image, data=processed.content.file.getvalue())


def stored_image(processed: ProcessedImage, **fields) -> tuple[Image, bool]:
    """(the Image holding processed, whether it is new): the row already stored with its
    checksum, else a new one with fields. Two processes storing the same picture at once
    make one row: the checksum is unique, so one insert wins, and the other takes the
    winner's row and deletes the files it wrote."""
    existing = Image.objects.by_checksum(processed.checksum)
    if existing is not None:
        return existing, False
    image = Image(**fields)
    attach_processed(image, processed)
    try:
        with transaction.atomic():
            image.save()
    except IntegrityError:
        delete_files(image)
        existing = Image.objects.by_checksum(processed.checksum)
        if existing is None:  # another constraint: not a race
            raise
        return existing, False
    return image, True


def delete_files(image: Image) -> None:
    """Remove the stored file and renditions of an Image that was never saved, or is deleted."""
    for name in [image.file.name, *image.renditions.values()]:
        if name:
            image.file.storage.delete(name)


def original_file_name(name: str | None) -> str:
    """The file's own name as the uploader's browser sent it, without any folder: shown and searched,
    never used to store the file (image_upload_to generates that name)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return " ".join(base.replace("\x00", "").split())[:255]


def create_image(
    *,
    data: bytes,
    alt_text: str = "",
    credit: str = "",
    copyright: str = "",
    uploaded_by=None,
    decorative: bool = False,
    original_name: str = "",
):
    """Store a verified picture as an Image row, or return the row that already
    holds the same picture (same checksum after re-encoding)."""
    fields = {
        "alt_text": "" if decorative else alt_text,
        "decorative": decorative,
        "credit": credit,
        "copyright": copyright,
        "uploaded_by": uploaded_by,
        "original_name": original_file_name(original_name),
    }
    return stored_image(process_upload(data), **fields)[0]
