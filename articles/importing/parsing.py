"""Reading one legacy file: bytes -> text -> front matter -> a LegacyPost.

Pure functions, no database: every rule about what a legacy file means lives
here and is tested directly. Anything wrong with a file raises LegacyFileError
with a reason an editor can act on.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import math
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import yaml
from django.conf import settings
from django.utils.text import slugify

from articles.content.sanitizer import one_line
from articles.content.text import html_text
from articles.importing.markdown import render_markdown

try:  # libyaml is several times faster; PyYAML's wheels ship it.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader

POST_SUFFIXES = {".md", ".markdown", ".txt", ".html"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
MORE_MARKER = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_OPENING = re.compile(r"\A---[ \t]*\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


class LegacyFileError(Exception):
    """A file that cannot be imported, with the reason why."""


@dataclass
class LegacyPost:
    kind: str  # "post", "category" or "skip"
    title: str = ""
    standfirst: str = ""
    body_html: str = ""
    byline: str = ""
    keywords: list[str] = field(default_factory=list)
    publish_at: dt.datetime | None = None
    draft: bool = False
    lead_src: str = ""
    preferred_slug: str = ""
    permalink: str = ""
    section: tuple[str, str] | None = None  # (name, slug), from Newsroom's own export
    metadata: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    note: str = ""


def is_post_file(path: PurePosixPath) -> bool:
    return path.suffix.lower() in POST_SUFFIXES and not any(part.startswith(".") for part in path.parts)


def decode(raw: bytes, warnings: list[str]) -> str:
    """UTF-8 with or without a BOM, else Windows-1252 (with a warning); LF line ends."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as error:
            raise LegacyFileError(
                f"undecodable bytes at offset {error.start}: neither UTF-8 nor Windows-1252"
            ) from error
        warnings.append("not valid UTF-8: read as Windows-1252")
    if "\x00" in text:
        raise LegacyFileError("contains NUL bytes: not a text file (UTF-16 is not supported)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter, body). python-frontmatter returns empty metadata instead of
    failing when the delimiters are off, so they are checked here."""
    if not text.strip():
        raise LegacyFileError("empty file")
    opening = _OPENING.match(text)
    if not opening:
        raise LegacyFileError("no front matter: the file must start with a line '---'")
    closing = _CLOSING.search(text, opening.end())
    if not closing:
        raise LegacyFileError("front matter is not closed: no second '---' line")
    front, body = text[opening.end() : closing.start()], text[closing.end() :]
    limit = settings.NEWSROOM_IMPORT_MAX_FRONT_MATTER_BYTES
    if len(front.encode("utf-8")) > limit:
        raise LegacyFileError(f"front matter is larger than {limit:,} bytes")
    return front, body.lstrip("\n")


def load_front_matter(front: str) -> dict:
    try:
        data = yaml.load(front, Loader=SafeLoader)  # noqa: S506 (SafeLoader: no Python tags)
    except yaml.constructor.ConstructorError as error:
        line = error.problem_mark.line + 2 if error.problem_mark else "?"
        raise LegacyFileError(f"unsafe or unknown YAML tag at line {line}: {error.problem}") from error
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 2 if error.problem_mark else "?"
        raise LegacyFileError(f"malformed YAML at line {line}: {error.problem}") from error
    except yaml.YAMLError as error:
        raise LegacyFileError(f"malformed YAML: {error}") from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LegacyFileError(f"front matter is a {type(data).__name__}, not a mapping of keys to values")
    _check_size(data)
    return data


def _check_size(data) -> None:
    """Refuse structures that are small as YAML but huge in memory (alias bombs)."""
    budget = settings.NEWSROOM_IMPORT_MAX_FRONT_MATTER_NODES
    stack, seen = [data], 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > budget:
            raise LegacyFileError(f"front matter has more than {budget:,} values (an alias bomb?)")
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)


def json_safe(value):
    """Front matter as JSON can store it: dates as ISO strings, sets as lists."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [json_safe(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float) and not math.isfinite(value):  # NaN and ±inf are not JSON
        return None
    return value


def text_value(data: dict, key: str, warnings: list[str]) -> str:
    """A key's value as text; anything that is not text counts as missing, with a warning."""
    value = data.get(key)
    if value is None or value == "":
        return ""
    if isinstance(value, bool | list | dict):
        warnings.append(f"'{key}' is not text ({json_safe(value)!r}): treated as missing")
        return ""
    return one_line(html.unescape(str(value)))


def parse_date(value) -> dt.datetime | None:
    """Epoch seconds, a YAML date or datetime, or an ISO 8601 string -> aware UTC."""
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
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError:
            try:
                return parse_date(float(text))
            except ValueError:
                raise LegacyFileError(f"date {value!r} is not an epoch number or an ISO 8601 date") from None
        return parse_date(parsed)
    raise LegacyFileError(f"date {json_safe(value)!r} is not a date")


def keyword_names(data: dict, warnings: list[str]) -> list[str]:
    """keywords (a comma-separated string or a list), categories and tags, de-duplicated by slug."""
    names, seen = [], set()
    for key in ("keywords", "categories", "tags"):
        value = data.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            items = value.split(",")
        elif isinstance(value, list):
            items = value
        else:
            warnings.append(f"'{key}' is neither text nor a list: ignored")
            continue
        for item in items:
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                warnings.append(f"'{key}' has a value that is not text ({json_safe(item)!r}): skipped")
                continue
            name = one_line(html.unescape(str(item)))
            slug = keyword_slug(name)
            if slug and slug not in seen:
                seen.add(slug)
                names.append(name)
    return names


def keyword_slug(name: str) -> str:
    return slugify(name.casefold(), allow_unicode=True)[:100]


def _byline(value, warnings: list[str]) -> str:
    if isinstance(value, dict):
        value = value.get("name", "")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if isinstance(v, str | int))
    return text_value({"author": value}, "author", warnings)


