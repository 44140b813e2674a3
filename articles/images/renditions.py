"""Renditions: every stored picture at the sizes and in the formats pages ask for.

A rendition is made once, when the picture is stored (images/ingest.py
attach_processed(), which the importer uses too), or later by
`manage.py make_renditions` for pictures stored before; never while a page is
drawn. With a job queue (a task backend that can wait: NEWSROOM_TASKS database
or rq) a new picture is stored with no renditions and make_renditions() makes
them in the background; until then pages show the stored original (images/html.py
draws a plain <img> for a picture without renditions), never a broken image. A new
crop is made in the background too: pages keep the current renditions until the new
ones are recorded, and recording them makes the caches forget the old ones.

Each Image row records its renditions in Image.renditions, a dict of
key -> storage name, so a page lists every size without another query:

    "640.webp", "640.jpg"             the whole picture, 640 px wide
    "3:2/640.webp", "3:2/640.jpg"     cropped to 3:2 for cards
    "1.91:1/1200.jpg"                 cropped to 1.91:1 for social shares

Widths are WIDTHS, never upscaled: a picture narrower than 1600 px also gets
its own width as the largest size. Every size comes in WebP and in a fallback
format: JPEG, or PNG when the picture is transparent. Renditions are upright
(EXIF orientation applied), in sRGB (an embedded colour profile is converted
with LittleCMS) and carry no metadata at all (no EXIF, no profile, no comment).

Crops keep the subject in frame: an explicit crop for the ratio in
Image.crops wins, else the largest box of that ratio centred as near the
focal point (Image.focal_x/focal_y, default the middle) as the edges allow.

Why not sorl-thumbnail, easy-thumbnails or django-imagekit: all three make one
size per template call, decide lazily while a page renders (a storage check
or a cache lookup per size, per picture, per request) and know nothing of
focal points or explicit crops per ratio; a srcset of five widths in two
formats is ten such calls. What we need is small: Pillow, a list of widths,
a dict on the row.
"""

from __future__ import annotations

import hashlib
import io
import logging
import posixpath

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps

from articles.images.decode import open_picture
from articles.jobs import can_wait, task
from articles.models import Image

logger = logging.getLogger(__name__)

WIDTHS = (320, 640, 960, 1280, 1600)
CARD_RATIO = "3:2"
SOCIAL_RATIO = "1.91:1"
SOCIAL_WIDTH = 1200  # what Facebook, LinkedIn and X ask for (1200 × 628)
RATIOS = {CARD_RATIO: 3 / 2, SOCIAL_RATIO: 1.91}

WEBP = "webp"
MIME_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}
SAVE_OPTIONS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
    "png": ("PNG", {"optimize": True}),
}

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# The colour space an ICC profile declares -> the Pillow modes it describes.
PROFILE_MODES = {"RGB": ("RGB", "RGBA"), "GRAY": ("L", "LA"), "CMYK": ("CMYK",)}


# --- Making them ------------------------------------------------------------


def generate_renditions(image, *, data: bytes | None = None, save: bool = True) -> dict[str, str]:
    """Make and store every rendition of image's stored file; record them on the row.

    data: the stored file's bytes when the caller has them (spares a read).
    save: write Image.renditions to the database (needs a saved row); callers
    that are about to save the row themselves pass False.
    Raises ValidationError when the stored file is not a picture we can read
    or is too large (the same checks as an upload), and the storage's own
    errors when it cannot write.
    """
    old = dict(image.renditions or {})
    if not image.file:
        image.renditions = {}  # a remote-only picture: pages use its source_url
    else:
        if data is None:
            with image.file.open("rb") as stored:
                data = stored.read(settings.NEWSROOM_IMAGE_MAX_BYTES + 1)
        picture = prepare_picture(open_picture(data))
        folder = rendition_folder(image.file.name)
        storage = image.file.storage
        made = {}
        for key, filename, rendition, fmt in plan_renditions(picture, focal=focal_point(image), crops=image.crops):
            made[key] = _store(storage, posixpath.join(folder, filename), rendition, fmt)
        image.renditions = made
        # Sizes no longer wanted (a crop that moved) are deleted once the new list is
        # committed: rolled back, the row still names them. (The same name is overwritten in _store.)
        if stale := set(old.values()) - set(made.values()):
            transaction.on_commit(lambda: _delete(storage, stale), robust=True)
    if save and image.pk:
        # Through the model, so caches hear of it like any change (caching/invalidation.py):
        # the articles showing the picture get new <picture> sources.
        image.save(update_fields=["renditions"])
    return image.renditions


