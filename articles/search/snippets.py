"""Search snippets: body text around a reader's words, the words marked.

Both databases cut snippets from Article.body_text (the body's decoded text)
and mark the matched words between MARK_START and MARK_END; snippet_html()
turns them into <mark> elements and escapes everything else.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Control characters never occur in a sanitised body's text.
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_WORDS = 30


def snippet_html(snippet: str) -> SafeString:
    """A snippet with its marked words in <mark>, everything else escaped.

    Both databases cut snippets from body_text, the body's decoded text, so
    "&lt;" there is what the writer typed and is shown as typed.
    """
    pieces = []
    for chunk in snippet.split(MARK_START):
        marked, _, rest = chunk.rpartition(MARK_END)
        if marked:
            pieces.append(format_html("<mark>{}</mark>", marked.replace(MARK_END, "")))
        pieces.append(format_html("{}", rest))
    return format_html_join("", "{}", ((piece,) for piece in pieces))
