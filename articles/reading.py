"""What a reader gets around an article besides the article: reading time.

(Related articles and the previous/next links are reads, so they live in
ArticleQuerySet: related_to() and with_neighbours().)
"""

from __future__ import annotations

import math
import re

WORDS_PER_MINUTE = 230  # an adult's silent reading speed for non-fiction, the usual estimate

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


def word_count(html: str) -> int:
    """Words in a sanitised body (articles/sanitizer.py leaves no script, style or comment to skip)."""
    return len(_WORD.findall(_TAG.sub(" ", html)))


def reading_minutes(words: int) -> int:
    """Whole minutes, rounded up, at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
