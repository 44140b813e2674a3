"""Legacy Markdown -> HTML, with the extras the old static sites were written with.

Jekyll (kramdown), Hugo (Goldmark) and Eleventy (markdown-it) posts use footnotes,
definition lists, heading ids, attribute lists, task lists, admonitions and
abbreviations. Plain CommonMark shows those as literal text or drops them, so
each one is rendered here through an mdit-py-plugins plugin where one exists.

Two things no plugin reads directly: attribute lists as kramdown and Goldmark
write them (``{: .x}`` or ``{.x}`` on the line *after* their block, ``{#id}`` at
the end of a heading, where the attrs plugin wants ``{.x}`` on the line *before*)
and abbreviation definitions. A line-based pre-pass translates the first into
what the plugins read and collects the second; small core rules finish both on
the token stream, where code and URLs are out of reach.

What comes out still goes through the importer's cleanup and the sanitizer,
which decide what is stored (classes, for one, are dropped there).
"""

from __future__ import annotations

import re
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError, parse
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

# Attributes worth carrying to the sanitizer; style, data-* and the like never survive it.
ATTRIBUTES_KEPT = ("id", "class", "title")
TASK_OPEN = "\u2610"  # ☐
TASK_DONE = "\u2611"  # ☑

# A block's trailing attribute list becomes this HTML comment: a comment line
# interrupts a paragraph, a blockquote's lazy lines and a list, so it always
# follows the block it belongs to, which a core rule then gives the attributes.
_TRAILING_MARK = "<!--newsroom-attributes "
_TRAILING = re.compile(r"[ \t]*<!--newsroom-attributes (\{.*\})-->\s*\Z")

_FENCE = re.compile(r"[ \t>]*(`{3,}|~{3,})")
_ABBREVIATION = re.compile(r" {0,3}\*\[([^\]\\]+)\]:[ \t]*(.*?)[ \t]*")
_ALERT = re.compile(r"([ \t]*>[ \t>]*)\[!([A-Za-z]+)\][+-]?(?:[ \t]+(.*?))?[ \t]*")
_QUOTED = re.compile(r"[ \t]*>")
_HEADING_ATTRIBUTES = re.compile(r"[ \t]+(\{:?[^{}]*\})[ \t]*\Z")
_ATTRIBUTE_LINE = re.compile(r"([ \t>]*)(\{:?[^{}]*\})[ \t]*")
_LIST_ITEM = re.compile(r"[ \t]*(?:[*+-]|\d+[.)])[ \t]")
# kramdown's attribute list definitions ({:name: .x}) and extensions ({::options /}).
_KRAMDOWN_DEFINITION = re.compile(r" {0,3}\{:[\w-]+:.*\}[ \t]*")
_KRAMDOWN_EXTENSION = re.compile(r" {0,3}\{::(\w+)[^{}]*?(/?)\}[ \t]*")
_KRAMDOWN_EXTENSION_END = re.compile(r" {0,3}\{:/(\w*)\}[ \t]*")
# A code span first, so that an IAL inside one is matched as part of it and left alone.
_KRAMDOWN_SPAN = re.compile(r"(`+).*?\1|(?<=[)\]`*_~])\{:[^{}\n]*\}")
_KRAMDOWN_WORD = re.compile(r"""#[^\s#.{}]+|\.[^\s#.{}]+|[\w:-]+=(?:"[^"]*"|'[^']*'|[^\s"'{}]+)|\S+""")
_KRAMDOWN_RESIDUE = re.compile(r"[ \t]*\{:[^{}]*\}")


def render_markdown(text: str) -> str:
    """text (Markdown with the legacy sites' extras) as HTML, not yet sanitised."""
    source, abbreviations = _prepare(text)
    return _MARKDOWN.render(source, {"abbreviations": abbreviations})


# --- pre-pass: kramdown's syntax and placement into what the plugins read -------------------------------


