"""Hugo's shortcodes, {{< name args >}} and {{% name args %}}: the built-in ones the post alone can answer."""

from __future__ import annotations

import re

from django.utils.html import escape

from articles.importing.templating.arguments import parse_args
from articles.importing.templating.embeds import Embeds, figure
from articles.importing.templating.liquid import MISSING, is_scalar, liquid_str, walk

_HUGO_HIGHLIGHT_END = re.compile(r"\{\{[<%]\s*/\s*highlight\s*[>%]\}\}")
_HUGO_COMMENT_END = re.compile(r"\{\{[<%]\s*/\s*comment\s*[>%]\}\}")


class HugoShortcodes(Embeds):
    def shortcode(self, match: re.Match, end: int) -> int:
        name, start, stop = match.group("hugo_name"), match.start(), match.end()
        if match.group("hugo_slash"):
            return self.unknown("/" + name, start, stop, end, closing=_HUGO_HIGHLIGHT_END, hugo=True)
        args = parse_args(match.group("hugo_args"))
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
            self.block(figure(src, args.named.get("alt", ""), caption, args.named.get("link", "")), stop)
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
            return self.instagram(first, start, stop)
        if name == "param":
            return self.param(first, start, stop)
        closing = re.compile(r"\{\{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]\}\}")
        return self.unknown(name, start, stop, end, closing=closing, hugo=True)

    def param(self, key: str, start: int, stop: int) -> int:
        site_params = self.context.site.get("params")
        for source in (self.context.page, site_params if isinstance(site_params, dict) else {}, self.context.site):
            value = walk(source, key.split("."))
            if value is not MISSING and is_scalar(value):
                self.out.append(escape(liquid_str(value)))
                return stop
        self.mark(start, stop, "no such parameter: kept as text")
        return stop
