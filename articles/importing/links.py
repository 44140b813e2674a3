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

import lxml.html
from django.db import transaction

from articles.content.body import serialize_children
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


@dataclass
class PendingLinks:
    """An article of this run whose links are resolved after the run (article_id None in a dry run)."""

    article_id: int | None
    body: str
    address: str
    site: OldSite
    warnings: list[str]


def resolve_links(pending: list[PendingLinks], *, run_addresses: set[str]) -> None:
    """Point each pending article's links to old posts at their new articles; report the rest.

    In a dry run nothing was saved: a link counts as alive when its address is one
    this run would have answered for (run_addresses) or one a redirect answers for."""
    saved = [item for item in pending if item.article_id is not None]
    articles = Article.objects.in_bulk([item.article_id for item in saved]) if saved else {}
    for item in pending:
        if item.article_id is None:
            _check_only(item, run_addresses)
        elif item.article_id in articles:
            _resolve_one(articles[item.article_id], item)


def _check_only(item: PendingLinks, run_addresses: set[str]) -> None:
    links = [(href, item.site.old_path(href, item.address)) for href in _HREF.findall(item.body)]
    links = [(href, path) for href, path in links if path is not None]
    wanted = {path for _, path in links} | {path.lower() for _, path in links}
    known = run_addresses | set(Redirect.objects.filter(old_path__in=wanted).values_list("old_path", flat=True))
    for href, path in links:
        if path not in known and path.lower() not in known:
            item.warnings.append(f"dead link: {href} (no imported post had that address)")


def _resolve_one(article: Article, item: PendingLinks) -> None:
    root = lxml.html.fragment_fromstring(article.body, create_parent="div")
    links = [(a, item.site.old_path(a.get("href", ""), article.legacy_url)) for a in root.iter("a")]
    links = [(a, path) for a, path in links if path is not None]
    wanted = {path for _, path in links} | {path.lower() for _, path in links}
    redirects = {r.old_path: r for r in Redirect.objects.select_related("article").filter(old_path__in=wanted)}
    changed = 0
    for anchor, path in links:
        redirect = redirects.get(path) or redirects.get(path.lower())
        if redirect is None:
            href = anchor.get("href")
            if item.site.origin and href.startswith("/"):
                anchor.set("href", item.site.origin + href)
                changed += 1
            kept = "now points to the old site" if item.site.origin else "kept as it was"
            item.warnings.append(f"dead link: {href} (no imported post had that address; {kept})")
            continue
        fragment = urlsplit(anchor.get("href")).fragment
        anchor.set("href", urlunsplit(("", "", redirect.target_url, "", fragment)))
        changed += 1
    if changed:
        with transaction.atomic():
            fresh = Article.objects.select_for_update().get(pk=article.pk)
            if fresh.version != article.version:
                item.warnings.append("links not rewritten: the article changed while the import ran")
                return
            fresh.body = serialize_children(root)
            fresh.import_version = fresh.version + 1  # save() bumps it: still "as imported"
            fresh.save()
