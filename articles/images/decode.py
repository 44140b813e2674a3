"""Reading untrusted bytes as a picture, or saying why not; what a storage raises when it cannot write.

Every decode goes through open_picture(): uploads (images/ingest.py) and the
stored files renditions are made from (images/renditions.py).
"""

from __future__ import annotations

import io
import logging
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

# Pillow format name -> (stored extension, save options).
FORMATS = {
    "JPEG": ("jpg", {"quality": 88, "optimize": True, "progressive": True}),
    "PNG": ("png", {"optimize": True}),
    "GIF": ("gif", {}),
    "WEBP": ("webp", {"quality": 88}),
}

logger = logging.getLogger("articles.images")

# What a storage raises when it cannot write: a full, read-only or missing
# disk (OSError), or object storage that is unreachable or refuses the upload.
try:
    from botocore.exceptions import BotoCoreError, ClientError

    STORAGE_ERRORS: tuple[type[Exception], ...] = (OSError, BotoCoreError, ClientError)
except ImportError:  # pragma: no cover (boto3 is a pinned dependency)
    STORAGE_ERRORS = (OSError,)


def refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_image")


def open_picture(data: bytes) -> PILImage.Image:
    """Decode untrusted bytes fully, or raise ValidationError saying why.

    The byte and pixel caps apply before decoding, so a decompression bomb is
    refused without ever being expanded. Renditions (images/renditions.py)
    open stored files through here too.
    """
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    if not data:
        raise refuse("The file is empty.")
    if len(data) > max_bytes:
        raise refuse(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")

    max_pixels = settings.NEWSROOM_IMAGE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse both.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            picture = PILImage.open(io.BytesIO(data))
            if picture.format not in FORMATS:
                raise refuse("Only JPEG, PNG, GIF and WebP pictures can be uploaded.")
            if picture.width * picture.height > max_pixels:
                raise refuse(f"The picture has more than {max_pixels:,} pixels.")
            picture.load()
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise refuse(f"The picture has more than {max_pixels:,} pixels.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise refuse("The file is not a picture Newsroom can read.") from exc
    return picture


def read_upload(uploaded) -> bytes:
    """The bytes of an uploaded file, refusing it early when it is too large."""
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise refuse(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    uploaded.seek(0)
    return uploaded.read(max_bytes + 1)


def storage_failure_message(error: Exception) -> str:
    """What an editor is told when the picture could not be written, and logged for operators."""
    logger.error("Could not store an uploaded picture: %r", error)
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return f"Could not store the picture: {reason}. Nothing was saved; try again later or tell an administrator."
