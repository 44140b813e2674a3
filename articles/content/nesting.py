"""Bounds on how deep a body nests and how many elements it makes, checked before it is parsed.

The sanitizer's HTML5 parser (html5ever, in nh3) walks its stack of open
elements for many start tags and its list of open formatting elements for
others, so its time grows with the square of the nesting depth: 160 KB of
<ul><li> takes seconds, and a few KB of unclosed <b id=...> inside a <div>
make millions of elements. The size limit bounds none of that, and libxml2
(lxml) cannot measure it: it stops at 2,048 levels and drops the rest.

So a quick scan of the tags estimates what the parser will build, on the
high side: it closes an element only where the HTML5 rules certainly do.
A body within the limits passes unchanged; past them, the tags that go
deeper or further are dropped and every word of text is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Past these, a body is flattened (the sanitizer) or refused (the admin form).
MAX_DEPTH = 256
MAX_FORMATTING = 64
MAX_ELEMENTS = 100_000

VOID = frozenset(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta param source track wbr".split()
)
# Raw text: what follows the start tag up to its end tag holds no tags.
RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes noscript".split())
FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
# Below one of these, an end tag for an element further down is ignored ("not in scope").
SCOPE = frozenset("applet caption html table td th marquee object template svg math".split())
# HTML's "special" elements: "any other end tag" stops at the first one.
SPECIAL = frozenset(
    """address applet area article aside base basefont bgsound blockquote body br button caption center col
    colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5
    h6 head header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed
    noframes noscript object ol p param plaintext pre script search section select source style summary table
    tbody td template textarea tfoot th thead title tr track ul wbr xmp svg math""".split()
)
# Start tags that close an open <p> right above them.
CLOSES_P = frozenset(
    """address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer
    header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing form table hr
    xmp plaintext li dd dt""".split()
)
MARKERS = frozenset("applet marquee object template td th caption".split())

_TOKEN = re.compile(
    r"<!--(?:-?>|.*?(?:--!?>|\Z))"  # a comment ("<!-->" is an empty one)
    r"|<[!?][^>]*>?"  # a doctype or bogus comment
    # A tag: quotes delimit only values (after "="); a quote elsewhere is part of a name.
    r"|<(/?)([a-zA-Z][^\s/>]*)((?:[^>\"'=]|=\s*\"[^\"]*\"|=\s*'[^']*'|=|[\"'])*)>",
    re.DOTALL,
)


@dataclass(frozen=True)
class Shape:
    depth: int  # the deepest the parser's stacks get, estimated on the high side
    formatting: int  # the most open formatting elements (<b>, <a>...) kept to be reopened
    elements: int  # elements the parser makes, counting reopened formatting elements

    @property
    def within_limits(self) -> bool:
        return self.depth <= MAX_DEPTH and self.formatting <= MAX_FORMATTING and self.elements <= MAX_ELEMENTS


class _Entry:
    """A formatting element in the parser's list of active formatting elements."""

    __slots__ = ("index", "key", "on_stack")

    def __init__(self, key, index):
        self.key = key
        self.index = index  # its place on the stack while on it
        self.on_stack = True


# What an element blocks, checked from the top of the stack down: an end tag (or a
# start tag's implied close) reaches only the elements above the nearest blocker.
_BLOCKS = {
    "generic": SPECIAL,  # "any other end tag"
    "scope": SCOPE,
    "list item scope": SCOPE | {"ol", "ul"},
    "button scope": SCOPE | {"button"},
    "list item start": SPECIAL - {"address", "div", "p", "li", "dd", "dt"},
    "cell start": SCOPE - {"td", "th"},
}
_CLASSES = [*_BLOCKS, "formatting"]  # the last: blocked by all but formatting elements


