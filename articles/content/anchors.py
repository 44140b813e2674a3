"""In-page anchors of a body, namespaced so they cannot clash with the page's own.

A body's ids (heading ids, footnotes, kramdown's {: #id}) share one document with
the page around it, whose ids (main, content, search...) scripts, styles and skip
links rely on. Every body id gets ANCHOR_PREFIX, every link to one follows it, and
the sanitizer keeps only prefixed ids: a body can then never take one of the page's.
"""

from __future__ import annotations

from urllib.parse import unquote

ANCHOR_PREFIX = "body-"


def namespace_anchors(root) -> int:
    """Prefix every id (and <a name>) under root, an lxml.html element such as the <div>
    fragment_fromstring(html, create_parent="div") gives, and point every in-page link
    (href="#x") whose target is in the body at the prefixed id. Returns how many
    attributes it changed. Running it again changes nothing."""
    targets = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        targets.update(filter(None, (element.get("id"), element.get("name") if element.tag == "a" else None)))
    changed = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        names = ("id", "name") if element.tag == "a" else ("id",)
        for name in names:
            value = element.get(name)
            if value and not value.startswith(ANCHOR_PREFIX):
                element.set(name, ANCHOR_PREFIX + value)
                changed += 1
        href = element.get("href") if element.tag == "a" else None
        if href and href.startswith("#") and not href.startswith("#" + ANCHOR_PREFIX):
            fragment = href[1:]
            # Links may write the target percent-encoded (#%C3%BCber for id="über").
            if fragment in targets or unquote(fragment) in targets:
                element.set("href", f"#{ANCHOR_PREFIX}{fragment}")
                changed += 1
    return changed
