"""Reading one legacy file: bytes -> text -> front matter -> a LegacyPost.

Pure functions, no database: every rule about what a legacy file means lives
here (and in frontmatter.py, dates.py and addresses.py) and is tested directly.
Anything wrong with a file raises LegacyFileError with a reason an editor can act on.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.text import slugify

from articles.content.sanitizer import one_line
from articles.content.text import html_text
from articles.importing.addresses import LegacyUrlPattern, PatternError, file_slug, placeholder_values
from articles.importing.dates import post_date
from articles.importing.frontmatter import (
    LegacyFileError,
    NoFrontMatter,
    folded,
    json_safe,
    load_front_matter,
    split_front_matter,
)
from articles.importing.markdown import render_markdown
from articles.importing.pictures_meta import PictureFacts, lead_image, picture_facts_of
from articles.importing.site import SiteContext
from articles.importing.templating import TemplateContext, translate_templates

__all__ = ["LegacyFileError", "LegacyPost", "json_safe", "load_front_matter", "parse_post", "split_front_matter"]

POST_SUFFIXES = {".md", ".markdown", ".txt", ".html"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
MORE_MARKER = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)

KEYWORD_KEYS = ("keywords", "categories", "category", "tags", "topics")
STANDFIRST_KEYS = ("description", "summary", "excerpt", "spoiler", "subtitle")
# Each name under these becomes an Author (found again by slug); the byline keys are free text
# for copy no person wrote ("Reuters"), shown only when an article has no author.
AUTHOR_KEYS = ("authors", "author")
AUTHOR_LIMIT = 20
BYLINE_KEYS = ("byline", "by")
# Eleventy files every post under these collection tags; they say nothing about the story.
ELEVENTY_COLLECTION_TAGS = {"all", "post", "posts"}
_LINE = re.compile(r"\Aline (\d+):")
POST_LAYOUTS = re.compile(r"post|single|article|story|news|blog", re.IGNORECASE)
DRAFT_STATUSES = {"draft", "private", "pending", "future"}
# Newsroom's own export (export.py) marks its files: their old address is the permalink
# or none, whatever the site's rule would make, and drafts keep theirs.
EXPORT_MARKER = "newsroom_export"


@dataclass
class LegacyPost:
    kind: str  # "post", "category" or "skip"
    title: str = ""
    standfirst: str = ""
    body_html: str = ""
    byline: str = ""
    authors: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    publish_at: dt.datetime | None = None
    draft: bool = False
    review: bool = False  # status: review (held back, like a draft, but waiting for an editor)
    lead_src: str = ""
    preferred_slug: str = ""
    legacy_url: str = ""
    aliases: list[str] = field(default_factory=list)
    section: tuple[str, str] | None = None  # (name, slug), from Newsroom's own export
    pictures: dict[str, PictureFacts] = field(default_factory=dict)  # by src, as the file writes it
    metadata: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
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


def text_value(data: dict, key: str, warnings: list[str]) -> str:
    """A key's value as text; anything that is not text counts as missing, with a warning."""
    value = data.get(key)
    if value is None or value == "":
        return ""
    if isinstance(value, bool | list | dict):
        warnings.append(f"'{key}' is not text ({json_safe(value)!r}): treated as missing")
        return ""
    return one_line(html.unescape(str(value)))


def first_text(data: dict, keys: tuple[str, ...], warnings: list[str]) -> str:
    for key in keys:
        if value := text_value(data, key, warnings):
            return value
    return ""


def keyword_names(data: dict, warnings: list[str], *, generator: str = "") -> list[str]:
    """Every keyword key (a comma-separated string or a list), de-duplicated by slug.

    Jekyll reads a categories or tags string as words separated by spaces."""
    names, seen = [], set()
    for key in KEYWORD_KEYS:
        for name in _listed(data, key, warnings, spaces=generator == "jekyll" and key != "keywords"):
            slug = keyword_slug(name)
            if generator == "eleventy" and slug in ELEVENTY_COLLECTION_TAGS:
                continue
            if slug and slug not in seen:
                seen.add(slug)
                names.append(name)
    limit = settings.NEWSROOM_IMPORT_MAX_KEYWORDS
    if len(names) > limit:
        warnings.append(f"{len(names)} keywords: the first {limit} kept, the rest dropped")
        del names[limit:]
    return names