class _Parser:
    """The parts of HTML5 tree building that decide depth and element count, erring on
    the deep side, at a constant cost per tag. flatten: drop the tags past the limits;
    else stop at the first limit passed."""

    def __init__(self, *, flatten: bool):
        self.flatten = flatten
        # (name, formatting entry or None, index of the nearest blocker at or below, per class)
        self.stack: list[tuple[str, _Entry | None, tuple[int, ...]]] = []
        self.where: dict[str, list[int]] = {}  # stack indices of each open name
        self.active: list[_Entry | None] = []  # None: a marker (a table cell's boundary)
        self.off_stack = 0  # active entries the parser will reopen at the next text or tag
        self.elements = 0
        self.depth = self.formatting = 0
        self.stopped = False  # past the element limit (flatten) or any limit (measure)

    def _push(self, name: str, entry: _Entry | None) -> None:
        index = len(self.stack)
        below = self.stack[-1][2] if self.stack else (-1,) * len(_CLASSES)
        blockers = (
            *(index if name in blocks else below[i] for i, blocks in enumerate(_BLOCKS.values())),
            below[-1] if name in FORMATTING or not name else index,  # "": a reopened formatting element
        )
        self.stack.append((name, entry, blockers))
        self.where.setdefault(name, []).append(index)
        if entry is not None:
            entry.index = index
        self.elements += 1
        depth, formatting = len(self.stack) + len(self.active), len(self.active)
        self.depth, self.formatting = max(self.depth, depth), max(self.formatting, formatting)
        if self.flatten:
            self.stopped = self.elements > MAX_ELEMENTS
        else:
            self.stopped = depth > MAX_DEPTH or formatting > MAX_FORMATTING or self.elements > MAX_ELEMENTS

    def _pop_through(self, index: int) -> None:
        while len(self.stack) > index:
            name, entry, _ = self.stack.pop()
            self.where[name].pop()
            if entry is not None and entry.on_stack:
                entry.on_stack = False
                self.off_stack += 1

    def _find(self, names, block: str) -> int | None:
        """The index of the nearest open element named in names with no blocker above it, else None."""
        index = max((self.where[n][-1] for n in names if self.where.get(n)), default=None)
        if index is None or self.stack[-1][2][_CLASSES.index(block)] > index:
            return None
        return index

    def reconstruct(self) -> None:
        """Formatting elements closed by another element's end tag are opened again before
        the next text or tag (so "<p><b>x</p>y" makes y bold): each is a new element."""
        if not self.off_stack:
            return
        self.off_stack = 0
        for entry in self.active:
            if entry is not None and not entry.on_stack:
                entry.on_stack = True
                self._push("", entry)

    def start(self, name: str, attributes: str) -> bool:
        """Whether the start tag stays (only flattening drops any)."""
        if self.flatten and name not in VOID:
            # Checked before any implied close: a dropped tag closes nothing in the real parser.
            if len(self.stack) + len(self.active) >= MAX_DEPTH:
                return False
            if name in FORMATTING and len(self.active) >= MAX_FORMATTING:
                return False
        if name not in CLOSES_P or name == "xmp":
            # Block start tags do not reopen formatting elements: the text inside them
            # does, so those end up inside the block, and go (to come back) with it.
            self.reconstruct()
        if self.stack and self.stack[-1][0] == "p" and name in CLOSES_P:
            self._pop_through(len(self.stack) - 1)
        if name in ("li", "dd", "dt"):
            found = self._find(("li",) if name == "li" else ("dd", "dt"), "list item start")
        elif name in ("td", "th", "tr"):
            found = self._find(("td", "th", "tr") if name == "tr" else ("td", "th"), "cell start")
        else:
            found = None
        if found is not None:
            self._pop_through(found)
        if name in VOID:
            self.elements += 1
            self.stopped = self.elements > MAX_ELEMENTS
            return True
        entry = None
        if name in FORMATTING:
            entry = _Entry((name, " ".join(attributes.split())), len(self.stack))
            self._noahs_ark(entry.key)
            self.active.append(entry)
        elif name in MARKERS:
            self.active.append(None)
        self._push(name, entry)
        return True

    def _noahs_ark(self, key) -> None:
        """At most three identical formatting elements are kept to be reopened."""
        same = []
        for entry in reversed(self.active):
            if entry is None:
                break
            if entry.key == key:
                same.append(entry)
        if len(same) >= 3:
            earliest = same[-1]
            self.active.remove(earliest)
            if not earliest.on_stack:
                self.off_stack -= 1
            earliest.on_stack = True  # no longer reopened: what remains of it is a plain element

    def end(self, name: str) -> bool:
        if name in FORMATTING:
            self._end_formatting(name)
            return True
        if name in ("p", "br") and self._find((name,), "button scope") is None:
            self.elements += 1  # a stray </p> or </br> makes an element
            self.stopped = self.elements > MAX_ELEMENTS
            return True
        if name == "li":
            found = self._find((name,), "list item scope")
        elif name == "p":
            found = self._find((name,), "button scope")
        else:
            found = self._find((name,), "scope" if name in SPECIAL else "generic")
        if found is not None:
            self._pop_through(found)
            if name in MARKERS:
                while self.active and self.active.pop() is not None:
                    pass
        return True

    def _end_formatting(self, name: str) -> None:
        entry = next((e for e in reversed(self.active) if e is None or e.key[0] == name), None)
        if entry is None:
            return
        if not entry.on_stack:
            self.active.remove(entry)
            self.off_stack -= 1
            return
        # Closed only when nothing but formatting elements lies above it; anything else
        # (the adoption agency's furthest block, a table) may keep it open: count it open.
        if self.stack[-1][2][_CLASSES.index("formatting")] < entry.index:
            self._pop_through(entry.index)
            entry.on_stack = True  # closed for good: not reopened
            self.off_stack -= 1
            self.active.remove(entry)

    def text(self) -> None:
        self.reconstruct()


