"""What front matter says about pictures: the lead picture's address in the many shapes themes
give it, and the facts Newsroom's own export writes beside each picture (alt text, credit,
copyright, focal point, crops)."""

from __future__ import annotations

import html
import math
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from articles.content.sanitizer import one_line
from articles.images.renditions import RATIOS
from articles.importing.frontmatter import json_safe

# Where themes keep the lead picture, most specific first; a mapping is looked into
# with IMAGE_SUBKEYS (image: {path:, feature:}, cover: {image:}, header: {image:, teaser:}).
LEAD_IMAGE_KEYS = (
    "image", "cover", "cover_image", "featured_image", "featuredimage", "feature_image", "feature",
    "hero", "hero_image", "header", "banner", "thumbnail", "og_image", "images",
)  # fmt: skip
IMAGE_SUBKEYS = ("image", "path", "src", "url", "feature", "file", "overlay_image", "teaser", "thumbnail")


@dataclass
class PictureFacts:
    """What a file says about a picture besides its address: front matter's image: {src:, alt:,
    credit:, copyright:, focal: [x, y], crops: {ratio: [x, y, width, height]}} and newsroom_pictures."""

    alt: str = ""
    credit: str = ""
    copyright: str = ""
    focal: tuple[float, float] | None = None
    crops: dict[str, list[float]] = field(default_factory=dict)


def picture_facts_of(data: dict, lead_src: str, warnings: list[str]) -> dict[str, PictureFacts]:
    """src -> what the file says about that picture: the lead's from its image: mapping, the
    body's figures' from newsroom_pictures (a list of the same mappings, each with its src)."""
    facts = {}
    lead = data.get("image")
    if lead_src and isinstance(lead, dict):
        facts[lead_src] = picture_facts(lead, warnings)
    listed = data.get("newsroom_pictures")
    for value in listed if isinstance(listed, list) else []:
        if isinstance(value, dict) and isinstance(value.get("src"), str) and value["src"].strip():
            facts[value["src"].strip()] = picture_facts(value, warnings)
    return facts


def picture_facts(value: dict, warnings: list[str]) -> PictureFacts:
    """One picture's mapping read as the Image fields take it; a focal point or crop off the
    picture is dropped with a warning (the database would refuse it)."""

    def text(key: str, limit: int) -> str:
        item = value.get(key)
        return one_line(str(item))[:limit] if isinstance(item, str | int | float) and not isinstance(item, bool) else ""

    facts = PictureFacts(alt=text("alt", 500), credit=text("credit", 255), copyright=text("copyright", 255))
    src = value.get("src", "")
    focal = value.get("focal")
    if focal is not None:
        if _fractions(focal, 2):
            facts.focal = (float(focal[0]), float(focal[1]))
        else:
            warnings.append(f"picture {src}: focal {json_safe(focal)!r} is not [x, y] between 0 and 1: ignored")
    crops = value.get("crops")
    for ratio, box in (crops or {}).items() if isinstance(crops, dict) else []:
        if ratio in RATIOS and _fractions(box, 4) and box[0] + box[2] <= 1 + 1e-6 and box[1] + box[3] <= 1 + 1e-6:
            facts.crops[ratio] = [float(n) for n in box]
        else:
            warnings.append(f"picture {src}: crop {ratio}: {json_safe(box)!r} is not a box on the picture: ignored")
    return facts


def _fractions(value, count: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) == count
        and all(isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in value)
        and all(0 <= n <= 1 for n in value)
    )


def lead_image(data: dict, relative: PurePosixPath, warnings: list[str]) -> str:
    """The lead picture's address, from any of the keys themes use, as a web address
    (https://, site-relative /...): a post-relative path becomes site-relative, "//host" https."""
    for key in LEAD_IMAGE_KEYS:
        src = _image_src(data.get(key))
        if src:
            return _web_address(src, relative, warnings)
    return ""


def _image_src(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        for key in IMAGE_SUBKEYS:
            if src := _image_src(value.get(key)):
                return src
        return ""
    return value.strip() if isinstance(value, str) else ""


def _web_address(src: str, relative: PurePosixPath, warnings: list[str]) -> str:
    # The lead image becomes an Image row drawn on the page without passing the body
    # sanitizer, so only web addresses are kept: no data:, javascript: or file: ones.
    src = html.unescape(src)
    lowered = src.lower()
    if lowered.startswith(("http://", "https://", "/")) and not lowered.startswith("//"):
        return src
    if lowered.startswith("//"):
        return "https:" + src
    if re.match(r"[a-z][a-z0-9+.-]*:", lowered):
        warnings.append(f"lead image {src!r} is not an http(s) or site-relative address: refused")
        return ""
    resolved = posixpath.normpath(posixpath.join(relative.parent.as_posix(), src))
    if resolved == ".." or resolved.startswith("../"):
        warnings.append(f"lead image {src!r} is outside the import folder: refused")
        return ""
    return src  # beside the post (a page bundle's ./cover.png): found there when its pictures are read
