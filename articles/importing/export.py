"""Articles back out as front-matter files that import_legacy reads again.

A backup and an exit door: every article (published, scheduled or draft)
becomes DIR/<slug>.html with its metadata in YAML front matter, and every
stored picture it uses is copied to DIR/media/..., referenced site-relatively,
so `import_legacy DIR --images-dir DIR` rebuilds the same content.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import frontmatter
from django.utils.html import format_html

from articles.content.body import FigureSlot, split_figures
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


def _body(article: Article, directory: Path, copied: set[str]) -> tuple[str, str]:
    """The body with each figure written from its row, the lead first (the importer
    takes a first figure that repeats the lead image as the lead's caption)."""
    parts, lead_src = [], ""
    if article.lead_image:
        lead_src = _src(article.lead_image, directory, copied)
        parts.append(_figure(lead_src, article.lead_image.alt_text, article.lead_caption))
    # Each figure written from its row, matched as the page matches them (images/html.py render_body).
    rows = {figure.position: figure for figure in article.figures.all()}
    for piece in split_figures(article.body):
        row = rows.get(piece.position) if isinstance(piece, FigureSlot) else None
        if row is not None:
            parts.append(_figure(_src(row.image, directory, copied), row.image.alt_text, row.caption, row.link))
        else:
            parts.append(piece if isinstance(piece, str) else piece.markup)
    return "".join(parts), lead_src


def _figure(src: str, alt: str, caption: str, link: str = "") -> str:
    picture = format_html('<img src="{}" alt="{}">', src, alt)
    if link:
        picture = format_html('<a href="{}">{}</a>', link, picture)
    if caption:
        return format_html("<figure>{}<figcaption>{}</figcaption></figure>", picture, caption)
    return format_html("<figure>{}</figure>", picture)


def export_articles(directory: Path) -> ExportResult:
    directory.mkdir(parents=True, exist_ok=True)
    result, copied = ExportResult(), set()
    queryset = Article.objects.for_detail().order_by("pk")
    for article in queryset.iterator(chunk_size=200):
        body, lead_src = _body(article, directory, copied)
        metadata = {
            "title": article.title,
            "slug": article.slug,
            "description": article.standfirst,
            "author": article.byline,
            "keywords": [keyword.name for keyword in article.keywords.all()],
        }
        if article.publish_at:
            metadata["date"] = article.publish_at.isoformat()
        if article.status != Article.Status.PUBLISHED:
            metadata["draft"] = True
        if lead_src:
            metadata["image"] = lead_src
        if article.section:
            metadata["newsroom_section"] = {"name": article.section.name, "slug": article.section.slug}
        if article.legacy_url:
            metadata["permalink"] = article.legacy_url
        post = frontmatter.Post(body, **{k: v for k, v in metadata.items() if v not in ("", [], None)})
        (directory / f"{article.slug}.html").write_text(frontmatter.dumps(post, sort_keys=False) + "\n", "utf-8")
        result.articles += 1
    result.pictures = len(copied)
    return result