def _scan(html: str, parser: _Parser) -> tuple[list[tuple[int, int]], int]:
    """Run parser over html's tags: the spans of the tags it drops, and where it stopped
    (len(html) when it did not)."""
    dropped = []
    position = 0
    raw_end = None  # inside a raw text element: the end tag that closes it
    for match in _TOKEN.finditer(html):
        closing, name = match.group(1), (match.group(2) or "").lower()
        if raw_end is not None:
            if not (closing and name == raw_end):
                continue
            raw_end = None
        if not name:
            continue  # a comment or doctype
        if match.start() > position:
            parser.text()
        position = match.end()
        kept = parser.end(name) if closing else parser.start(name, match.group(3))
        if parser.stopped:
            return dropped, match.start()  # the tag past the limit goes too
        if not kept:
            dropped.append(match.span())
        elif not closing and name in RAW_TEXT:
            raw_end = name
        elif not closing and name == "plaintext":
            break
    return dropped, len(html)


def measure(html: str) -> Shape:
    """How deep html nests and how many elements it makes, as the sanitizer's parser would
    build it; the scan stops at the first limit passed, so past one the numbers are "at least"."""
    parser = _Parser(flatten=False)
    _scan(html, parser)
    return Shape(depth=parser.depth, formatting=parser.formatting, elements=parser.elements)


def bound_nesting(html: str) -> str:
    """html unchanged when within the limits; else without the tags that nest past MAX_DEPTH
    (or keep more than MAX_FORMATTING formatting elements open) and every tag after the
    MAX_ELEMENTS-th element. Text is never dropped."""
    if "<" not in html:
        return html
    dropped, stop = _scan(html, _Parser(flatten=True))
    if not dropped and stop == len(html):
        return html
    pieces, last = [], 0
    for start, end in dropped:
        pieces.append(html[last:start])
        last = end
    pieces.append(html[last:stop])
    # Past the element limit every tag goes, comments and raw text elements' tags included.
    pieces.append(_TOKEN.sub("", html[stop:]))
    return "".join(pieces)