def _listed(data: dict, key: str, warnings: list[str], *, spaces: bool = False) -> list[str]:
    value = data.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        items = value.split() if spaces and "," not in value else value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        warnings.append(f"'{key}' is neither text nor a list: ignored")
        return []
    names = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            warnings.append(f"'{key}' has a value that is not text ({json_safe(item)!r}): skipped")
            continue
        if name := one_line(html.unescape(str(item))):
            names.append(name)
    return names


def keyword_slug(name: str) -> str:
    return slugify(name.casefold(), allow_unicode=True)[:100]


def author_names(data: dict, warnings: list[str]) -> list[str]:
    """Every author key: a name, a comma-separated string or a list (of names, or of mappings with
    a name, as some themes write them), de-duplicated by slug."""
    names, seen = [], set()
    for key in AUTHOR_KEYS:
        value = data.get(key)
        value = [_person_name(item) for item in value] if isinstance(value, list) else _person_name(value)
        for name in _listed({key: value}, key, warnings):
            slug = author_slug(name)
            if slug and slug not in seen:
                seen.add(slug)
                names.append(name)
    if len(names) > AUTHOR_LIMIT:
        warnings.append(f"{len(names)} authors: the first {AUTHOR_LIMIT} kept, the rest dropped")
        del names[AUTHOR_LIMIT:]
    return names


def _person_name(value):
    return value.get("name", "") if isinstance(value, dict) else value


def author_slug(name: str) -> str:
    return slugify(name.casefold(), allow_unicode=True)[:200]


def _byline(data: dict, warnings: list[str]) -> str:
    for key in BYLINE_KEYS:
        value = data.get(key)
        if isinstance(value, dict):
            value = value.get("name", "")
        if isinstance(value, list):
            value = ", ".join(str(v.get("name", "") if isinstance(v, dict) else v) for v in value)
        if byline := text_value({key: value}, key, warnings):
            return byline
    return ""


def render_body(body: str, suffix: str) -> str:
    return render_markdown(body) if suffix in MARKDOWN_SUFFIXES else body


def parse_post(
    raw: bytes,
    *,
    suffix: str,
    relative: PurePosixPath | None = None,
    site: SiteContext | None = None,
    defaults: dict | None = None,
    root: Path | None = None,
) -> LegacyPost:
    """Everything one legacy file says, or LegacyFileError saying what is wrong.

    relative: the file's path in the import; site: what its site's config says;
    defaults: values its folder's directory data gives (the file's own win);
    root: the import folder, where the posts its template links name are looked for."""
    limit = settings.NEWSROOM_IMPORT_MAX_FILE_BYTES
    if len(raw) > limit:
        raise LegacyFileError(f"file is larger than {limit:,} bytes")
    relative = relative or PurePosixPath(f"_{suffix}")  # no name to take a title or slug from
    site = site or SiteContext()
    warnings: list[str] = []
    text = decode(raw, warnings)
    try:
        dialect, front, body = split_front_matter(text)
    except NoFrontMatter as reason:
        return LegacyPost(kind="skip", note=f"{reason}: not a post", warnings=warnings)
    own = load_front_matter(front, dialect)
    metadata = json_safe(own)
    data = (defaults or {}) | folded(own, site.key_map)

    kind = _kind(data, relative)
    if kind not in ("post", "category"):
        return LegacyPost(kind="skip", note=kind, metadata=metadata, warnings=warnings)
    title = _title(data, relative, warnings)
    context = TemplateContext(site=site.config, page=data, link_for=_old_address_finder(site, root))
    translated = translate_templates(body, context, markdown=suffix in MARKDOWN_SUFFIXES)
    # Its lines count from the body; an editor counts from the top of the file.
    offset = text[: len(text) - len(body)].count("\n")
    warnings.extend(_LINE.sub(lambda m: f"line {int(m[1]) + offset}:", w, count=1) for w in translated.warnings)
    body_html = render_body(translated.text, suffix)
    standfirst = first_text(data, STANDFIRST_KEYS, warnings)
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

    _read_post_fields(post, data, relative, site)
    return post


