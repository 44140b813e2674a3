"""When a legacy post was published: from its front matter, else its file name, else its folder.

Generators are lenient about dates (Jekyll takes '2009-3-7 9:05:00 +0100'), so
this is too; a date without a zone is in the site's time zone, as the generator
that built the site read it.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import PurePosixPath

from articles.importing.frontmatter import LegacyFileError, json_safe

DATE_KEYS = ("date", "published", "published_at", "pubdate", "publishdate")
HUGO_DATE_KEYS = ("publishdate", "pubdate", "published", "date", "published_at")  # Hugo's own order
# Eleventy's words for "the file's own times", which an archive copy no longer has.
FILE_TIME_WORDS = {"last modified", "created", "git last modified", "git created"}

_LENIENT = re.compile(
    r"""\A(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})
    (?:[T\s]+(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2})(?:\.(?P<fraction>\d{1,6})\d*)?)?)?
    \s*(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2})?\Z""",
    re.VERBOSE | re.IGNORECASE,
)
_FILE_NAME_DATE = re.compile(r"\A(\d{4})-(\d{2})-(\d{2})(?:-|\Z)")
_FOLDER_DATE = re.compile(r"(?:\A|/)(\d{4})/(\d{1,2})(?:/(\d{1,2}))?(?=/|\Z)")


def parse_date(value, zone: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    """Epoch seconds, a YAML/TOML date or datetime, or an ISO 8601-like string -> aware UTC.
    A value without a zone is read in zone."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise LegacyFileError(f"date {value!r} is not a date")
    if isinstance(value, int | float):
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.UTC)
        except (OverflowError, OSError, ValueError) as error:
            raise LegacyFileError(f"date {value!r} is out of range") from error
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=zone) if value.tzinfo is None else value).astimezone(dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone).astimezone(dt.UTC)
    if isinstance(value, str):
        return _parse_text(value.strip(), zone)
    raise LegacyFileError(f"date {json_safe(value)!r} is not a date")


def _parse_text(text: str, zone: dt.tzinfo) -> dt.datetime:
    try:
        return parse_date(dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text), zone)
    except ValueError:
        pass
    if match := _LENIENT.match(text):
        parts = {name: int(v) for name, v in match.groupdict().items() if v and name not in ("zone", "fraction")}
        fraction = match["fraction"]
        try:
            naive = dt.datetime(
                parts["year"],
                parts["month"],
                parts["day"],
                parts.get("hour", 0),
                parts.get("minute", 0),
                parts.get("second", 0),
                int(fraction.ljust(6, "0")) if fraction else 0,
            )
        except ValueError as error:
            raise LegacyFileError(f"date {text!r} is not a real date: {error}") from None
        return parse_date(naive, _zone_of(match["zone"]) or zone)
    try:
        return parse_date(float(text))
    except ValueError:
        raise LegacyFileError(f"date {text!r} is not an epoch number or an ISO 8601 date") from None


def _zone_of(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def site_zone(name: str | None) -> dt.tzinfo | None:
    """A site's configured time zone ('Europe/Berlin'), or None when unset or unknown."""
    if not name or not isinstance(name, str):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def date_from_path(relative: PurePosixPath, zone: dt.tzinfo = dt.UTC) -> tuple[dt.datetime | None, str]:
    """(the date a file's name or folders give, where it came from): Jekyll's and Eleventy's
    YYYY-MM-DD-slug names (a bundle's folder name counts as its index file's name), then
    folders such as 2019/10/01/."""
    names = [relative.stem]
    if relative.stem in ("index", "_index"):
        names.append(relative.parent.name)
    for name in names:
        if match := _FILE_NAME_DATE.match(name):
            with_date = _midnight(*match.groups(), zone=zone)
            if with_date:
                return with_date, "file name"
    for match in _FOLDER_DATE.finditer(relative.parent.as_posix()):
        with_date = _midnight(match[1], match[2], match[3] or "1", zone=zone)
        if with_date:
            return with_date, "folder"
    return None, ""


def _midnight(year: str, month: str, day: str, *, zone: dt.tzinfo) -> dt.datetime | None:
    try:
        return dt.datetime(int(year), int(month), int(day), tzinfo=zone).astimezone(dt.UTC)
    except ValueError:
        return None


def post_date(
    data: dict, relative: PurePosixPath, zone: dt.tzinfo, warnings: list[str], *, generator: str = ""
) -> tuple[dt.datetime | None, str]:
    """(the first date found, where): front matter (DATE_KEYS; data's keys already in
    lower case; Hugo's publishDate first, as Hugo reads it), then the file name, then the folder."""
    for key in HUGO_DATE_KEYS if generator == "hugo" else DATE_KEYS:
        value = data.get(key)
        if key == "published" and isinstance(value, bool):
            continue  # Jekyll's published: true/false is a flag, not a date
        if isinstance(value, str) and value.strip().lower() in FILE_TIME_WORDS:
            warnings.append(f"'{key}: {value}' means the file's own time, which an archive does not keep")
            continue
        if value not in (None, ""):
            return parse_date(value, zone), f"'{key}'"
    return date_from_path(relative, zone)