def _prepare(text: str) -> tuple[str, dict[str, str]]:
    """text with attribute lists, alerts and Liquid tags rewritten, abbreviation definitions taken out."""
    abbreviations: dict[str, str] = {}
    if "{" not in text and "*[" not in text and "[!" not in text:
        return text, abbreviations  # most posts: nothing to translate
    lines: list[str] = []
    fence = ""
    skipping_until = ""  # inside {::comment}: the extension name that ends it
    previous = ""
    for line in text.split("\n"):
        if fence:
            lines.append(line)
            if (match := _FENCE.match(line)) and match[1].startswith(fence) and not line[match.end() :].strip():
                fence = ""
            previous = line
            continue
        if skipping_until:
            if (end := _KRAMDOWN_EXTENSION_END.fullmatch(line)) and end[1] in {"", skipping_until}:
                skipping_until = ""
            continue
        if match := _FENCE.match(line):
            fence = match[1]
            lines.append(line)
        elif match := _ABBREVIATION.fullmatch(line):
            abbreviations[match[1].strip()] = match[2]
        elif _KRAMDOWN_DEFINITION.fullmatch(line) or _KRAMDOWN_EXTENSION_END.fullmatch(line):
            pass
        elif match := _KRAMDOWN_EXTENSION.fullmatch(line):
            # {::comment} hides what follows; {::nomarkdown} only marks raw HTML, kept as it is.
            if match[1] == "comment" and not match[2]:
                skipping_until = "comment"
        elif (match := _ALERT.fullmatch(line)) and not _QUOTED.match(previous):
            prefix, kind, title = match[1], match[2], match[3]
            lines.append(f"{prefix}**{title or kind.title()}**")
            lines.append(prefix.rstrip())
        elif line.lstrip().startswith("{%"):
            # A Liquid tag: the attrs plugin would take it for an attribute list holding
            # a comment and drop it; escaped, it stays the visible text it always was.
            lines.append(line.replace("{%", "\\{%", 1))
        elif match := _ATTRIBUTE_LINE.fullmatch(line):
            _block_attributes(match[1], match[2], previous, lines)
        else:
            lines.append(_KRAMDOWN_SPAN.sub(_span_attributes, line) if "{:" in line else line)
        previous = line
    return "\n".join(lines), abbreviations


def _block_attributes(prefix: str, written: str, previous: str, lines: list[str]) -> None:
    """An attribute list alone on a line. After a block (kramdown, Goldmark) it is that
    block's and becomes a trailing mark; after a blank line it is the next block's, as
    the attrs plugin reads it. A kramdown one that cannot be read is dropped."""
    kramdown = written.startswith("{:")
    if kramdown and re.search(r"(?<![\w.#=-])toc\b", written):
        # kramdown's "* placeholder\n{:toc}" asks for a table of contents, which the
        # article page does not build: the placeholder list goes too.
        while lines and _LIST_ITEM.match(lines[-1]):
            lines.pop()
        return
    attributes = _attribute_list(written)
    if attributes is None:
        if not kramdown:
            lines.append(prefix + written)  # text that only looks like one, such as "{x}"
    elif not attributes:
        pass
    elif previous.strip(" \t>"):
        lines.append(f"{prefix}{_TRAILING_MARK}{attributes}-->")
    else:
        lines.append(prefix + attributes)


def _attribute_list(written: str) -> str | None:
    """written ({: .a #b k='v' ref} or {.a #b k="v"}) in the attrs plugin's syntax, "" when
    it holds nothing to apply, None when it is no attribute list (Goldmark's empty {} is
    none either). kramdown's references to attribute list definitions are dropped: the
    definitions are not carried over."""
    kramdown = written.startswith("{:")
    inner = written[2:-1] if kramdown else written[1:-1]
    if kramdown:
        words = []
        for word in _KRAMDOWN_WORD.findall(inner):
            key, equals, value = word.partition("=")
            if word[0] in "#.":
                words.append(word)
            elif equals:
                if value[:1] == "'":  # the attrs plugin reads double quotes only
                    value = '"' + value[1:-1] + '"'
                words.append(key + equals + value)
        inner = " ".join(words)
    try:
        _, attributes = parse("{" + inner + "}")
    except ParseError:
        return None
    if not attributes:
        return "" if kramdown else None
    return "{" + inner.strip() + "}"


def _span_attributes(match: re.Match) -> str:
    """A kramdown span IAL ({:.x} after a link, code or emphasis) in the attrs plugin's syntax."""
    if match[1]:
        return match[0]
    return _attribute_list(match[0]) or ""


# --- core rules: finishing on the token stream -------------------------------------------------------


def _attach_trailing_attributes(state: StateCore) -> None:
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "html_block" and (match := _TRAILING.match(token.content)):
            target = _previous_block(tokens, index)
            if target is not None:
                _merge_attributes(target, parse(match[1])[1])
            del tokens[index]
        else:
            index += 1


def _previous_block(tokens: list[Token], index: int) -> Token | None:
    """The opening token of the block just before tokens[index] at its level, or None.
    A tight list's hidden paragraph never shows its attributes: its item gets them."""
    level = tokens[index].level
    position = index - 1
    if position < 0 or tokens[position].level != level or tokens[position].nesting == 1:
        return None
    if tokens[position].nesting == -1:
        while tokens[position].nesting != 1 or tokens[position].level != level:
            position -= 1
    if tokens[position].hidden:
        while position > 0 and not (tokens[position].nesting == 1 and tokens[position].level == level - 1):
            position -= 1
    return tokens[position]


def _merge_attributes(token: Token, attributes: dict) -> None:
    for name, value in attributes.items():
        if name not in ATTRIBUTES_KEPT:
            continue
        if name == "class" and token.attrGet("class"):
            value = f"{token.attrGet('class')} {value}"
        token.attrSet(name, value)