def make_for_new_file(image, *, data: bytes) -> None:
    """The renditions of a picture just stored on image (not saved yet): made now without a job
    queue, else queued to be made once the row is saved and committed (_queue_after_save)."""
    if not can_wait(make_renditions) or image.renditions:  # (a replaced file's old sizes go now, as before)
        generate_renditions(image, data=data, save=False)
        return
    image.renditions = {}
    image.renditions_queued = True


def regenerate(image) -> None:
    """New crops of a saved picture: now without a job queue, else in the background after the commit."""
    if not can_wait(make_renditions):
        generate_renditions(image)
        return
    _enqueue_after_commit(image)


def _enqueue_after_commit(image) -> None:
    pk, name = image.pk, image.file.name
    transaction.on_commit(lambda: make_renditions.enqueue(pk, name), robust=True)


@receiver(post_save, sender=Image)
def _queue_after_save(sender, instance, raw=False, **kwargs):
    if not raw and getattr(instance, "renditions_queued", False):
        instance.renditions_queued = False
        _enqueue_after_commit(instance)


@task()
def make_renditions(image_id: int, file_name: str) -> int:
    """Make and record a picture's renditions; how many. Recording them is a save of the row, so the
    articles showing it are made again (caching/invalidation.py). A picture deleted or given
    another file since is left alone: that file has its own job."""
    image = Image.objects.filter(pk=image_id, file=file_name).first()
    if image is None:
        return 0
    return len(generate_renditions(image))


def prepare_picture(picture: PILImage.Image) -> PILImage.Image:
    """Upright, in sRGB, RGB or RGBA (RGBA only when something is see-through), with no metadata."""
    picture = ImageOps.exif_transpose(picture)
    transparent = _is_transparent(picture)
    mode = "RGBA" if transparent else "RGB"
    converted = None
    icc = picture.info.get("icc_profile")
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            space = profile.profile.xcolor_space.strip()
            source = picture.convert("RGBA" if space == "RGB" and transparent else picture.mode)
            if source.mode in PROFILE_MODES.get(space, ()):
                converted = ImageCms.profileToProfile(source, profile, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError) as error:
            # A broken profile is not worth refusing the picture over: treat it as sRGB.
            logger.warning("Ignoring an unreadable colour profile: %s", error)
    if converted is None:
        converted = picture.convert(mode)
    converted.info = {}  # nothing from the source is written out again: no EXIF, profile or comment
    return converted


def _is_transparent(picture: PILImage.Image) -> bool:
    if picture.mode == "P":
        return "transparency" in picture.info
    if picture.mode in ("RGBA", "LA", "PA"):
        return picture.getchannel("A").getextrema()[0] < 255
    return False


def plan_renditions(picture: PILImage.Image, *, focal=(0.5, 0.5), crops=None):
    """Yield (key, file name, PIL image, extension) for every rendition of picture.

    picture comes from prepare_picture(). The key is what Image.renditions
    records; the file name is unique per key and per crop box, so a moved crop
    gets new names (and no cache anywhere keeps showing the old one).
    """
    fallback = "png" if picture.mode == "RGBA" else "jpg"
    for width in _widths(picture.width):
        resized = _resize(picture, width)
        for fmt in (WEBP, fallback):
            yield f"{width}.{fmt}", f"{width}.{fmt}", resized, fmt

    box = crop_box(picture.size, CARD_RATIO, focal=focal, explicit=(crops or {}).get(CARD_RATIO))
    card, tag = picture.crop(box), f"3x2-{_box_tag(box)}"
    for width in _widths(card.width):
        resized = _resize(card, width, ratio=RATIOS[CARD_RATIO])
        for fmt in (WEBP, fallback):
            yield f"{CARD_RATIO}/{width}.{fmt}", f"{tag}-{width}.{fmt}", resized, fmt

    # Social networks want one JPEG (or PNG) of about 1200 × 628, not a srcset.
    box = crop_box(picture.size, SOCIAL_RATIO, focal=focal, explicit=(crops or {}).get(SOCIAL_RATIO))
    social, tag = picture.crop(box), f"191x100-{_box_tag(box)}"
    width = min(SOCIAL_WIDTH, social.width)
    yield f"{SOCIAL_RATIO}/{width}.{fallback}", f"{tag}-{width}.{fallback}", _resize(social, width), fallback


