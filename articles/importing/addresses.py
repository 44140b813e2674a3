"""A legacy post's old address and its new slug, from the generator's own rules.

Patterns take our placeholders ({year}, {slug}...) or the generators' own
(:year, :title...), so a site's permalink setting can be used as it is written.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.text import slugify

PLACEHOLDERS = {
    "year": "the publication year (2019)",
    "month": "the month, two digits",
    "day": "the day, two digits",
    "short_year": "the year, two digits",
    "i_month": "the month without a leading zero",
    "i_day": "the day without a leading zero",
    "y_day": "the day of the year, three digits",
    "slug": "the post's slug: its slug key, else its file name without the date",
    "slug_or_title": "its slug key, else the title as a slug (Hugo's :slug)",
    "title": "the title, as a slug",
    "categories": "the categories, as slugs joined by /",
    "filename": "the file name without its extension",
    "path": "the file's path in the import without its extension (a bundle's: its folder)",
    "folder": "the name of the folder the file is in",
    "section": "the first folder under content/ (Hugo's section)",
    "output_ext": ".html",
}
DATE_PLACEHOLDERS = ("year", "month", "day", "short_year", "i_month", "i_day", "y_day")
# The generators' names for ours (Jekyll's :title is the file name's slug; Hugo's :title is the title's).
GENERATOR_NAMES = {
    "jekyll": {"title": "slug", "slugified_categories": "categories", "name": "filename"},
    "hugo": {
        "slug": "slug_or_title",
        "contentbasename": "folder",
        "sections": "section",
        "slugorfilename": "slug",
        "slugorcontentbasename": "slug",
    },
}
_COLON = re.compile(r":([a-z_]+)")
_DATE_PREFIX = re.compile(r"\A\d{4}-\d{2}-\d{2}-")
# 000_943a7872124e8bb8: a scraper's id, no slug (but "decade-2010" is words).
_MACHINE_PART = re.compile(r"\A(?=[a-f]*\d)(?=\d*[a-f])[0-9a-f]{8,}\Z")
_BUNDLE_INDEX = ("index", "_index")
_WORDS = re.compile(r"[^\W\d_]{3}")  # a name without a three-letter word (a.txt, 17.md) is no slug


class PatternError(ValueError):
    """A legacy URL pattern that cannot be used, with the reason why."""


@dataclass(frozen=True)
class LegacyUrlPattern:
    """A pattern checked once, at the start of a run; format() then cannot fail."""

    text: str

    @classmethod
    def parse(cls, text: str, generator: str = "") -> LegacyUrlPattern:
        renames = GENERATOR_NAMES.get(generator, {})
        ours = _COLON.sub(lambda m: "{" + renames.get(m[1], m[1]) + "}", text.strip())
        try:
            names = [name for _, name, spec, _ in string.Formatter().parse(ours) if name is not None]
        except ValueError as error:
            raise PatternError(f"legacy URL pattern {text!r}: {error}") from None
        unknown = [name for name in names if name not in PLACEHOLDERS]
        if unknown:
            known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
            raise PatternError(f"legacy URL pattern {text!r}: unknown placeholder {{{unknown[0]}}}; known: {known}")
        if any(spec or conversion for _, _, spec, conversion in string.Formatter().parse(ours)):
            raise PatternError(f"legacy URL pattern {text!r}: placeholders take no format spec")
        return cls(ours)

    @property
    def needs_date(self) -> bool:
        return any(f"{{{name}}}" in self.text for name in DATE_PLACEHOLDERS)

    def format(self, values: dict[str, str]) -> str:
        path = self.text.format(**values)
        return "/" + re.sub(r"/{2,}", "/", path).strip("/") if path.strip("/") else ""


def file_slug(relative: PurePosixPath) -> str:
    """The slug a file's name gives: Jekyll's 2019-01-01-my-post.md -> my-post, a bundle's
    index.md -> its folder's; "" when the name is a machine id, not words."""
    stem = relative.stem
    if stem in _BUNDLE_INDEX:
        stem = relative.parent.name
    stem = _DATE_PREFIX.sub("", stem)
    if not _WORDS.search(stem) or any(_MACHINE_PART.match(part) for part in re.split(r"[-_.]", stem.lower())):
        return ""
    return slugify(stem, allow_unicode=True)


def placeholder_values(
    *,
    relative: PurePosixPath,
    slug: str,
    own_slug: str,
    title: str,
    categories: list[str],
    published: dt.datetime | None,
    zone: dt.tzinfo,
) -> dict[str, str]:
    stem_path = relative.with_suffix("").as_posix()
    if relative.stem in _BUNDLE_INDEX:
        stem_path = relative.parent.as_posix()
    values = {
        "slug": slug,
        "title": slugify(title, allow_unicode=True),
        "slug_or_title": slugify(own_slug or title, allow_unicode=True),
        "categories": "/".join(slugify(c, allow_unicode=True) for c in categories),
        "filename": relative.stem,
        "path": "" if stem_path == "." else stem_path,
        "folder": relative.parent.name,
        "section": section_of(relative),
        "output_ext": ".html",
    }
    if published is not None:
        local = published.astimezone(zone)
        values |= {
            "year": f"{local.year:04d}",
            "month": f"{local.month:02d}",
            "day": f"{local.day:02d}",
            "short_year": f"{local.year % 100:02d}",
            "i_month": str(local.month),
            "i_day": str(local.day),
            "y_day": f"{local.timetuple().tm_yday:03d}",
        }
    else:
        values |= dict.fromkeys(DATE_PLACEHOLDERS, "")
    return values


def section_of(relative: PurePosixPath) -> str:
    """Hugo's section: the first folder under content/ (or of the path)."""
    parts = relative.parts[:-1]
    if "content" in parts:
        parts = parts[parts.index("content") + 1 :]
    return parts[0] if parts else ""
