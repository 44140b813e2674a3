"""Rows an import changes that other articles share: old addresses (redirects), keywords from
category pages, sections. Each changes only as far as the importing user may change it."""

from __future__ import annotations

from pathlib import PurePosixPath

from articles.importing.options import FileResult, ImportOptions
from articles.importing.parsing import LegacyPost, keyword_slug
from articles.importing.pipeline import UNKNOWN, redirects_with_site
from articles.models import Article, Keyword, Redirect, Section


def point_legacy_url(
    article: Article, old_path: str, *, options: ImportOptions, result: FileResult, redirect=UNKNOWN
) -> None:
    """An old address of the article answers 301 to it. Not update_or_create(): its
    savepoints cost queries, and the whole file is one transaction already.

    redirect: the row for that address (None: there is none) when already looked up. An address
    that leads to another site's article keeps leading there: one import never takes over
    what another site's import made. Making or moving a redirect takes the user's permission:
    a redirect decides what a public address answers, unseen by whoever publishes the draft."""
    if redirect is UNKNOWN:
        redirect = redirects_with_site().filter(old_path=old_path).first()
    if redirect is None:
        if not options.may("articles.add_redirect"):
            result.warnings.append(
                f"legacy address {old_path} was not made a redirect: that takes the permission to add "
                "redirects (an editor's import of this file with Overwrite makes it)"
            )
            return
        Redirect.objects.create(old_path=old_path, article=article)
    elif redirect.article_id != article.pk:
        if redirect.article_site not in (None, "", article.source_site):
            result.warnings.append(
                f"legacy address {old_path} already leads to article {redirect.article_id}, "
                f"imported from {redirect.article_site}; it was left there"
            )
            return
        if not options.may("articles.change_redirect"):
            leads_to = f"article {redirect.article_id}" if redirect.article_id else redirect.new_url
            result.warnings.append(
                f"legacy address {old_path} leads to {leads_to}; it was left there "
                "(changing redirects takes the permission to change them)"
            )
            return
        if redirect.article_id is not None:
            result.warnings.append(
                f"legacy address {old_path} pointed to article {redirect.article_id}; it now points here"
            )
        redirect.article, redirect.new_url = article, ""
        redirect.save(update_fields=["article", "new_url"])


def save_category(post: LegacyPost, relative: PurePosixPath, options: ImportOptions) -> str:
    """The category page's title and description onto its keyword, as far as the user may
    change keywords; what was done, as a note for the report."""
    slug = keyword_slug(relative.stem)
    name, description = post.title[:100], post.standfirst
    keyword = Keyword.objects.filter(slug=slug).first()
    if keyword is None and not options.may("articles.add_keyword"):
        return f"category page: keyword '{slug}' was not made (that takes the permission to add keywords)"
    changes = keyword is not None and (keyword.name, keyword.description) != (name, description)
    if changes and not options.may("articles.change_keyword"):
        return (
            f"category page: keyword '{slug}' was left as it is (renaming it or rewriting its "
            "description takes the permission to change keywords)"
        )
    if not options.dry_run:
        Keyword.objects.update_or_create(slug=slug, defaults={"name": name, "description": description})
    return f"category page: keyword '{slug}' takes its title and description (not an article)"


def section_of(post: LegacyPost, *, options: ImportOptions, result: FileResult) -> Section | None:
    """The file's section; made only when the user may add sections."""
    name, slug = post.section
    if options.may("articles.add_section"):
        return Section.objects.get_or_create(slug=slug, defaults={"name": name})[0]
    if section := Section.objects.filter(slug=slug).first():
        return section
    result.warnings.append(
        f"section '{name}' does not exist and was not made (that takes the permission to add sections)"
    )
    return None