def _widths(source_width: int) -> list[int]:
    """WIDTHS up to source_width, plus source_width itself when it is narrower than the largest."""
    widths = [w for w in WIDTHS if w <= source_width]
    if source_width < WIDTHS[-1] and source_width not in widths:
        widths.append(source_width)
    return widths


def _resize(picture: PILImage.Image, width: int, ratio: float | None = None) -> PILImage.Image:
    height = round(width / ratio) if ratio else round(picture.height * width / picture.width)
    size = (width, max(1, height))
    if size == picture.size:
        return picture
    # reducing_gap: a fast box reduction first, then Lanczos; indistinguishable and several times faster.
    return picture.resize(size, PILImage.Resampling.LANCZOS, reducing_gap=3.0)


def focal_point(image) -> tuple[float, float]:
    x = image.focal_x if image.focal_x is not None else 0.5
    y = image.focal_y if image.focal_y is not None else 0.5
    return x, y


def crop_box(size: tuple[int, int], ratio: str, *, focal=(0.5, 0.5), explicit=None) -> tuple[int, int, int, int]:
    """The (left, top, right, bottom) box of aspect ratio in a picture of size.

    explicit: [x, y, width, height] as fractions of the picture (Image.crops);
    used when it is a sane box inside the picture, else ignored. Otherwise the
    largest box of the ratio, centred on the focal point and pushed back inside
    the edges.
    """
    width, height = size
    if _valid_fractions(explicit):
        x, y, w, h = explicit
        box = (round(x * width), round(y * height), round((x + w) * width), round((y + h) * height))
        if box[2] - box[0] >= 1 and box[3] - box[1] >= 1:
            return box
    target = RATIOS[ratio]
    crop_w, crop_h = (width, width / target) if width / height <= target else (height * target, height)
    crop_w, crop_h = max(1, min(width, round(crop_w))), max(1, min(height, round(crop_h)))
    left = min(max(round(focal[0] * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal[1] * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def _valid_fractions(box) -> bool:
    if not isinstance(box, list | tuple) or len(box) != 4:
        return False
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in box):
        return False
    x, y, w, h = box
    return 0 <= x < 1 and 0 <= y < 1 and w > 0 and h > 0 and x + w <= 1.0001 and y + h <= 1.0001


def _box_tag(box: tuple[int, int, int, int]) -> str:
    """Eight hex digits that change when the crop box changes."""
    return hashlib.sha256(repr(box).encode()).hexdigest()[:8]


def _delete(storage, names: set[str]) -> None:
    for name in sorted(names):
        try:
            storage.delete(name)
        except Exception as error:  # any storage's (S3's are not OSError); a leftover file only wastes space
            logger.warning("Could not delete the old rendition %s: %s", name, error)


def _store(storage, name: str, picture: PILImage.Image, fmt: str) -> str:
    pillow_format, options = SAVE_OPTIONS[fmt]
    out = io.BytesIO()
    picture.save(out, format=pillow_format, **options)
    if storage.exists(name):
        storage.delete(name)  # deterministic names: a new rendition replaces the old one
    return storage.save(name, io.BytesIO(out.getvalue()))


def rendition_folder(file_name: str) -> str:
    """images/2026/07/abc.jpg -> renditions/2026/07/abc: one folder per stored file."""
    stem = posixpath.splitext(file_name)[0]
    if stem.startswith("images/"):
        stem = stem[len("images/") :]
    return posixpath.join("renditions", stem)
