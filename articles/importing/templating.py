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


# Whitespace control ({%- -%}, {{- -}}) is accepted and ignored: stripping would join paragraphs.
_END = r"\s*-?%\}"

_UP_TO_LIMIT = "{0,2000}?"  # a stray "{%" must not make every later search scan to the end of the text

_TOKEN_PARTS = [
    # Markdown only: a fence (a backtick fence's info string has no backtick) and backtick runs.
    r"(?P<fence>^[ \t]*(?P<fence_run>`{3,}(?![^\n]*`)|~{3,})[^\n]*)",
    r"(?P<ticks>`+)",
    r"(?P<pre>(?i:<pre\b[^>]*>))",
    r"(?P<code>(?i:<code\b[^>]*>))",
    r"(?P<raw>\{%-?\s*raw" + _END + ")",
    # Hugo's escaped shortcode, {{</* x */>}}: the author wanted the syntax itself shown.
    r"(?P<hugo_escaped>\{\{(?P<esc_open>[<%])/\*(?P<esc_body>(?:(?!\*/).)"
    + _UP_TO_LIMIT
    + r")\*/(?P<esc_close>[>%])\}\})",
    r"(?P<tag>\{%-?\s*(?P<tag_name>[A-Za-z_][\w-]*)(?P<tag_args>(?:(?!%\}|\{%).)" + _UP_TO_LIMIT + ")" + _END + ")",
    # {{< name args >}} or {{% name args %}}, the closing delimiter mirroring the opening one.
    r"(?P<hugo>\{\{(?:(?P<angle><)|%)\s*(?P<hugo_slash>/)?\s*(?P<hugo_name>[\w./-]+)"
    r"(?P<hugo_args>(?:(?![>%]\}\}|\{\{).)" + _UP_TO_LIMIT + r")\s*(?(angle)>|%)\}\})",
    r"(?P<output>\{\{-?(?P<expr>(?:(?!\}\}|\{\{|\{%).)" + _UP_TO_LIMIT + r")-?\}\})",
    # Whatever opener is left is broken syntax: it is marked, never passed through.
    r"(?P<stray>\{[{%][^{}\n]*)",
]
_MARKDOWN_TOKEN = re.compile("|".join(_TOKEN_PARTS), re.MULTILINE | re.DOTALL)
_HTML_TOKEN = re.compile("|".join(_TOKEN_PARTS[2:]), re.MULTILINE | re.DOTALL)

_RAW_MARKER = re.compile(r"\{%-?\s*(?:end)?raw" + _END)
_ENDRAW = re.compile(r"\{%-?\s*endraw" + _END)
_ESCAPED_SHORTCODE = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.DOTALL)
_PRE_CLOSE = re.compile(r"</pre\s*>", re.IGNORECASE)
_CODE_CLOSE = re.compile(r"</code\s*>", re.IGNORECASE)
# A line a code span cannot run across: a blank one, or one that may start a block and end the paragraph.
_SPAN_BREAK = re.compile(r"\n[ \t]*(?:\n|[#>*+<-]|\d+[.)]|`{3}|~{3})")
_LIQUID_END = {name: re.compile(r"\{%-?\s*end" + name + _END) for name in ("highlight", "comment", "capture")}
_HUGO_HIGHLIGHT_END = re.compile(r"\{\{[<%]\s*/\s*highlight\s*[>%]\}\}")
_HUGO_COMMENT_END = re.compile(r"\{\{[<%]\s*/\s*comment\s*[>%]\}\}")

_ARG = re.compile(
    r"""(?:(?P<key>[\w-]+)\s*=\s*)?"""
    r"""(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>[^']*)'|`(?P<bq>[^`]*)`|(?P<bare>[^\s,"'`=]+))"""
)
_SEPARATOR = re.compile(r"[\s,]*")
_ASSIGN = re.compile(r"\s*([A-Za-z_][\w-]*)\s*=\s*(.+?)\s*$", re.DOTALL)
_VARIABLE = re.compile(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*$")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?$")
_ABSOLUTE_URL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
_LANGUAGE = re.compile(r"[\w+#.-]+$")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{6,20}$")
_YOUTUBE_URL = re.compile(r"(?:youtube(?:-nocookie)?\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/)|youtu\.be/)([\w-]+)")
_VIMEO_ID = re.compile(r"\d+$")
_VIMEO_URL = re.compile(r"vimeo\.com/(?:video/)?(\d+)")
_GIST_USER = re.compile(r"[A-Za-z0-9-]+$")
_GIST_ID = re.compile(r"[A-Za-z0-9]+$")
_INSTAGRAM_ID = re.compile(r"[A-Za-z0-9_-]+$")
_TWEET_ID = re.compile(r"\d+$")
# Characters Markdown would read as markup inside the text of an inline <code>.
_MARKDOWN_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]!~|"})

