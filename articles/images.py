"""Turning untrusted bytes into a stored Image row.

Every way a picture enters Newsroom (the admin's Image form, the editor's
upload endpoint, sample content, the importer) goes through process_upload():
byte and pixel caps before decoding, Pillow decodes it fully, the picture is
re-encoded in its detected format (so nothing but pixels survives: no script
in a polyglot, no GPS), EXIF orientation is applied, and the stored name is
generated, never taken from the client.
"""

from __future__ import annotations

import hashlib
import io
import logging
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps, IptcImagePlugin, UnidentifiedImageError

# Pillow format name -> (stored extension, save options).
FORMATS = {
    "JPEG": ("jpg", {"quality": 88, "optimize": True, "progressive": True}),
    "PNG": ("png", {"optimize": True}),
    "GIF": ("gif", {}),
    "WEBP": ("webp", {"quality": 88}),
}

logger = logging.getLogger(__name__)

# What a storage raises when it cannot write: a full, read-only or missing
# disk (OSError), or object storage that is unreachable or refuses the upload.
try:
    from botocore.exceptions import BotoCoreError, ClientError

    STORAGE_ERRORS: tuple[type[Exception], ...] = (OSError, BotoCoreError, ClientError)
except ImportError:  # pragma: no cover (boto3 is a pinned dependency)
    STORAGE_ERRORS = (OSError,)

EXIF_ARTIST, EXIF_COPYRIGHT = 0x013B, 0x8298
IPTC_BYLINE, IPTC_CREDIT, IPTC_COPYRIGHT = (2, 80), (2, 110), (2, 116)


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
    """Credit and copyright from IPTC, else EXIF; empty strings when absent."""
    iptc = IptcImagePlugin.getiptcinfo(picture) or {}
    exif = picture.getexif()
    credit = _text(iptc.get(IPTC_CREDIT)) or _text(iptc.get(IPTC_BYLINE)) or _text(exif.get(EXIF_ARTIST))
    notice = _text(iptc.get(IPTC_COPYRIGHT)) or _text(exif.get(EXIF_COPYRIGHT))
    return credit, notice


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_image")


def open_picture(data: bytes) -> PILImage.Image:
    """Decode untrusted bytes fully, or raise ValidationError saying why.

    The byte and pixel caps apply before decoding, so a decompression bomb is
    refused without ever being expanded. Renditions (articles/renditions.py)
    open stored files through here too.
    """
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    if not data:
        raise _refuse("The file is empty.")
    if len(data) > max_bytes:
        raise _refuse(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")

    max_pixels = settings.NEWSROOM_IMAGE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse both.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            picture = PILImage.open(io.BytesIO(data))
            if picture.format not in FORMATS:
                raise _refuse("Only JPEG, PNG, GIF and WebP pictures can be uploaded.")
            if picture.width * picture.height > max_pixels:
                raise _refuse(f"The picture has more than {max_pixels:,} pixels.")
            picture.load()
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise _refuse(f"The picture has more than {max_pixels:,} pixels.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _refuse("The file is not a picture Newsroom can read.") from exc
    return picture


def process_upload(data: bytes) -> ProcessedImage:
    """Verify and re-encode an uploaded picture, or raise ValidationError saying why."""
    picture = open_picture(data)
    fmt = picture.format
    credit, notice = _embedded_rights(picture)
    icc_profile = picture.info.get("icc_profile")
    upright = ImageOps.exif_transpose(picture)
    if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    ext, options = FORMATS[fmt]
    # Pillow writes a JPEG or GIF comment read from the source back out unless
    # told otherwise; a comment can carry a script (or anything else), so drop it.
    upright.info.pop("comment", None)
    out = io.BytesIO()
    # No exif= argument: EXIF (with GPS) is dropped; the colour profile stays.
    upright.save(out, format=fmt, icc_profile=icc_profile, **options)
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


def read_upload(uploaded) -> bytes:
    """The bytes of an uploaded file, refusing it early when it is too large."""
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise _refuse(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    uploaded.seek(0)
    return uploaded.read(max_bytes + 1)


def storage_failure_message(error: Exception) -> str:
    """What an editor is told when the picture could not be written, and logged for operators."""
    logger.error("Could not store an uploaded picture: %r", error)
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return f"Could not store the picture: {reason}. Nothing was saved; try again later or tell an administrator."


def attach_processed(image, processed: ProcessedImage) -> None:
    """Put a processed picture on an (unsaved) Image; keep credits an editor typed."""
    from articles.renditions import generate_renditions

    image.file.save(processed.content.name, processed.content, save=False)
    image.checksum = processed.checksum
    image.credit = image.credit or processed.credit
    image.copyright = image.copyright or processed.copyright
    # Sizes and formats for pages, made once now; the caller's save() records them.
    generate_renditions(image, data=processed.content.file.getvalue(), save=False)


def create_image(*, data: bytes, alt_text: str = "", credit: str = "", copyright: str = "", uploaded_by=None):
    """Store a verified picture as an Image row, or return the row that already
    holds the same picture (same checksum after re-encoding)."""
    from articles.models import Image

    processed = process_upload(data)
    existing = Image.objects.filter(checksum=processed.checksum).order_by("pk").first()
    if existing is not None:
        return existing
    image = Image(alt_text=alt_text, credit=credit, copyright=copyright, uploaded_by=uploaded_by)
    attach_processed(image, processed)
    image.save()
    return image
