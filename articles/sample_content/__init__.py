"""Sample content, so a newcomer's `make run` shows a site that looks like a small news site.

articles.json holds invented stories, sections and the metadata of the pictures
in images/ (painted by make_images.py). load() stores them through the same
paths real content takes (create_image() for pictures, Article.save() for the
sanitizer and the ArticleFigure rows) and is idempotent: pictures are matched
by checksum, sections, authors and keywords by slug, articles by slug, and anything
already there is left alone, even if someone has edited it since.
"""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.images.ingest import create_image, process_upload
from articles.models import Article, Author, Correction, Image, Keyword, Section

HERE = Path(__file__).resolve().parent
DATA_FILE = HERE / "articles.json"
IMAGE_DIR = HERE / "images"

# {image:NAME} -> the stored picture's URL, {alt:NAME} -> its alt text (so the body never disagrees with the Image row).
PLACEHOLDER = re.compile(r"\{(image|alt):([^{}\s]+)\}")


def read_data(path: Path = DATA_FILE) -> dict:
    """The parsed data file, checked for references that point nowhere."""
    data = json.loads(path.read_text(encoding="utf-8"))
    sections = {s["slug"] for s in data["sections"]}
    authors = {a["slug"] for a in data["authors"]}
    images = set(data["images"])
    for entry in data["articles"]:
        where = f"article {entry['slug']!r}"
        if entry["section"] not in sections:
            raise ValueError(f"{where}: unknown section {entry['section']!r}")
        if unknown := set(entry["authors"]) - authors:
            raise ValueError(f"{where}: unknown authors {sorted(unknown)!r}")
        if entry["lead_image"] not in images:
            raise ValueError(f"{where}: unknown lead image {entry['lead_image']!r}")
        for _, name in PLACEHOLDER.findall("\n".join(entry["body"])):
            if name not in images:
                raise ValueError(f"{where}: body uses unknown image {name!r}")
        if entry["status"] == Article.Status.PUBLISHED and entry["published_hours_ago"] is None:
            raise ValueError(f"{where}: a published article needs published_hours_ago")
        for correction in entry.get("corrections", []):
            if correction["kind"] not in Correction.Kind.values:
                raise ValueError(f"{where}: unknown correction kind {correction['kind']!r}")
    return data


def body_html(entry: dict, images: dict[str, Image]) -> str:
    def substitute(match: re.Match) -> str:
        image = images[match.group(2)]
        return image.url if match.group(1) == "image" else html.escape(image.alt_text, quote=True)

    return PLACEHOLDER.sub(substitute, "\n".join(entry["body"]))


def _image(name: str, meta: dict, counts: dict, note) -> Image:
    data = (IMAGE_DIR / name).read_bytes()
    # create_image() re-encodes, so the stored file's checksum is the re-encoded one, not the file on disk's.
    checksum = process_upload(data).checksum
    image = Image.objects.filter(checksum=checksum).order_by("pk").first()
    if image is not None:
        counts["images_unchanged"] += 1
        return image
    image = create_image(
        data=data, alt_text=meta["alt_text"], credit=meta["credit"], copyright=meta["copyright"], original_name=name
    )
    counts["images_created"] += 1
    note(f"  image {name} -> {image.file.name}")
    return image


def _section(meta: dict, counts: dict, note) -> Section:
    section, created = Section.objects.get_or_create(
        slug=meta["slug"],
        defaults={"name": meta["name"], "description": meta["description"], "position": meta["position"]},
    )
    counts["sections_created" if created else "sections_unchanged"] += 1
    if created:
        note(f"  section {section.name}")
    return section


def _author(meta: dict, counts: dict, note) -> Author:
    fields = {"name": meta["name"], "role": meta["role"], "bio": meta["bio"], "links": "\n".join(meta["links"])}
    author, created = Author.objects.get_or_create(slug=meta["slug"], defaults=fields)
    if created:
        counts["authors_created"] += 1
        note(f"  author {author.name}")
    return author


def _keyword(name: str, counts: dict, note) -> Keyword:
    keyword, created = Keyword.objects.get_or_create(slug=slugify(name, allow_unicode=True), defaults={"name": name})
    if created:
        counts["keywords_created"] += 1
        note(f"  keyword {name}")
    return keyword


def load(*, stdout=None, data: dict | None = None) -> dict[str, int]:
    """Store the sample content that is not there yet; return how many rows were created or left unchanged.

    stdout, if given, gets one line per row created.
    """
    data = data if data is not None else read_data()

    def note(line: str) -> None:
        if stdout is not None:
            stdout.write(line)

    counts = dict.fromkeys(
        (
            "images_created",
            "images_unchanged",
            "sections_created",
            "sections_unchanged",
            "authors_created",
            "keywords_created",
            "articles_created",
            "articles_unchanged",
            "corrections_created",
            "pages_created",
            "pages_unchanged",
        ),
        0,
    )
    now = timezone.now()
    # All or nothing in the database. Image files written before a failure stay in
    # media storage as orphans, which is harmless for sample content.
    with transaction.atomic():
        images = {name: _image(name, meta, counts, note) for name, meta in data["images"].items()}
        sections = {meta["slug"]: _section(meta, counts, note) for meta in data["sections"]}
        authors = {meta["slug"]: _author(meta, counts, note) for meta in data["authors"]}
        for entry in data["articles"]:
            if Article.objects.filter(slug=entry["slug"]).exists():
                counts["articles_unchanged"] += 1
                continue
            hours = entry["published_hours_ago"]
            article = Article(
                title=entry["title"],
                slug=entry["slug"],
                standfirst=entry["standfirst"],
                byline=entry["byline"],
                section=sections[entry["section"]],
                status=entry["status"],
                publish_at=None if hours is None else now - timedelta(hours=hours),
                lead_image=images[entry["lead_image"]],
                lead_caption=entry["lead_caption"],
                body=body_html(entry, images),
            )
            article.save()  # sanitises the body and derives the ArticleFigure rows
            article.keywords.set([_keyword(name, counts, note) for name in entry["keywords"]])
            article.set_authors([authors[slug].pk for slug in entry["authors"]])
            for correction in entry.get("corrections", []):
                published_at = now - timedelta(hours=correction["hours_ago"])
                article.corrections.create(kind=correction["kind"], note=correction["note"], published_at=published_at)
                counts["corrections_created"] += 1
            counts["articles_created"] += 1
            note(f"  article {article.slug} ({article.state_label.lower()})")
        for meta in data.get("pages", []):
            _site_page(meta, counts, note)
    return counts


def _site_page(meta: dict, counts: dict, note) -> None:
    """A footer page (a flatpage on this site), by its address; its content is sanitised as it is saved."""
    if FlatPage.objects.filter(url=meta["url"]).exists():
        counts["pages_unchanged"] += 1
        return
    page = FlatPage.objects.create(url=meta["url"], title=meta["title"], content="\n".join(meta["content"]))
    page.sites.add(settings.SITE_ID)
    counts["pages_created"] += 1
    note(f"  page {page.url}")
