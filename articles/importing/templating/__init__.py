"""Template syntax in imported static-site posts -> Markdown or HTML a reader can see.

Jekyll (Liquid), Eleventy (Nunjucks/Liquid shortcodes) and Hugo (shortcodes) post
bodies hold template syntax that the old site expanded at build time. Without the
old site's templates it would reach readers verbatim. This runs on the raw body,
before Markdown rendering, and translates what can be known from the post and the
site's config (highlight, post links, site/page values, figures, video embeds);
everything else is shown as marked code with a warning an editor can act on.

Pure text in, text out: no template engine (the old site's templates and plugins
are not here) and no database. Code regions (fences, <pre>, <code>, backtick
spans) are left alone: what is in them was meant to be shown.

The package: writer (the output and what both syntaxes write alike), arguments
(tag and shortcode arguments), embeds (figures, videos, gists, social posts),
liquid (Liquid and Nunjucks tags and output) and shortcodes (Hugo); this module
holds the public API and the scan that finds the syntax and leaves code alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.importing.templating.liquid import LiquidTags
from articles.importing.templating.shortcodes import HugoShortcodes
from articles.importing.templating.writer import END, TemplateContext

__all__ = ["TemplateContext", "Translated", "translate_templates"]


@dataclass
class Translated:
    text: str
    warnings: list[str]


def translate_templates(text: str, context: TemplateContext, *, markdown: bool) -> Translated:
    """text with its template syntax translated; anything left is marked code, with a warning."""
    # Most imported files hold no template syntax: they must cost nothing.
    if "{%" not in text and "{{" not in text:
        return Translated(text, [])
    translator = _Translator(text, context, markdown=markdown)
    translator.run(0, len(text))
    return Translated("".join(translator.out), translator.warnings)


_UP_TO_LIMIT = "{0,2000}?"  # a stray "{%" must not make every later search scan to the end of the text

_TOKEN_PARTS = [
    # Markdown only: a fence (a backtick fence's info string has no backtick) and backtick runs.
    r"(?P<fence>^[ \t]*(?P<fence_run>`{3,}(?![^\n]*`)|~{3,})[^\n]*)",
    r"(?P<ticks>`+)",
    r"(?P<pre>(?i:<pre\b[^>]*>))",
    r"(?P<code>(?i:<code\b[^>]*>))",
    r"(?P<raw>\{%-?\s*raw" + END + ")",
    # Hugo's escaped shortcode, {{</* x */>}}: the author wanted the syntax itself shown.
    r"(?P<hugo_escaped>\{\{(?P<esc_open>[<%])/\*(?P<esc_body>(?:(?!\*/).)"
    + _UP_TO_LIMIT
    + r")\*/(?P<esc_close>[>%])\}\})",
    r"(?P<tag>\{%-?\s*(?P<tag_name>[A-Za-z_][\w-]*)(?P<tag_args>(?:(?!%\}|\{%).)" + _UP_TO_LIMIT + ")" + END + ")",
    # {{< name args >}} or {{% name args %}}, the closing delimiter mirroring the opening one.
    r"(?P<hugo>\{\{(?:(?P<angle><)|%)\s*(?P<hugo_slash>/)?\s*(?P<hugo_name>[\w./-]+)"
    r"(?P<hugo_args>(?:(?![>%]\}\}|\{\{).)" + _UP_TO_LIMIT + r")\s*(?(angle)>|%)\}\})",
    r"(?P<output>\{\{-?(?P<expr>(?:(?!\}\}|\{\{|\{%).)" + _UP_TO_LIMIT + r")-?\}\})",
    # Whatever opener is left is broken syntax: it is marked, never passed through.
    r"(?P<stray>\{[{%][^{}\n]*)",
]
_MARKDOWN_TOKEN = re.compile("|".join(_TOKEN_PARTS), re.MULTILINE | re.DOTALL)
_HTML_TOKEN = re.compile("|".join(_TOKEN_PARTS[2:]), re.MULTILINE | re.DOTALL)

_ENDRAW = re.compile(r"\{%-?\s*endraw" + END)
_PRE_CLOSE = re.compile(r"</pre\s*>", re.IGNORECASE)
_CODE_CLOSE = re.compile(r"</code\s*>", re.IGNORECASE)
# A line a code span cannot run across: a blank one, or one that may start a block and end the paragraph.
_SPAN_BREAK = re.compile(r"\n[ \t]*(?:\n|[#>*+<-]|\d+[.)]|`{3}|~{3})")


class _Translator(LiquidTags, HugoShortcodes):
    """One pass over the original text: code regions are copied, template syntax goes to its translator."""

    def __init__(self, text: str, context: TemplateContext, *, markdown: bool):
        super().__init__(text, context, markdown=markdown)
        self.token = _MARKDOWN_TOKEN if markdown else _HTML_TOKEN

    def run(self, start: int, end: int, *, raw: bool = False) -> None:
        """Translate text[start:end] into self.out; raw: show template syntax, translate none."""
        pos = start
        while pos < end:
            match = self.token.search(self.text, pos, end)
            if not match:
                break
            self.out.append(self.text[pos : match.start()])
            pos = self.dispatch(match, end, raw=raw)
        self.out.append(self.text[pos:end])

    def dispatch(self, match: re.Match, end: int, *, raw: bool) -> int:
        kind = match.lastgroup  # the outermost group: the kind of token
        if kind == "fence":
            return self.fence(match, end)
        if kind in ("pre", "code"):
            closing = (_PRE_CLOSE if kind == "pre" else _CODE_CLOSE).search(self.text, match.end(), end)
            if not closing:
                self.out.append(match.group())
                return match.end()
            self.code_region(match.start(), closing.end())
            return closing.end()
        if kind == "ticks":
            return self.backtick_span(match, end)
        if raw:
            # Inside {% raw %}: the syntax is the content, shown as code.
            self.out.append(f"<code>{self.code_text(match.group())}</code>")
            return match.end()
        if kind == "raw":
            return self.raw(match, end)
        if kind == "hugo_escaped":
            literal = "{{" + match.group("esc_open") + match.group("esc_body") + match.group("esc_close") + "}}"
            self.out.append(f"<code>{self.code_text(literal)}</code>")
            return match.end()
        if kind == "tag":
            return self.liquid_tag(match, end)
        if kind == "hugo":
            return self.shortcode(match, end)
        if kind == "output":
            self.output(match)
            return match.end()
        self.mark(match.start(), match.end(), "broken template syntax {}: kept as text")
        return match.end()

    def fence(self, match: re.Match, end: int) -> int:
        run = match.group("fence_run")
        closing = re.compile(r"^[ \t]*" + re.escape(run[0]) + "{" + str(len(run)) + r",}[ \t]*$", re.MULTILINE)
        found = closing.search(self.text, match.end(), end)
        # CommonMark: a fence never closed runs to the end of the document.
        stop = found.end() if found else end
        self.code_region(match.start(), stop)
        return stop

    def backtick_span(self, match: re.Match, end: int) -> int:
        run = len(match.group())
        closing = re.compile("(?<!`)`{" + str(run) + "}(?!`)").search(self.text, match.end(), end)
        # A code span lives in one paragraph; better to translate a real span than to miss a paragraph's end.
        if not closing or _SPAN_BREAK.search(self.text, match.end(), closing.end()):
            self.out.append(match.group())
            return match.end()
        self.code_region(match.start(), closing.end())
        return closing.end()

    def raw(self, match: re.Match, end: int) -> int:
        closing = _ENDRAW.search(self.text, match.end(), end)
        if not closing:
            self.warn(match.start(), "{% raw %} never closed: the rest of the post shown as written")
        stop = closing.start() if closing else end
        self.run(match.end(), stop, raw=True)
        return closing.end() if closing else end
