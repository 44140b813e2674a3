"""Every import has a source: articles are known by their old site and their path in it, so
one site's files never replace another's, and naming a different folder of the same site
finds the same articles."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.importing import ImportOptions, import_paths
from articles.models import Article, Redirect
from tests.admin.test_import import post_import, zip_upload
from tests.importing.samples import post, write

pytestmark = pytest.mark.django_db


def run(*paths, **options):
    return import_paths([Path(p) for p in paths], ImportOptions(**options))


def jekyll_site(folder: Path, title: str, *, url: str = "") -> Path:
    """A Jekyll site whose one post has the path every new Jekyll site's first post has."""
    write(folder, "_config.yml", f"title: {folder.name}\nurl: {url!r}\npermalink: /:year/:title/\n")
    write(folder, "_posts/2019-01-01-hello.md", post(f"title: {title}", f"<p>{title}, the body.</p>\n"))
    return folder


def test_two_sites_with_the_same_post_path_make_two_articles(tmp_path):
    first = run(jekyll_site(tmp_path / "harbour-gazette", "Harbour news"))
    second = run(jekyll_site(tmp_path / "valley-times", "Valley news"))

    assert first.counts["created"] == second.counts["created"] == 1
    assert second.counts["updated"] == 0
    articles = {a.source_site: a for a in Article.objects.all()}
    assert set(articles) == {"harbour-gazette", "valley-times"}
    assert articles["harbour-gazette"].title == "Harbour news"  # not replaced by the valley's post
    assert articles["valley-times"].title == "Valley news"
    assert {a.source_path for a in articles.values()} == {"_posts/2019-01-01-hello.md"}
    assert first.sources == ["harbour-gazette"] and second.sources == ["valley-times"]


def test_naming_the_site_or_its_posts_folder_finds_the_same_articles(tmp_path):
    site = jekyll_site(tmp_path / "gazette", "Harbour news")
    assert run(site / "_posts").counts["created"] == 1
    again = run(site)
    single = run(site / "_posts" / "2019-01-01-hello.md")

    assert again.counts["unchanged"] == single.counts["unchanged"] == 1
    assert again.counts["created"] == single.counts["created"] == 0
    assert Article.objects.get().source_path == "_posts/2019-01-01-hello.md"


def test_the_default_name_is_the_host_in_the_site_config_unless_it_is_a_placeholder(tmp_path):
    run(jekyll_site(tmp_path / "checkout", "Harbour news", url="https://news.harbourgazette.co.uk"))
    run(jekyll_site(tmp_path / "starter", "Valley news", url="https://example.com"))

    assert set(Article.objects.values_list("source_site", flat=True)) == {"news.harbourgazette.co.uk", "starter"}


def test_a_named_source_keeps_two_imports_of_the_same_folder_apart_and_finds_its_own(tmp_path):
    write(tmp_path / "posts", "story.md", post("title: First telling"))
    assert run(tmp_path / "posts", source_site="wire").counts["created"] == 1
    assert run(tmp_path / "posts", source_site="archive").counts["created"] == 1

    write(tmp_path / "posts", "story.md", post("title: Second telling"))
    report = run(tmp_path / "posts", source_site="wire")

    assert report.counts["updated"] == 1
    titles = dict(Article.objects.values_list("source_site", "title"))
    assert titles == {"wire": "Second telling", "archive": "First telling"}


def test_articles_imported_before_sources_were_named_are_adopted_once(tmp_path):
    site = jekyll_site(tmp_path / "gazette", "Harbour news")
    run(site)
    # As an import before this change stored it: no source, the path relative to the folder named.
    Article.objects.update(source_site="", source_path="2019-01-01-hello.md")
    old = Article.objects.get()

    unchanged = run(site / "_posts")
    other = run(jekyll_site(tmp_path / "valley", "Valley news") / "_posts")

    assert unchanged.counts["unchanged"] == 1  # adopted though nothing changed
    assert other.counts["created"] == 1  # the valley's post does not take the adopted article
    old.refresh_from_db()
    assert (old.source_site, old.source_path, old.title) == ("gazette", "_posts/2019-01-01-hello.md", "Harbour news")
    assert Article.objects.count() == 2


def test_an_update_adopts_an_unnamed_article_instead_of_making_another(tmp_path):
    site = jekyll_site(tmp_path / "gazette", "Harbour news")
    run(site)
    pk = Article.objects.get().pk
    Article.objects.update(source_site="", source_path="_posts/2019-01-01-hello.md")
    write(site, "_posts/2019-01-01-hello.md", post("title: Harbour news, corrected"))

    report = run(site)

    assert report.counts["updated"] == 1 and Article.objects.count() == 1
    article = Article.objects.get()
    assert (article.pk, article.source_site, article.title) == (pk, "gazette", "Harbour news, corrected")


def test_an_old_address_of_another_sites_article_is_left_where_it_leads(tmp_path):
    run(jekyll_site(tmp_path / "gazette", "Hello"))
    theirs = Article.objects.get()
    report = run(jekyll_site(tmp_path / "valley", "Hello"))

    redirect = Redirect.objects.get()  # /2019/hello/ on both old sites
    assert redirect.article == theirs
    (result,) = [r for r in report.files if r.status == "created"]
    assert any(
        f"{redirect.old_path} already leads to article {theirs.pk}" in w and "gazette" in w for w in result.warnings
    )


def test_the_command_takes_a_source_and_says_which_it_used(tmp_path):
    write(tmp_path / "posts", "story.md", post("title: Story"))
    out = io.StringIO()
    call_command("import_legacy", str(tmp_path / "posts"), "--source", " wire.example.org ", stdout=out)
    assert "Source: wire.example.org" in out.getvalue()
    assert Article.objects.get().source_site == "wire.example.org"

    with pytest.raises(CommandError, match="source name"):
        call_command("import_legacy", str(tmp_path / "posts"), "--source", "x" * 101, stdout=io.StringIO())


def test_the_admin_import_takes_a_source_and_defaults_to_uploads(client, editor):
    client.force_login(editor)
    member = {"posts/story.md": post("title: Story").encode()}
    post_import(client, zip_upload(member), dry_run="")
    response = post_import(client, zip_upload(member), dry_run="", source_site="wire")

    assert b"Source: <strong>wire</strong>" in response.content
    assert sorted(Article.objects.values_list("source_site", flat=True)) == ["uploads", "wire"]
    refused = post_import(client, zip_upload(member), dry_run="", source_site="\x07")
    assert "source name" in refused.context["form"].errors["source_site"][0]