def _inline_attributes(state: StateCore) -> None:
    """Attribute lists the attrs plugin leaves as text, applied: after a heading's text
    (kramdown, Goldmark, Pandoc: "## Title {#id .x}", setext and quoted headings too)
    and after emphasis. Any kramdown {:...} still in the text is removed: it never
    reads as prose."""
    for index, token in enumerate(state.tokens):
        if token.type != "inline" or not token.children or "{" not in token.content:
            continue
        children = token.children
        last = children[-1]
        if state.tokens[index - 1].type == "heading_open" and last.type == "text":
            match = _HEADING_ATTRIBUTES.search(last.content)
            if match and (attributes := _attribute_list(match[1])) is not None:
                last.content = last.content[: match.start()]
                if attributes:
                    _merge_attributes(state.tokens[index - 1], parse(attributes)[1])
        for position, child in enumerate(children):
            if child.type != "text" or "{" not in child.content:
                continue
            before = children[position - 1] if position else None
            if before is not None and before.type in {"em_close", "strong_close", "s_close"}:
                written = child.content
                written = "{" + written[2:] if written.startswith("{:") else written
                opening = _matching_opening(children, position - 1)
                try:
                    end, attributes = parse(written)
                except ParseError:
                    pass
                else:
                    if opening is not None:
                        _merge_attributes(opening, attributes)
                    child.content = written[end + 1 :]
            child.content = _KRAMDOWN_RESIDUE.sub("", child.content)
            if position == 0:
                child.content = child.content.lstrip(" \t")


def _matching_opening(children: list[Token], close: int) -> Token | None:
    depth = 0
    for position in range(close, -1, -1):
        depth += children[position].nesting
        if depth == 0:
            return children[position]
    return None


def _task_marks(state: StateCore) -> None:
    """The task list plugin's checkboxes as ☐ / ☑: the sanitizer allows no <input>."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        first = token.children[0]
        if first.type == "html_inline" and 'class="task-list-item-checkbox"' in first.content:
            mark = TASK_DONE if 'checked="checked"' in first.content else TASK_OPEN
            token.children[0] = Token("text", "", 0, content=mark)


def _abbreviations(state: StateCore) -> None:
    """Each whole-word use of a defined abbreviation in text wrapped in <abbr title>.
    Text tokens only: code, raw HTML, URLs and image alt text are never touched."""
    definitions: dict[str, str] = state.env.get("abbreviations") or {}
    if not definitions:
        return
    names = sorted(definitions, key=len, reverse=True)  # "HTML5" before "HTML"
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)")
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        for child in token.children:
            if child.type != "text" or not pattern.search(child.content):
                children.append(child)
                continue
            for index, piece in enumerate(pattern.split(child.content)):
                if index % 2 == 0:
                    if piece:
                        children.append(Token("text", "", 0, content=piece))
                    continue
                title = definitions[piece]
                opening = f'<abbr title="{escape(title)}">' if title else "<abbr>"
                children.append(Token("html_inline", "", 0, content=opening))
                children.append(Token("text", "", 0, content=piece))
                children.append(Token("html_inline", "", 0, content="</abbr>"))
        token.children = children


def _render_admonition(self, tokens, index, options, env) -> str:
    """Admonitions as tags the sanitizer keeps: a blockquote led by the title in bold."""
    return {
        "admonition_open": "<blockquote>\n",
        "admonition_close": "</blockquote>\n",
        "admonition_title_open": "<p><strong>",
        "admonition_title_close": "</strong></p>\n",
    }[tokens[index].type]


def heading_slug(title: str) -> str:
    """A heading's id as GitHub, Goldmark and markdown-it-anchor make it: lower case,
    punctuation out (letters of any script stay), spaces to hyphens; "section" when
    nothing is left, as kramdown does."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-") or "section"


def _build() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(deflist_plugin)
        .use(tasklists_plugin)
        .use(admon_plugin, render=_render_admonition)
        .use(attrs_block_plugin, allowed=ATTRIBUTES_KEPT)
        .use(attrs_plugin, allowed=ATTRIBUTES_KEPT)
        .use(anchors_plugin, min_level=1, max_level=6, slug_func=heading_slug)
    )
    md.core.ruler.after("block", "trailing_attributes", _attach_trailing_attributes)
    md.core.ruler.after("inline", "inline_attributes", _inline_attributes)
    md.core.ruler.after("github-tasklists", "task_marks", _task_marks)
    # After the anchors: heading ids are made from the headings' plain text.
    md.core.ruler.push("abbreviations", _abbreviations)
    return md


# Built once: an import renders thousands of files, and building costs more than a short post.
_MARKDOWN = _build()