def _old_address_finder(site: SiteContext, root: Path | None):
    """link_for() of a post's template links: the old address of the post a link names, read
    from that post's own file (its addresses, never its links: no recursion)."""

    def link_for(target: str) -> str | None:
        path = site.find_post(target, root) if root else None
        if path is None:
            return None
        if path not in site.addresses:
            try:
                linked = parse_post(
                    path.read_bytes(),
                    suffix=path.suffix.lower(),
                    relative=PurePosixPath(path.relative_to(root).as_posix()),
                    site=site,
                    defaults=site.defaults_for(path, root),
                )
                site.addresses[path] = linked.legacy_url if linked.kind == "post" and not linked.draft else ""
            except (OSError, LegacyFileError):
                site.addresses[path] = ""
        return site.addresses[path] or None

    return link_for


def _kind(data: dict, relative: PurePosixPath) -> str:
    """What the file is (a layout key is not content): "post", "category", or the reason to skip it."""
    if relative.name == "_index.md":
        return "a section's list page (Hugo's _index.md): its cascade is used for the posts below it"
    if data.get("permalink") is False:
        return "permalink: false (the site never published it as a page)"
    layout = data.get("extends") or data.get("layout") or ""
    layout = layout if isinstance(layout, str) else ""
    if "category" in layout:
        return "category"
    # Whatever its layout, a file in Jekyll's _posts is a post (Minimal Mistakes' is "single").
    if layout and not POST_LAYOUTS.search(layout) and "_posts" not in relative.parts:
        return f"layout '{layout}' is not a post"
    return "post"


def _title(data: dict, relative: PurePosixPath, warnings: list[str]) -> str:
    """The title; without one, Jekyll's rule: the file name's words (2019-01-01-xml-entities.md -> Xml Entities)."""
    raw_title = data.get("title")
    if raw_title is not None and (isinstance(raw_title, bool) or not isinstance(raw_title, str | int | float)):
        raise LegacyFileError(f"title is not text: {json_safe(raw_title)!r}")
    # Checked once cleaned: "&nbsp;" or a lone control character is no title either.
    title = "" if raw_title is None else one_line(html.unescape(str(raw_title)))
    if not title and raw_title is None and (from_name := file_slug(relative)):
        warnings.append("no title: made from the file name")
        return from_name.replace("-", " ").title()
    if not title:
        raise LegacyFileError("no title")
    return title


def _read_post_fields(post: LegacyPost, data: dict, relative: PurePosixPath, site: SiteContext) -> None:
    """What a post (not a category page) has besides its title and text: authors, byline, keywords,
    date and state, lead picture, addresses, and Newsroom's own section."""
    warnings = post.warnings
    post.authors = author_names(data, warnings)
    post.byline = _byline(data, warnings)
    post.keywords = keyword_names(data, warnings, generator=site.generator)
    post.categories = _listed(data, "categories", warnings, spaces=site.generator == "jekyll") or _listed(
        data, "category", warnings
    )
    post.publish_at, date_source = post_date(data, relative, site.zone, warnings, generator=site.generator)
    if date_source in ("file name", "folder"):
        post.actions.append(f"date taken from the {date_source}")
    held_back = _is_draft(data, relative)
    if post.publish_at is None and not held_back:
        warnings.append("no date: imported as a draft")
    post.draft = held_back or post.publish_at is None
    post.review = _status(data) == "review"
    post.lead_src = lead_image(data, relative, warnings)
    post.pictures = picture_facts_of(data, post.lead_src, warnings)
    _read_addresses(post, data, relative, site, held_back=held_back)
    # Not "section": Jigsaw uses that key for a layout slot.
    section = data.get("newsroom_section")
    if isinstance(section, dict) and isinstance(section.get("name"), str) and section["name"].strip():
        name = one_line(section["name"])[:100]
        post.section = (name, slugify(str(section.get("slug") or name), allow_unicode=True)[:100])


