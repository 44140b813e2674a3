"""Articles out as front-matter files that import_legacy reads back: a portable copy, not a backup.

Every article (published, scheduled, in review or draft) becomes DIR/<slug>.html
with its metadata in YAML front matter, and every stored picture it uses is
copied to DIR/media/..., referenced site-relatively, so
`import_legacy DIR --images-dir DIR` rebuilds the same articles. The format
carries what an article shows and what its pictures say of themselves (credit,
copyright, focal point, crops); it cannot carry revisions, events, redirects to
other addresses, or pictures no article uses (docs/importing.md lists them).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import frontmatter
from django.utils.html import format_html

from articles.content.body import FigureSlot, split_figures
from articles.importing.parsing import EXPORT_MARKER
from articles.models import Article, Image


@dataclass
class ExportResult:
    articles: int = 0
    pictures: int = 0


def _src(image: Image, directory: Path, copied: set[str]) -> str:
    """Where the exported file points at image: a copy under media/, or its remote address."""
    if not image.file:
        return image.source_url
    relative = Path("media") / image.file.name
    if image.file.name not in copied:
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with image.file.open("rb") as source:
            target.write_bytes(source.read())
        copied.add(image.file.name)
    return "/" + relative.as_posix()


def _picture(image: Image, src: str) -> dict:
    """What the picture says of itself, as the importer's image: mapping reads it (pictures_meta.picture_facts)."""
    facts = {"src": src, "alt": image.alt_text, "credit": image.credit, "copyright": image.copyright}
    if image.focal_x is not None and image.focal_y is not None:
        facts["focal"] = [image.focal_x, image.focal_y]
    if image.crops:
        facts["crops"] = image.crops
    return {key: value for key, value in facts.items() if value != ""}


def _body(article: Article, directory: Path, copied: set[str]) -> tuple[str, list[dict]]:
    """The body with each figure written from its row, the lead first (the importer
    takes a first figure that repeats the lead image as the lead's caption), and
    what the figures' pictures say of themselves."""
    parts, pictures = [], []
    if article.lead_image:
        lead_src = _src(article.lead_image, directory, copied)
        parts.append(_figure(lead_src, article.lead_image.alt_text, article.lead_caption))
    # Each figure written from its row, matched as the page matches them (images/html.py render_body).
    rows = {figure.position: figure for figure in article.figures.all()}
    for piece in split_figures(article.body):
        row = rows.get(piece.position) if isinstance(piece, FigureSlot) else None
        if row is not None:
            src = _src(row.image, directory, copied)
            parts.append(_figure(src, row.image.alt_text, row.caption, row.link))
            pictures.append(_picture(row.image, src))
        else:
            parts.append(piece if isinstance(piece, str) else piece.markup)
    return "".join(parts), pictures


def _figure(src: str, alt: str, caption: str, link: str = "") -> str:
    picture = format_html('<img src="{}" alt="{}">', src, alt)
    if link:
        picture = format_html('<a href="{}">{}</a>', link, picture)
    if caption:
        return format_html("<figure>{}<figcaption>{}</figcaption></figure>", picture, caption)
    return format_html("<figure>{}</figure>", picture)


def _text(value: str) -> str:
    # Generators and the importer read front-matter text as HTML (an "&amp;" in a legacy
    # title is an ampersand); Newsroom's fields are plain text, so "&" and "<" are escaped.
    return html.escape(value, quote=False)


def export_articles(directory: Path) -> ExportResult:
    directory.mkdir(parents=True, exist_ok=True)
    result, copied = ExportResult(), set()
    queryset = Article.objects.for_detail().with_authors().prefetch_related("redirects").order_by("pk")
    for article in queryset.iterator(chunk_size=200):
        body, pictures = _body(article, directory, copied)
        metadata = {
            EXPORT_MARKER: 1,
            "title": _text(article.title),
            "slug": article.slug,
            "description": _text(article.standfirst),
            # Authors by name (the importer finds them again by slug); the byline as free text.
            "authors": [_text(author.name) for author in article.author_list],
            "byline": _text(article.byline),
            "keywords": [_text(keyword.name) for keyword in article.keywords.all()],
            "status": article.status,
        }
        if article.status != Article.Status.PUBLISHED:
            metadata["draft"] = True  # what other generators hold back by
        if article.publish_at:
            metadata["date"] = article.publish_at.isoformat()
        if article.lead_image:
            metadata["image"] = _picture(article.lead_image, _src(article.lead_image, directory, copied))
        if pictures:
            metadata["newsroom_pictures"] = pictures
        if article.section:
            metadata["newsroom_section"] = {"name": article.section.name, "slug": article.section.slug}
        if article.legacy_url:
            metadata["permalink"] = article.legacy_url
        aliases = sorted(r.old_path for r in article.redirects.all() if r.old_path != article.legacy_url)
        if aliases:
            metadata["aliases"] = aliases
        post = frontmatter.Post(body, **{k: v for k, v in metadata.items() if v not in ("", [], None)})
        (directory / f"{article.slug}.html").write_text(frontmatter.dumps(post, sort_keys=False) + "\n", "utf-8")
        result.articles += 1
    result.pictures = len(copied)
    return result
