"""Jekyll's Liquid and Eleventy's Nunjucks: tags, {{ output }} with its filters, includes and shortcodes.

Values come from the site's config, the post's front matter and the post's own
{% assign %} / {% set %} / {% capture %}; a filter is applied only where its
result can be known without the old site.
"""

from __future__ import annotations

import re

from django.utils.html import escape

from articles.importing.templating.arguments import parse_args, split_outside_quotes
from articles.importing.templating.embeds import Embeds, figure
from articles.importing.templating.writer import END, TemplateContext, one_line

# image_path: Minimal Mistakes' figure helper ({% include figure image_path=... alt=... caption=... %}).
PICTURE_PARAMS = ("src", "url", "image", "image_path", "file", "path")
CAPTION_PARAMS = ("caption", "title", "description")
MISSING = object()

_LIQUID_END = {name: re.compile(r"\{%-?\s*end" + name + END) for name in ("highlight", "comment", "capture")}
_ASSIGN = re.compile(r"\s*([A-Za-z_][\w-]*)\s*=\s*(.+?)\s*$", re.DOTALL)
_VARIABLE = re.compile(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*$")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?$")
_ABSOLUTE_URL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


class LiquidTags(Embeds):
    def __init__(self, text: str, context: TemplateContext, *, markdown: bool):
        super().__init__(text, context, markdown=markdown)
        self.variables: dict[str, str] = {}
        self.markup_variables: set[str] = set()  # captures: the author's own markup, output unescaped

    # Tags

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
        return self.unknown(name, start, stop, end, closing=re.compile(r"\{%-?\s*end" + re.escape(name) + END))

    def capture(self, args: str, start: int, stop: int, content_end: int) -> None:
        name = args.split()[0] if args else ""
        if not _VARIABLE.match(name):
            self.warn(start, f"{one_line(self.text[start:stop])}: capture without a name: removed")
            return
        outer, self.out = self.out, []
        self.run(stop, content_end)
        self.variables[name] = "".join(self.out)
        self.markup_variables.add(name)
        self.out = outer

    def assign(self, args: str, start: int, stop: int) -> None:
        match = _ASSIGN.match(args)
        if not match:
            self.warn(start, f"{one_line(self.text[start:stop])}: not understood: removed")
            return
        value, problem = self.evaluate(match.group(2))
        if problem:  # a later {{ name }} is then marked, with its own warning
            self.variables.pop(match.group(1), None)
            return
        self.variables[match.group(1)] = value
        self.markup_variables.discard(match.group(1))

    def include(self, name: str, args: str, start: int, stop: int) -> int:
        parsed = parse_args(args)
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
            self.block(figure(src, params.get("alt", ""), caption), stop)
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
        parsed = parse_args(args)
        # Plugins also take a whole address, which the argument parser refuses (its "=").
        value = (parsed.named.get("id") or (parsed.positional or [""])[0]) if parsed else args.strip("\"' ")
        return self.embed(name, value, start, stop)

    def liquid_gist(self, name: str, args: str, start: int, stop: int) -> int:
        parsed = parse_args(args)
        first = parsed.positional[0] if parsed and parsed.positional else ""
        user, _, gist_id = first.rpartition("/")
        return self.gist(user, gist_id, start, stop)

    def eleventy_image(self, name: str, args: str, start: int, stop: int) -> int:
        parsed = parse_args(args)
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
        self.block(figure(src, alt, caption), stop)
        return stop

    # Output

    def output(self, match: re.Match) -> None:
        expression = match.group("expr").strip()
        value, problem = self.evaluate(expression)
        if problem:
            self.mark(match.start(), match.end(), f"{problem}: kept as text")
            return
        head = split_outside_quotes(expression, "|")[0].strip()
        self.out.append(value if head in self.markup_variables else escape(value))

    def evaluate(self, expression: str) -> tuple[str, str]:
        """(value, "") or ("", what is wrong) for a Liquid expression with filters."""
        head, *filters = split_outside_quotes(expression, "|")
        value = self.lookup(head.strip())
        for text in filters:
            name, _, arg_text = text.partition(":")
            name = name.strip()
            args = [self.lookup(arg.strip()) for arg in split_outside_quotes(arg_text, ",")] if arg_text else []
            if any(arg is MISSING for arg in args):
                return "", f"filter {name} with an unknown argument"
            arg = liquid_str(args[0]) if args else ""
            if name == "default":
                value = arg if value is MISSING or value in (None, "", False) else value
                continue
            if value is MISSING:
                break
            if name in ("relative_url", "absolute_url"):
                value = self.url(liquid_str(value), absolute=name == "absolute_url")
            elif name in ("prepend", "append") and args:
                value = arg + liquid_str(value) if name == "prepend" else liquid_str(value) + arg
            elif name in ("downcase", "upcase"):
                value = liquid_str(value).lower() if name == "downcase" else liquid_str(value).upper()
            elif name not in ("escape", "xml_escape", "escape_once"):  # the output is escaped anyway
                return "", f"filter {name} not supported"
        if value is MISSING:
            return "", "unknown value"
        if not is_scalar(value):
            return "", "value is not text"
        return liquid_str(value), ""

    def lookup(self, name: str) -> object:
        if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
            return name[1:-1]
        if _NUMBER.match(name):
            return name
        if not _VARIABLE.match(name):
            return MISSING
        root, *path = name.split(".")
        if root == "site":
            value = walk(self.context.site, path)
            # Jekyll's own defaults: a site without these configured builds links from "".
            return "" if value is MISSING and path in (["baseurl"], ["url"]) else value
        if root == "page":
            return walk(self.context.page, path)
        if root in self.variables:
            return walk(self.variables[root], path) if path else self.variables[root]
        # Eleventy puts front matter at the top level of the data.
        return walk(self.context.page, [root, *path])

    def url(self, path: str, *, absolute: bool) -> str:
        if _ABSOLUTE_URL.match(path):
            return path
        base = liquid_str(self.context.site.get("baseurl") or "").strip().rstrip("/")
        if base and not base.startswith("/"):
            base = "/" + base
        relative = base + (path if path.startswith("/") else "/" + path)
        if absolute:
            return liquid_str(self.context.site.get("url") or "").rstrip("/") + relative
        return relative


def walk(value: object, path: list[str]) -> object:
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return MISSING
        value = value[key]
    return value


def is_scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool) or hasattr(value, "isoformat")


def liquid_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