PICTURE_PARAMS = ("src", "url", "image", "file", "path")
CAPTION_PARAMS = ("caption", "title", "description")
_MISSING = object()


@dataclass
class _Args:
    positional: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)
    unquoted: set[str] = field(default_factory=set)  # keys (or "0", "1"...) written without quotes


def _parse_args(text: str) -> _Args | None:
    """Shortcode arguments: quoted or bare, positional or key=value, separated by spaces or commas."""
    args, pos = _Args(), _SEPARATOR.match(text).end()
    while pos < len(text):
        match = _ARG.match(text, pos)
        if not match:
            return None
        quoted = next((g for g in ("dq", "sq", "bq") if match.group(g) is not None), None)
        value = match.group(quoted or "bare")
        if quoted == "dq":
            value = re.sub(r"\\(.)", r"\1", value)
        key = match.group("key")
        if key is None:
            key = str(len(args.positional))
            args.positional.append(value)
        else:
            args.named[key] = value
        if quoted is None:
            args.unquoted.add(key)
        pos = _SEPARATOR.match(text, match.end()).end()
    return args


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    parts, current, quote = [], [], None
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == separator:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _one_line(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fence_for(code: str) -> str:
    """A backtick fence longer than any backtick run in code, so nothing inside can close it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def _strip_newlines(code: str) -> str:
    # As Jekyll's highlight block does: the newlines after the opening tag and before the closing one go.
    return re.sub(r"\A[\r\n]+|[\r\n]+\Z", "", code)


def _youtube_id(value: str) -> str | None:
    match = _YOUTUBE_URL.search(value)
    video_id = match.group(1) if match else value
    return video_id if _YOUTUBE_ID.match(video_id) else None


def _vimeo_id(value: str) -> str | None:
    match = _VIMEO_URL.search(value)
    video_id = match.group(1) if match else value
    return video_id if _VIMEO_ID.match(video_id) else None


def _figure(src: str, alt: str, caption: str, link: str = "") -> str:
    image = format_html('<img src="{}" alt="{}">', src, alt)
    if link:
        image = format_html('<a href="{}">{}</a>', link, image)
    if caption:
        return str(format_html("<figure>{}<figcaption>{}</figcaption></figure>", image, caption))
    return str(format_html("<figure>{}</figure>", image))


def _iframe(src: str, title: str) -> str:
    return str(format_html('<iframe src="{}" title="{}" allowfullscreen></iframe>', src, title))


def _link_paragraph(href: str, text: str) -> str:
    return str(format_html('<p><a href="{}">{}</a></p>', href, text))


class _Translator:
    """One pass over the original text, so every warning can name its line there."""

    def __init__(self, text: str, context: TemplateContext, *, markdown: bool):
        self.text = text
        self.context = context
        self.markdown = markdown
        self.token = _MARKDOWN_TOKEN if markdown else _HTML_TOKEN
        self.out: list[str] = []
        self.warnings: list[str] = []
        self.variables: dict[str, str] = {}
        self.markup_variables: set[str] = set()  # captures: the author's own markup, output unescaped
        self.open_unknown: dict[str, int] = {}  # unknown paired tags waiting for their closing marker

    # Output

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
        construct = _one_line(original)
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

    # Scanning

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

    # Liquid and Nunjucks tags

    def liquid_tag(self, match: re.Match, end: int) -> int:
        name, args = match.group("tag_name"), match.group("tag_args").strip()
        start, stop = match.start(), match.end()
        if name == "endraw":
            return stop
        if name in ("highlight", "comment", "capture"):
            closing = _LIQUID_END[name].search(self.text, stop, end)
            if not closing:
                self.mark(start, stop, f"{{% end{name} %}} missing: kept as text")
                return stop
            if name == "highlight":
                self.highlight(args.split()[0] if args else "", start, stop, closing)
                return closing.end()
            if name == "capture":
                self.capture(args, start, stop, closing.start())
            return self.remove_line_if_alone(start, closing.end())
        if name in ("assign", "set"):
            self.assign(args, start, stop)
            return self.remove_line_if_alone(start, stop)
        if name in ("post_url", "link"):
            self.post_link(args, start, stop)
            return stop
        handler = {
            "include": self.include,
            "include_relative": self.include,
            "youtube": self.liquid_video,
            "vimeo": self.liquid_video,
            "gist": self.liquid_gist,
            "image": self.eleventy_image,
        }.get(name)
        if handler:
            return handler(name, args, start, stop)
        return self.unknown(name, start, stop, end, closing=re.compile(r"\{%-?\s*end" + re.escape(name) + _END))

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

    def highlight(self, language: str, start: int, stop: int, closing: re.Match) -> None:
        if language and not _LANGUAGE.match(language):
            self.warn(start, f"highlight language {language!r} not understood: code shown without it")
            language = ""
        code = _strip_newlines(self.text[stop : closing.start()])
        # Jekyll runs Liquid inside highlight, so its raw markers are there only to protect the code.
        code = _ESCAPED_SHORTCODE.sub(r"{{\1\2\3}}", _RAW_MARKER.sub("", code))
        self.code_block(code, language, closing.end())

    def capture(self, args: str, start: int, stop: int, content_end: int) -> None:
        name = args.split()[0] if args else ""
        if not _VARIABLE.match(name):
            self.warn(start, f"{_one_line(self.text[start:stop])}: capture without a name: removed")
            return
        outer, self.out = self.out, []
        self.run(stop, content_end)
        self.variables[name] = "".join(self.out)
        self.markup_variables.add(name)
        self.out = outer

    def assign(self, args: str, start: int, stop: int) -> None:
        match = _ASSIGN.match(args)
        if not match:
            self.warn(start, f"{_one_line(self.text[start:stop])}: not understood: removed")
            return
        value, problem = self.evaluate(match.group(2))
        if problem:  # a later {{ name }} is then marked, with its own warning
            self.variables.pop(match.group(1), None)
            return
        self.variables[match.group(1)] = value
        self.markup_variables.discard(match.group(1))

    def post_link(self, target: str, start: int, stop: int) -> None:
        target = target.strip("\"'")
        address = self.context.link_for(target) if target else None
        if address is None:
            self.warn(start, f"{_one_line(self.text[start:stop])}: no such post")
            address = target
        self.out.append(escape(address))

    def include(self, name: str, args: str, start: int, stop: int) -> int:
        parsed = _parse_args(args)
        if not parsed or not parsed.positional:
            self.mark(start, stop, "include not understood: kept as text")
            return stop
        file_name = parsed.positional[0]
        params = {}
        for key, value in parsed.named.items():
            resolved = self.include_value(value, unquoted=key in parsed.unquoted)
            if resolved is None:
                self.mark(start, stop, f"include parameter {key} not understood: kept as text")
                return stop
            params[key] = resolved
        lowered = file_name.lower()
        video = params.get("id") or params.get("video") or params.get("url") or params.get("src")
        if "youtube" in lowered and video:
            return self.embed("youtube", video, start, stop)
        if "vimeo" in lowered and video:
            return self.embed("vimeo", video, start, stop)
        src = next((params[key] for key in PICTURE_PARAMS if params.get(key)), "")
        if src:
            caption = next((params[key] for key in CAPTION_PARAMS if params.get(key)), "")
            self.block(_figure(src, params.get("alt", ""), caption), stop)
            return stop
        self.mark(start, stop, f"include of {file_name}: its file is not part of the post: kept as text")
        return stop

    def include_value(self, value: str, *, unquoted: bool) -> str | None:
        if unquoted:
            resolved, problem = self.evaluate(value)
            if problem and "." not in value:
                # Jekyll reads an unquoted value as a variable; id=dQw4w9WgXcQ was meant literally.
                return value
            return None if problem else resolved
        problems = []

        def substitute(match: re.Match) -> str:
            resolved, problem = self.evaluate(match.group("expr"))
            problems.append(problem)
            return resolved

        value = re.sub(r"\{\{-?(?P<expr>.*?)-?\}\}", substitute, value)
        return None if any(problems) or "{%" in value else value

    def liquid_video(self, name: str, args: str, start: int, stop: int) -> int:
        parsed = _parse_args(args)
        # Plugins also take a whole address, which the argument parser refuses (its "=").
        value = (parsed.named.get("id") or (parsed.positional or [""])[0]) if parsed else args.strip("\"' ")
        return self.embed(name, value, start, stop)

    def liquid_gist(self, name: str, args: str, start: int, stop: int) -> int:
        parsed = _parse_args(args)
        first = parsed.positional[0] if parsed and parsed.positional else ""
        user, _, gist_id = first.rpartition("/")
        return self.gist(user, gist_id, start, stop)

    def eleventy_image(self, name: str, args: str, start: int, stop: int) -> int:
        parsed = _parse_args(args)
        values = []
        for index, value in enumerate(parsed.positional if parsed else []):
            resolved = self.include_value(value, unquoted=str(index) in parsed.unquoted)
            if resolved is None:
                self.mark(start, stop, "image shortcode argument not understood: kept as text")
                return stop
            values.append(resolved)
        if not values:
            self.mark(start, stop, "image shortcode without a picture: kept as text")
            return stop
        src, alt, caption = (values + ["", ""])[:3]
        self.block(_figure(src, alt, caption), stop)
        return stop

    # Embeds shared by Liquid and Hugo

    def embed(self, service: str, value: str, start: int, stop: int) -> int:
        if service == "youtube":
            video_id = _youtube_id(value)
            src, title = f"https://www.youtube-nocookie.com/embed/{video_id}", "YouTube video"
        else:
            video_id = _vimeo_id(value)
            src, title = f"https://player.vimeo.com/video/{video_id}", "Vimeo video"
        if not video_id:
            self.mark(start, stop, f"{service} video id {value!r} not valid: kept as text")
            return stop
        self.block(_iframe(src, title), stop)
        return stop

    def gist(self, user: str, gist_id: str, start: int, stop: int) -> int:
        if not _GIST_ID.match(gist_id) or (user and not _GIST_USER.match(user)):
            self.mark(start, stop, "gist not understood: kept as text")
            return stop
        path = f"{user}/{gist_id}" if user else gist_id
        self.block(_link_paragraph(f"https://gist.github.com/{path}", f"Gist: {path}"), stop)
        self.warn(start, f"{_one_line(self.text[start:stop])}: gist embed kept as a link")
        return stop

    # Hugo shortcodes

    def shortcode(self, match: re.Match, end: int) -> int:
        name, start, stop = match.group("hugo_name"), match.start(), match.end()
        if match.group("hugo_slash"):
            return self.unknown("/" + name, start, stop, end, closing=_HUGO_HIGHLIGHT_END, hugo=True)
        args = _parse_args(match.group("hugo_args"))
        if args is None:
            self.mark(start, stop, "shortcode arguments not understood: kept as text")
            return stop
        first = args.positional[0] if args.positional else ""
        if name in ("highlight", "comment"):
            closing = (_HUGO_HIGHLIGHT_END if name == "highlight" else _HUGO_COMMENT_END).search(self.text, stop, end)
            if not closing:
                self.mark(start, stop, f"{{{{< /{name} >}}}} missing: kept as text")
                return stop
            if name == "comment":
                return self.remove_line_if_alone(start, closing.end())
            self.highlight(first or args.named.get("lang", ""), start, stop, closing)
            return closing.end()
        if name in ("ref", "relref"):
            self.post_link(first or args.named.get("path", ""), start, stop)
            return stop
        if name == "figure":
            src = args.named.get("src", "")
            if not src:
                self.mark(start, stop, "figure without src: kept as text")
                return stop
            caption = args.named.get("caption") or args.named.get("title", "")
            self.block(_figure(src, args.named.get("alt", ""), caption, args.named.get("link", "")), stop)
            return stop
        if name in ("youtube", "vimeo"):
            return self.embed(name, args.named.get("id") or first, start, stop)
        if name == "gist":
            user, gist_id = (args.positional + ["", ""])[:2]
            if not user:
                self.mark(start, stop, "gist without a user: kept as text")
                return stop
            return self.gist(user, gist_id, start, stop)
        if name in ("tweet", "x"):
            return self.tweet(args.named.get("user", ""), args.named.get("id") or first, start, stop)
        if name == "instagram":
            if not _INSTAGRAM_ID.match(first):
                self.mark(start, stop, "instagram post id not valid: kept as text")
                return stop
            self.block(_link_paragraph(f"https://www.instagram.com/p/{first}/", "Instagram post"), stop)
            self.warn(start, f"{_one_line(self.text[start:stop])}: instagram embed kept as a link")
            return stop
        if name == "param":
            return self.param(first, start, stop)
        closing = re.compile(r"\{\{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]\}\}")
        return self.unknown(name, start, stop, end, closing=closing, hugo=True)

    def tweet(self, user: str, tweet_id: str, start: int, stop: int) -> int:
        if not _TWEET_ID.match(tweet_id) or (user and not re.match(r"\w{1,15}$", user)):
            self.mark(start, stop, "post on X not understood: kept as text")
            return stop
        href = f"https://twitter.com/{user or 'i'}/status/{tweet_id}"
        self.block(_link_paragraph(href, f"Post on X by @{user}" if user else "Post on X"), stop)
        self.warn(start, f"{_one_line(self.text[start:stop])}: tweet embed kept as a link")
        return stop

    def param(self, key: str, start: int, stop: int) -> int:
        site_params = self.context.site.get("params")
        for source in (self.context.page, site_params if isinstance(site_params, dict) else {}, self.context.site):
            value = _walk(source, key.split("."))
            if value is not _MISSING and _is_scalar(value):
                self.out.append(escape(_liquid_str(value)))
                return stop
        self.mark(start, stop, "no such parameter: kept as text")
        return stop

    # Liquid output

    def output(self, match: re.Match) -> None:
        expression = match.group("expr").strip()
        value, problem = self.evaluate(expression)
        if problem:
            self.mark(match.start(), match.end(), f"{problem}: kept as text")
            return
        head = _split_outside_quotes(expression, "|")[0].strip()
        self.out.append(value if head in self.markup_variables else escape(value))

    def evaluate(self, expression: str) -> tuple[str, str]:
        """(value, "") or ("", what is wrong) for a Liquid expression with filters."""
        head, *filters = _split_outside_quotes(expression, "|")
        value = self.lookup(head.strip())
        for text in filters:
            name, _, arg_text = text.partition(":")
            name = name.strip()
            args = [self.lookup(arg.strip()) for arg in _split_outside_quotes(arg_text, ",")] if arg_text else []
            if any(arg is _MISSING for arg in args):
                return "", f"filter {name} with an unknown argument"
            arg = _liquid_str(args[0]) if args else ""
            if name == "default":
                value = arg if value is _MISSING or value in (None, "", False) else value
                continue
            if value is _MISSING:
                break
            if name in ("relative_url", "absolute_url"):
                value = self.url(_liquid_str(value), absolute=name == "absolute_url")
            elif name in ("prepend", "append") and args:
                value = arg + _liquid_str(value) if name == "prepend" else _liquid_str(value) + arg
            elif name in ("downcase", "upcase"):
                value = _liquid_str(value).lower() if name == "downcase" else _liquid_str(value).upper()
            elif name not in ("escape", "xml_escape", "escape_once"):  # the output is escaped anyway
                return "", f"filter {name} not supported"
        if value is _MISSING:
            return "", "unknown value"
        if not _is_scalar(value):
            return "", "value is not text"
        return _liquid_str(value), ""

    def lookup(self, name: str) -> object:
        if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
            return name[1:-1]
        if _NUMBER.match(name):
            return name
        if not _VARIABLE.match(name):
            return _MISSING
        root, *path = name.split(".")
        if root == "site":
            value = _walk(self.context.site, path)
            # Jekyll's own defaults: a site without these configured builds links from "".
            return "" if value is _MISSING and path in (["baseurl"], ["url"]) else value
        if root == "page":
            return _walk(self.context.page, path)
        if root in self.variables:
            return _walk(self.variables[root], path) if path else self.variables[root]
        # Eleventy puts front matter at the top level of the data.
        return _walk(self.context.page, [root, *path])

    def url(self, path: str, *, absolute: bool) -> str:
        if _ABSOLUTE_URL.match(path):
            return path
        base = _liquid_str(self.context.site.get("baseurl") or "").strip().rstrip("/")
        if base and not base.startswith("/"):
            base = "/" + base
        relative = base + (path if path.startswith("/") else "/" + path)
        if absolute:
            return _liquid_str(self.context.site.get("url") or "").rstrip("/") + relative
        return relative


def _walk(value: object, path: list[str]) -> object:
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return _MISSING
        value = value[key]
    return value


def _is_scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool) or hasattr(value, "isoformat")


def _liquid_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