def _status(data: dict) -> str:
    status = data.get("status")
    return status.strip().lower() if isinstance(status, str) else ""


def _is_draft(data: dict, relative: PurePosixPath) -> bool:
    draft = data.get("draft")
    return (
        draft is True
        or (isinstance(draft, str) and draft.strip().lower() in ("true", "yes"))
        or data.get("published") is False
        or _status(data) in DRAFT_STATUSES | {"review"}
        or "_drafts" in relative.parts
    )


def _read_addresses(
    post: LegacyPost, data: dict, relative: PurePosixPath, site: SiteContext, *, held_back: bool
) -> None:
    """The slug (from slug, permalink, url or the file name) and the old addresses: the one
    the site's permalink rule (or the post's own) gave, and its aliases. A post held back as
    a draft on the old site (a draft flag, _drafts/) had none."""
    warnings = post.warnings
    own_address = text_value(data, "url", warnings) or text_value(data, "permalink", warnings)
    literal = own_address if own_address and not re.search(r"\{|:[a-z]", own_address) else ""
    own_slug = text_value(data, "slug", warnings)
    post.preferred_slug = own_slug or PurePosixPath(literal.rstrip("/")).stem or file_slug(relative)
    values = placeholder_values(
        relative=relative,
        slug=slugify(post.preferred_slug or post.title, allow_unicode=True),
        own_slug=own_slug,
        title=post.title,
        categories=post.categories,
        published=post.publish_at,
        zone=site.zone,
    )
    aliases = _listed(data, "aliases", warnings) + _listed(data, "redirect_from", warnings)
    if data.get(EXPORT_MARKER):
        # Newsroom's addresses as they were, drafts' included; never one made up by a rule.
        permalink = data.get("permalink")
        post.legacy_url = permalink.strip() if isinstance(permalink, str) else ""
        post.aliases = [alias.strip() for alias in data.get("aliases") or [] if isinstance(alias, str)]
        return
    if held_back:
        return
    post.aliases = [_normal_path(alias) for alias in aliases]
    pattern, prefix = site.url_pattern_for(relative)
    if own_address and not literal:
        prefix = ""
        try:
            pattern = LegacyUrlPattern.parse(_eleventy_permalink(own_address), site.generator)
        except PatternError as error:
            warnings.append(f"own address {own_address!r} not understood ({error}); the site's rule is used")
    if literal:
        post.legacy_url = _normal_path(literal)
    elif pattern.needs_date and post.publish_at is None:
        post.legacy_url = ""
        warnings.append("no date: its old address (which has the date in it) is unknown")
    else:
        post.legacy_url = _normal_path(prefix + pattern.format(values))


_ELEVENTY_VALUES = (
    (re.compile(r"\{\{\s*page\.fileSlug\s*\}\}"), "{slug}"),
    (re.compile(r"\{\{\s*title\s*\|\s*slug(?:ify)?\s*\}\}"), "{title}"),
    (re.compile(r"\{\{\s*page\.filePathStem\s*\}\}"), "{path}"),
)


def _eleventy_permalink(text: str) -> str:
    for pattern, placeholder in _ELEVENTY_VALUES:
        text = pattern.sub(placeholder, text)
    return text


def _normal_path(path: str) -> str:
    """A path as Redirect keeps it: a leading slash, no trailing slash, no host."""
    if path.lower().startswith(("http://", "https://")):
        path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
    return "/" + path.strip().strip("/")