def render_body(body: str, suffix: str) -> str:
    return render_markdown(body) if suffix in MARKDOWN_SUFFIXES else body


def parse_post(raw: bytes, *, suffix: str) -> LegacyPost:
    """Everything one legacy file says, or LegacyFileError saying what is wrong."""
    limit = settings.NEWSROOM_IMPORT_MAX_FILE_BYTES
    if len(raw) > limit:
        raise LegacyFileError(f"file is larger than {limit:,} bytes")
    warnings: list[str] = []
    text = decode(raw, warnings)
    front, body = split_front_matter(text)
    data = load_front_matter(front)
    metadata = json_safe(data)

    kind = _kind(data)
    if kind not in ("post", "category"):
        return LegacyPost(kind="skip", note=kind, metadata=metadata, warnings=warnings)
    title = _title(data)
    body_html = render_body(body, suffix)
    standfirst = text_value(data, "description", warnings) or text_value(data, "excerpt", warnings)
    if not standfirst:
        before_more = MORE_MARKER.split(body_html, maxsplit=1)
        if len(before_more) == 2:
            standfirst = one_line(html_text(before_more[0]))
    post = LegacyPost(
        kind=kind,
        title=title,
        standfirst=standfirst,
        body_html=MORE_MARKER.sub("", body_html),
        metadata=metadata,
        warnings=warnings,
    )
    if kind == "category":
        return post

    _read_post_fields(post, data, warnings)
    return post


def _kind(data: dict) -> str:
    """What the file is by its layout (a layout key is not content): "post", "category", or the reason to skip it."""
    layout = data.get("extends") or data.get("layout") or ""
    layout = layout if isinstance(layout, str) else ""
    if "category" in layout:
        return "category"
    if layout and "post" not in layout:
        return f"layout '{layout}' is not a post"
    return "post"


def _title(data: dict) -> str:
    raw_title = data.get("title")
    if raw_title is not None and (isinstance(raw_title, bool) or not isinstance(raw_title, str | int | float)):
        raise LegacyFileError(f"title is not text: {json_safe(raw_title)!r}")
    # Checked once cleaned: "&nbsp;" or a lone control character is no title either.
    title = "" if raw_title is None else one_line(html.unescape(str(raw_title)))
    if not title:
        raise LegacyFileError("no title")
    return title


def _read_post_fields(post: LegacyPost, data: dict, warnings: list[str]) -> None:
    """What a post (not a category page) has besides its title and text: byline, keywords,
    date and state, lead picture, old address, and Newsroom's own section."""
    post.byline = _byline(data.get("author"), warnings)
    post.keywords = keyword_names(data, warnings)
    post.publish_at = parse_date(data.get("date"))
    if post.publish_at is None:
        warnings.append("no date: imported as a draft")
    post.draft = post.publish_at is None or data.get("published") is False or data.get("draft") is True
    lead_src = text_value(data, "image", warnings) or text_value(data, "cover_image", warnings)
    # The lead image becomes an Image row drawn on the page without passing the body
    # sanitizer, so only web addresses are kept: no data:, javascript:, file: or ../ paths.
    if lead_src and not lead_src.lower().startswith(("http://", "https://", "/")):
        warnings.append(f"lead image {lead_src!r} is not an http(s) or site-relative address: refused")
        lead_src = ""
    post.lead_src = lead_src
    post.permalink = text_value(data, "permalink", warnings)
    post.preferred_slug = text_value(data, "slug", warnings) or PurePosixPath(post.permalink.rstrip("/")).name
    # Not "section": Jigsaw uses that key for a layout slot.
    section = data.get("newsroom_section")
    if isinstance(section, dict) and isinstance(section.get("name"), str) and section["name"].strip():
        name = one_line(section["name"])[:100]
        post.section = (name, slugify(str(section.get("slug") or name), allow_unicode=True)[:100])
