"""What every translation writes with: the post's context, the output and its warnings, and how to add to them.

Marked syntax, blocks, code, post links and unknown tags are written the same way
whether Liquid or Hugo asked for them; the translators of each build on this.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.html import escape, format_html


def _no_link(target: str) -> str | None:
    return None


@dataclass
class TemplateContext:
    site: dict = field(default_factory=dict)  # the site's config values, keys as written there
    page: dict = field(default_factory=dict)  # this post's front matter
    # {% post_url %} / {% link %} / {{< ref >}} target -> that post's old root-relative address, or None.
    link_for: Callable[[str], str | None] = _no_link


# Whitespace control ({%- -%}, {{- -}}) is accepted and ignored: stripping would join paragraphs.
END = r"\s*-?%\}"

_RAW_MARKER = re.compile(r"\{%-?\s*(?:end)?raw" + END)
_ESCAPED_SHORTCODE = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.DOTALL)
_LANGUAGE = re.compile(r"[\w+#.-]+$")
# Characters Markdown would read as markup inside the text of an inline <code>.
_MARKDOWN_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]!~|"})


def one_line(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fence_for(code: str) -> str:
    """A backtick fence longer than any backtick run in code, so nothing inside can close it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def _strip_newlines(code: str) -> str:
    # As Jekyll's highlight block does: the newlines after the opening tag and before the closing one go.
    return re.sub(r"\A[\r\n]+|[\r\n]+\Z", "", code)


class Writer:
    """The output of one pass over the original text, so every warning can name its line there."""

    def __init__(self, text: str, context: TemplateContext, *, markdown: bool):
        self.text = text
        self.context = context
        self.markdown = markdown
        self.out: list[str] = []
        self.warnings: list[str] = []
        self.open_unknown: dict[str, int] = {}  # unknown paired tags waiting for their closing marker

    def run(self, start: int, end: int, *, raw: bool = False) -> None:
        """Translate text[start:end] into self.out: the scanning loop, which the translator defines."""
        raise NotImplementedError

    def warn(self, pos: int, what: str) -> None:
        self.warnings.append(f"line {self.text.count(chr(10), 0, pos) + 1}: {what}")

    def code_text(self, text: str) -> str:
        """text shown literally inside an inline <code>."""
        escaped = escape(text)
        return escaped.translate(_MARKDOWN_SPECIAL) if self.markdown else escaped

    def mark(self, start: int, end: int, problem: str) -> None:
        """text[start:end] shown as written; problem says what it is, "{}" standing for the syntax."""
        original = self.text[start:end]
        self.out.append(f'<code class="legacy-template">{self.code_text(original)}</code>')
        construct = one_line(original)
        self.warn(start, problem.replace("{}", construct) if "{}" in problem else f"{construct}: {problem}")

    def block(self, html: str, next_pos: int) -> None:
        """html as a block of its own: in Markdown, an HTML block needs blank lines around it."""
        if not self.markdown:
            self.out.append(html)
            return
        # Spaces before the tag would indent the block's first line, making it a code block.
        while self.out:
            trimmed = self.out[-1].rstrip(" \t")
            if trimmed:
                self.out[-1] = trimmed
                break
            self.out.pop()
        tail = ""
        for piece in reversed(self.out):
            tail = piece + tail
            if len(tail) >= 2:
                break
        prefix = "" if not tail or tail.endswith("\n\n") else "\n" if tail.endswith("\n") else "\n\n"
        following = self.text[next_pos : next_pos + 2]
        if next_pos >= len(self.text) or following == "\n\n":
            suffix = ""
        else:
            suffix = "\n" if following.startswith("\n") else "\n\n"
        self.out.append(prefix + html + suffix)

    def code_block(self, code: str, language: str, next_pos: int) -> None:
        if self.markdown:
            fence = _fence_for(code)
            self.block(f"{fence}{language}\n{code}\n{fence}", next_pos)
        else:
            css = format_html(' class="language-{}"', language) if language else ""
            self.block(f"<pre><code{css}>{escape(code)}</code></pre>", next_pos)

    def code_region(self, start: int, end: int) -> None:
        """Code as written, but for raw markers (removed) and escaped shortcodes (shown as meant)."""
        code = _RAW_MARKER.sub("", self.text[start:end])
        self.out.append(_ESCAPED_SHORTCODE.sub(r"{{\1\2\3}}", code))

    def remove_line_if_alone(self, start: int, stop: int) -> int:
        """A removed tag alone on its line takes the line along: a blank line would split a paragraph."""
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", stop)
        line_end = len(self.text) if line_end < 0 else line_end
        before, after = self.text[line_start:start], self.text[stop:line_end]
        if before.strip() or after.strip() or line_end == len(self.text):
            return stop
        written = "".join(self.out)
        line_head = written.rfind("\n") + 1
        if written[line_head:].strip():
            return stop
        self.out[:] = [written[:line_head]]
        return line_end + 1

    # Written alike for Liquid and Hugo

    def highlight(self, language: str, start: int, stop: int, closing: re.Match) -> None:
        if language and not _LANGUAGE.match(language):
            self.warn(start, f"highlight language {language!r} not understood: code shown without it")
            language = ""
        code = _strip_newlines(self.text[stop : closing.start()])
        # Jekyll runs Liquid inside highlight, so its raw markers are there only to protect the code.
        code = _ESCAPED_SHORTCODE.sub(r"{{\1\2\3}}", _RAW_MARKER.sub("", code))
        self.code_block(code, language, closing.end())

    def post_link(self, target: str, start: int, stop: int) -> None:
        target = target.strip("\"'")
        address = self.context.link_for(target) if target else None
        if address is None:
            self.warn(start, f"{one_line(self.text[start:stop])}: no such post")
            address = target
        self.out.append(escape(address))

    def unknown(self, name: str, start: int, stop: int, end: int, *, closing: re.Pattern, hugo: bool = False) -> int:
        kind = "Hugo shortcode" if hugo else "Liquid tag"
        is_closing = name.startswith("/") if hugo else name.startswith("end")
        opened = name[1:] if hugo and is_closing else name[3:] if is_closing else name
        if is_closing and self.open_unknown.get(opened):
            self.open_unknown[opened] -= 1  # its opening marker gave the warning
            self.out.append(f'<code class="legacy-template">{self.code_text(self.text[start:stop])}</code>')
        elif is_closing:
            self.mark(start, stop, f"closing {kind} {{}} without its opening one: kept as text")
        elif closing.search(self.text, stop, end):
            self.open_unknown[name] = self.open_unknown.get(name, 0) + 1
            self.mark(start, stop, f"unknown paired {kind} {{}}: its markers kept as text, its content translated")
        else:
            self.mark(start, stop, f"unknown {kind} {{}}: kept as text")
        return stop
