"""Links between imported posts, pointed at the new articles once the whole run is in.

A post links to another by its old address (written as it was, or as a
{% post_url %} or {{< ref >}} gave it). The first of the two may be imported
before the second exists, so links are resolved after the last file: each old
address that now answers with a redirect becomes that article's address, and
each link to a page no imported article had is reported as dead.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from django.db import transaction

from articles.content.body import parse_fragment, serialize_children
from articles.models import Article, Redirect

_HREF = re.compile(r'<a\b[^>]*\bhref="([^"]*)"')
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
# A path ending in one of these names a file (a picture, a PDF), not a post.
PAGE_SUFFIXES = {"", ".html", ".htm", ".php", ".asp", ".aspx"}


@dataclass
class OldSite:
    """Where links that belong to the old site point: its hosts (for absolute links)."""

    hosts: set[str] = field(default_factory=set)
    origin: str = ""  # "https://old.example.org": where a dead link still points, if the old site is up

    def old_path(self, href: str, article_address: str) -> str | None:
        """The old-site path href leads to, or None for a link elsewhere (another site,
        an in-page anchor, mail)."""
        href = href.strip()
        if not href or href.startswith(("#", "?", "//")):
            return None
        if _SCHEME.match(href):
            parts = urlsplit(href)
            if parts.scheme not in ("http", "https") or parts.hostname not in self.hosts:
                return None
            path = parts.path
        elif href.startswith("/"):
            path = urlsplit(href).path
        else:  # relative to the post's own old address (a folder, for pretty URLs)
            base = article_address if posixpath.splitext(article_address)[1] else article_address + "/"
            path = posixpath.normpath(posixpath.join(posixpath.dirname(base), urlsplit(href).path))
        if posixpath.splitext(path.rstrip("/"))[1].lower() not in PAGE_SUFFIXES:
            return None
        return "/" + path.strip("/")


def has_site_links(body: str, site: OldSite) -> bool:
    """Whether body links to anything that may be an old post (cheap: no parsing)."""
    return any(site.old_path(href, "/") is not None for href in _HREF.findall(body))


def point_links(
    html: str,
    site: OldSite,
    address: str,
    *,
    alive: set[str] = frozenset(),
    dead_to: str = "",
    only: set[str] | None = None,
) -> tuple[str, list[str]]:
    """(html with each link to an old post pointed at its article, the links no redirect answers for yet).

    One query for all of html's links. alive: old addresses that count as answered without
    a redirect row (a dry run's own posts); those links are left as they are. dead_to: the
    old site's origin, to point the unanswered site-relative links at. only: the hrefs to
    look at (those left unresolved before), when not all."""
    root = parse_fragment(html)
    anchors = [a for a in root.iter("a") if only is None or a.get("href") in only]
    links = [(a, site.old_path(a.get("href", ""), address)) for a in anchors]
    links = [(a, path) for a, path in links if path is not None]
    wanted = {path for _, path in links} | {path.lower() for _, path in links}
    redirects = {r.old_path: r for r in Redirect.objects.select_related("article").filter(old_path__in=wanted)}
    unresolved, changed = [], False
    for anchor, path in links:
        redirect = redirects.get(path) or redirects.get(path.lower())
        if redirect is not None:
            fragment = urlsplit(anchor.get("href")).fragment
            anchor.set("href", urlunsplit(("", "", redirect.target_url, "", fragment)))
            changed = True
        elif path not in alive and path.lower() not in alive:
            unresolved.append(anchor.get("href"))
            if dead_to and anchor.get("href").startswith("/"):
                anchor.set("href", dead_to + anchor.get("href"))
                changed = True
    return (serialize_children(root) if changed else html), unresolved


@dataclass
class PendingLinks:
    """An article of this run with links to posts not in yet, resolved after the run (article_id None
    in a dry run)."""

    article_id: int | None
    body: str
    address: str
    site: OldSite
    warnings: list[str]
    hrefs: list[str]  # the links still to resolve


def resolve_links(pending: list[PendingLinks], *, run_addresses: set[str]) -> None:
    """Point each pending article's links to old posts at their new articles; report the rest
    as dead (and point them to the old site, when its address is known).

    In a dry run nothing was saved: a link counts as alive when its address is one
    this run would have answered for (run_addresses) or one a redirect answers for."""
    for item in pending:
        if item.article_id is None:
            dead = point_links(item.body, item.site, item.address, alive=run_addresses, only=set(item.hrefs))[1]
            item.warnings += [f"dead link: {href} (no imported post had that address)" for href in dead]
            continue
        with transaction.atomic():
            article = Article.objects.select_for_update().filter(pk=item.article_id).first()
            if article is None:
                continue
            body, dead = point_links(
                article.body, item.site, article.legacy_url, dead_to=item.site.origin, only=set(item.hrefs)
            )
            for href in dead:
                kept = "now points to the old site" if item.site.origin and href.startswith("/") else "kept as it was"
                item.warnings.append(f"dead link: {href} (no imported post had that address; {kept})")
            if body != article.body and article.import_version == article.version:
                article.body = body
                article.import_version = article.version + 1  # save() bumps it: still "as imported"
                article.save()
            elif body != article.body:
                item.warnings.append("links not rewritten: the article was edited while the import ran")
