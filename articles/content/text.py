"""Plain text out of a sanitised body: its readable text, its words, its reading time, and slugs."""

from __future__ import annotations

import html
import math
import re

from django.utils.text import slugify

WORDS_PER_MINUTE = 230  # an adult's silent reading speed for non-fiction, the usual estimate

# A sanitised body (content/sanitizer.py) has no script, style or comment whose text would need skipping.
TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"\w+")


def html_text(body: str | None) -> str:
    """The readable text of a body: tags out, entities decoded, runs of spaces as one.

    Article.save() keeps it in body_text, which search indexes and cuts snippets from.
    """
    return " ".join(html.unescape(TAG.sub(" ", body or "")).split())


def word_count(html_body: str) -> int:
    return len(WORD.findall(TAG.sub(" ", html_body)))


def reading_minutes(words: int) -> int:
    """Whole minutes, rounded up, at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def slug_base(text: str, max_length=200) -> str:
    """The slug an article or keyword made from text tries first.

    Non-Latin titles keep their letters (allow_unicode); a title with no
    letters at all still gets a usable slug.
    """
    return slugify(text, allow_unicode=True)[:max_length].strip("-") or "untitled"
