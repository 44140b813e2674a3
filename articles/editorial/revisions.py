"""Reading stored revisions: an article's text as lines, and a word-level diff of two of them.

Revisions are django-reversion Versions of Article (registered in
articles/apps.py). The diff is computed here with difflib and drawn by a
template that escapes every piece, so no HTML is built by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils import timezone
from reversion.models import Version

from articles.content.body import parse_fragment
from articles.models import Article, ArticleAuthor, Author, Image, Keyword
from articles.models import Section as SiteSection  # Section below is a part of a diff

BLOCKS = {"p", "h2", "h3", "h4", "li", "blockquote", "figcaption", "caption", "td", "th", "pre", "div"}


def versions_of(article_pk) -> list[Version]:
    """Newest first, with who saved each one."""
    return list(
        Version.objects.get_for_model(Article)
        .filter(object_id=str(article_pk))
        .select_related("revision__user")
        .order_by("-pk")
    )


def reader_fields(version: Version) -> dict:
    """A revision's field_dict, with its authors' ids in byline order as "authors": django-reversion
    keeps them as the ArticleAuthor rows it followed into the revision (articles/apps.py)."""
    links = [link.field_dict for link in version.revision.version_set.get_for_model(ArticleAuthor)]
    authors = [link["author_id"] for link in sorted(links, key=lambda link: link["position"])]
    return {**version.field_dict, "authors": authors}


def body_lines(html: str) -> list[str]:
    """The body as readable lines: one per paragraph, heading, list item or caption."""
    if not html.strip():
        return []
    root = parse_fragment(html)
    lines = [" ".join(root.text.split())] if root.text and root.text.strip() else []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "img":
            lines.append(f"[Picture: {element.get('alt') or 'no alt text'}]")
        elif element.tag in BLOCKS and not any(child.tag in BLOCKS for child in element.iterdescendants()):
            text = " ".join(element.text_content().split())
            if text:
                lines.append(("• " if element.tag == "li" else "") + text)
    return lines


def text_of(fields: dict) -> dict[str, list[str]]:
    """What a person compares: every part of the article a reader sees, as lines of text."""
    keywords = Keyword.objects.filter(pk__in=fields.get("keywords") or []).order_by("name")
    authors = Author.objects.in_bulk(fields.get("authors") or [])
    author_names = [str(authors.get(pk, f"(deleted author {pk})")) for pk in fields.get("authors") or []]
    publish_at = fields.get("publish_at")
    return {
        "Headline": [fields.get("title", "")],
        "Standfirst": [line for line in fields.get("standfirst", "").splitlines() if line.strip()],
        "Authors": [", ".join(author_names)] if author_names else [],
        "Byline": [fields.get("byline", "")] if fields.get("byline") else [],
        "Lead image": [_named(Image, fields.get("lead_image_id"))] if fields.get("lead_image_id") else [],
        "Lead caption": [fields.get("lead_caption", "")] if fields.get("lead_caption") else [],
        "Body": body_lines(fields.get("body", "")),
        "Section": [_named(SiteSection, fields.get("section_id"))] if fields.get("section_id") else [],
        "Keywords": [", ".join(keyword.name for keyword in keywords)] if keywords else [],
        "Publish time": [f"{timezone.localtime(publish_at):%d %b %Y %H:%M %Z}"] if publish_at else [],
    }


def _named(model, pk) -> str:
    found = model.objects.filter(pk=pk).first()
    return str(found) if found is not None else f"(deleted {model._meta.verbose_name} {pk})"


@dataclass
class Row:
    kind: str  # "same", "changed", "removed", "added"
    old: list[tuple[str, bool]] = field(default_factory=list)  # (text, changed?) pieces
    new: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class Section:
    name: str
    rows: list[Row]

    @property
    def changed(self) -> bool:
        return any(row.kind != "same" for row in self.rows)


def diff(old: dict, new: dict) -> list[Section]:
    """Side-by-side rows per part of the article; changed lines marked word by word."""
    old_text, new_text = text_of(old), text_of(new)
    return [Section(name, _rows(old_text[name], new_text[name])) for name in old_text]


def _rows(old: list[str], new: list[str]) -> list[Row]:
    rows = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            rows.extend(Row("same", [(line, False)], [(line, False)]) for line in old[i1:i2])
            continue
        before, after = old[i1:i2], new[j1:j2]
        for index in range(max(len(before), len(after))):
            a = before[index] if index < len(before) else None
            b = after[index] if index < len(after) else None
            if a is None:
                rows.append(Row("added", [], [(b, True)]))
            elif b is None:
                rows.append(Row("removed", [(a, True)], []))
            else:
                rows.append(Row("changed", *_words(a, b)))
    return rows


def _words(a: str, b: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    old_words, new_words = a.split(" "), b.split(" ")
    old, new = [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
        changed = tag != "equal"
        if i2 > i1:
            old.append((" ".join(old_words[i1:i2]) + " ", changed))
        if j2 > j1:
            new.append((" ".join(new_words[j1:j2]) + " ", changed))
    return old, new
